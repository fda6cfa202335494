/**
 * The front end's time grows linearly with its input: each kind of input is
 * analysed at size n and 8n, and the time ratio must stay far below the 64
 * a quadratic algorithm would show (the bound, 32, half of that, leaves room for a noisy
 * shared machine and for garbage collection). Each size is timed as the
 * fastest of a few runs. Valid generated programs,
 * garbage, and shapes that trip naive parsers (unclosed literals, nesting
 * without terminators, one huge line) are all covered.
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

describe('time grows linearly with the input', () => {
  it.each(shapes)('%s: 8x the input takes at most half the 64x of quadratic time', (_, make) => {
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
    expect(ratio, `n = ${n}: ${smallMs.toFixed(1)} ms, 8n: ${largeMs.toFixed(1)} ms`).toBeLessThan(32);
  });
});
