/**
 * The front end's time grows linearly with its input: each kind of input is
 * analysed at size n and 8n, and the time ratio must stay within 2.5 times
 * what n·log n growth gives (8·log(8n)/log(n): 9.6 at n = 2,000, so the
 * bound is 25.5 there and 23.5 at n = 32,000). Growth of n^1.6 or worse
 * fails (n^1.67 gives 32, quadratic 64). The factor 2.5 is what this shared
 * 2-core machine needs: a linear front end measured here costs 5.2 µs per
 * line at 16,000 lines and 9 µs at 256,000 (heap growth and garbage
 * collection, not the algorithm), and the ratio reached 21 under load. Each
 * size is timed as the fastest of a few runs. Valid generated programs, garbage, and shapes that trip naive
 * parsers (unclosed literals, nesting without terminators, one huge line)
 * are all covered.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { generateProgram } from '../bench/generateCobol';
import { analyse } from './propertyFrontEnd';

/**
 * Fastest of `runs` analyses of `text`, in milliseconds: the minimum is the
 * figure least disturbed by other work on a shared machine.
 */
function timeAnalysis(text: string, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    analyse(text);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Deterministic pseudo-random garbage lines (a fixed LCG, so the sizes compare like with like). */
function garbage(lines: number): string {
  const words = ['MOVE', '"', 'X(5)', '==', '.', 'IF', 'EXEC', 'SQL', '(', ')', 'COPY', 'PIC', '*>', 'A-B', '01', '88', 'END-IF'];
  let state = 12345;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    let line = '000100 ';
    for (let w = 0; w < 8; w++) {
      state = (state * 1103515245 + 12345) >>> 0;
      line += words[state % words.length] + ' ';
    }
    out.push(line);
  }
  return out.join('\n');
}

const program = (lines: number) => generateProgram({ seed: 99, programLines: lines }).programs[0].text;
const procedure = (body: string) =>
  `       IDENTIFICATION DIVISION.\n       PROGRAM-ID. T.\n       PROCEDURE DIVISION.\n       P.\n${body}\n           STOP RUN.\n`;

const shapes: [string, (n: number) => string][] = [
  ['a generated valid program', (n) => program(n)],
  ['garbage lines', (n) => garbage(n)],
  ['IFs nested without END-IF', (n) => procedure('           IF A = 1\n'.repeat(n))],
  ['PERFORMs nested without END-PERFORM', (n) => procedure('           PERFORM UNTIL A = 1\n'.repeat(n))],
  ['unclosed literals on every line', (n) => procedure('           DISPLAY "ABC\n'.repeat(n))],
  ['continuation lines', (n) => procedure('           DISPLAY "ABC\n      -    "DEF"\n'.repeat(n / 2))],
  // Free format: in fixed format everything past column 72 is ignored, which would make this trivially fast.
  ['one long free-format line of parentheses', (n) => `>>SOURCE FORMAT FREE\nPROCEDURE DIVISION.\nP.\n    COMPUTE X = ${'( A + '.repeat(n * 4)}\n`],
  ['data items without periods', (n) => `       DATA DIVISION.\n       WORKING-STORAGE SECTION.\n${'       05 A PIC X\n'.repeat(n)}`],
];

/** The largest time ratio for 8n against n that growth near n·log n may show (2.5 times 8·log(8n)/log(n)). */
function nLogNBound(n: number): number {
  return 2.5 * 8 * (Math.log2(8 * n) / Math.log2(n));
}

describe('time grows linearly with the input', () => {
  it('the bound admits n·log n and rejects n^1.6 and worse at the sizes used', () => {
    for (const n of [2000, 4000, 8000, 16_000, 32_000]) {
      expect(8 * (Math.log2(8 * n) / Math.log2(n))).toBeLessThan(nLogNBound(n));
      expect(8 ** 1.6).toBeGreaterThan(nLogNBound(n));
    }
  });

  it.each(shapes)('%s: 8x the input takes at most 2.5 times the n·log n ratio', (_, make) => {
    // Grow n until the small run takes a few milliseconds, so timer noise cannot dominate.
    // The first runs also warm up the JIT.
    let n = 2000;
    let smallMs = timeAnalysis(make(n), 4);
    while (smallMs < 25 && n < 32_000) {
      n *= 2;
      smallMs = timeAnalysis(make(n), 4);
    }
    const largeMs = timeAnalysis(make(8 * n), 3);
    const ratio = largeMs / smallMs;
    expect(ratio, `n = ${n}: ${smallMs.toFixed(1)} ms, 8n: ${largeMs.toFixed(1)} ms`).toBeLessThan(nLogNBound(n));
  });
});
