/**
 * Adaptive debounce for automatic requests. A human typing (a key every
 * 100 ms or more) gets no delay at all: a generation takes a few tens of
 * milliseconds with the KV cache reused, and the next keystroke cancels it
 * anyway. Keys arriving faster than `burstGapMs` (key repeat, a paste, a
 * fast typist) wait twice the recent gap, clamped to [minMs, maxMs], so a
 * burst starts a generation at its first key and at its end, not in between.
 */

export interface DebounceOptions {
  burstGapMs: number;
  minMs: number;
  maxMs: number;
}

export const defaultDebounce: DebounceOptions = { burstGapMs: 80, minMs: 25, maxMs: 120 };

export class AdaptiveDebounce {
  private last = -Infinity;
  private averageGap = 0;

  constructor(private readonly options: DebounceOptions = defaultDebounce) {}

  /** The delay for a request arriving at `now` (milliseconds); also records its arrival. */
  delayFor(now: number): number {
    const gap = now - this.last;
    this.last = now;
    if (gap >= this.options.burstGapMs) {
      this.averageGap = this.options.burstGapMs;
      return 0;
    }
    // Exponentially weighted: a burst's pace is known after two or three keys.
    this.averageGap = this.averageGap * 0.5 + gap * 0.5;
    return Math.min(this.options.maxMs, Math.max(this.options.minMs, 2 * this.averageGap));
  }
}
