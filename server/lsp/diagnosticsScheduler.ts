/**
 * Coalesces bursts of edits into one analysis per document. Each document has
 * at most one pending run; a newer version replaces the pending one, and a
 * result computed for an outdated version is dropped instead of published.
 */
export class DiagnosticsScheduler {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly delayMs: number,
    private readonly run: (uri: string) => Promise<void>,
    private readonly onError: (uri: string, error: unknown) => void,
  ) {}

  schedule(uri: string): void {
    this.cancel(uri);
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      this.run(uri).catch((error) => this.onError(uri, error));
    }, this.delayMs);
    this.pending.set(uri, timer);
  }

  cancel(uri: string): void {
    const timer = this.pending.get(uri);
    if (timer) clearTimeout(timer);
    this.pending.delete(uri);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
