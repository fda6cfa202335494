/**
 * Turns logical lines (area A / area B code with an indent depth, comments,
 * blank lines, directives) into source text in one of the layouts shops use:
 * fixed format with or without sequence numbers and columns 73-80, or free
 * format. Applies the program's letter case outside string literals.
 */
import type { Style } from './style';

export type LogicalLine =
  | { kind: 'a'; text: string }
  | { kind: 'b'; text: string; depth: number }
  | { kind: 'comment'; text: string }
  | { kind: 'blank' }
  | { kind: 'directive'; text: string };

/** Marker inside a data-description line: pad here so the rest starts at the PIC column. */
export const ALIGN = '\u0001';

export function render(lines: readonly LogicalLine[], style: Style, programId: string): string {
  const out: string[] = [];
  const fixed = style.layout !== 'free';
  let seq = style.seqStart;
  const tag = style.tagKind === 'progid' ? programId.slice(0, 8) : 'CHG' + String((programId.length * 7919) % 10000).padStart(4, '0');
  const emit = (indicator: string, body: string): void => {
    if (!fixed) {
      out.push(body.trimEnd());
      return;
    }
    let seqArea = '      ';
    if (style.layout === 'fixed-seq' || style.layout === 'fixed-tag') {
      seqArea = String(seq % 1000000).padStart(6, '0');
      seq += style.seqStep;
    }
    let line = seqArea + indicator + body;
    if (style.layout === 'fixed-tag' || (style.layout === 'fixed-seq' && style.seqStep === 100)) {
      line = line.padEnd(72, ' ') + tag.padEnd(8, ' ');
    }
    out.push(line.trimEnd());
  };
  for (const line of lines) {
    switch (line.kind) {
      case 'blank':
        emit(' ', '');
        break;
      case 'directive':
        if (fixed) emit(' ', applyCase(line.text, style));
        else out.push(applyCase(line.text, style));
        break;
      case 'comment': {
        const text = style.lower && !/[a-z]/.test(line.text) ? line.text.toLowerCase() : line.text;
        if (fixed) emit('*', text.slice(0, 64));
        else out.push('*> ' + text.trim());
        break;
      }
      case 'a':
        for (const piece of wrap(applyCase(line.text, style), fixed ? 65 : 100)) {
          emit(' ', (piece.first ? '' : ' '.repeat(4)) + piece.text);
        }
        break;
      case 'b': {
        const indent = 4 + line.depth * style.indentStep;
        const width = fixed ? 65 - indent : 110;
        let first = true;
        for (const piece of wrap(applyCase(line.text, style), width, indent)) {
          emit(' ', ' '.repeat(indent + (first ? 0 : style.indentStep)) + piece.text);
          first = false;
        }
        break;
      }
    }
  }
  return out.join('\n') + '\n';
}

/** Upper or lower case for code, leaving quoted literals as they are. */
function applyCase(text: string, style: Style): string {
  if (!style.lower) return text;
  return text.replace(/('[^']*'|"[^"]*")|[^'"]+/g, (m, lit: string | undefined) => (lit ? m : m.toLowerCase()));
}

/**
 * Splits a line at spaces outside literals so that it fits; resolves the PIC
 * alignment marker. Literals are never split (generators keep them short).
 */
function wrap(text: string, width: number, indent = 0): Array<{ text: string; first: boolean }> {
  const aligned = resolveAlign(text, indent);
  if (aligned.length <= width) return [{ text: aligned, first: true }];
  const words = splitWords(aligned.replace(/ {2,}/g, ' '));
  const pieces: Array<{ text: string; first: boolean }> = [];
  let current = '';
  for (const word of words) {
    const limit = pieces.length === 0 ? width : width - 4;
    if (current && current.length + 1 + word.length > limit) {
      pieces.push({ text: current, first: pieces.length === 0 });
      current = word;
    } else current = current ? current + ' ' + word : word;
  }
  if (current) pieces.push({ text: current, first: pieces.length === 0 });
  return pieces;
}

function resolveAlign(text: string, indent: number): string {
  const at = text.indexOf(ALIGN);
  if (at < 0) return text;
  const column = text.charCodeAt(at + 1) - 32;
  const before = text.slice(0, at);
  const after = text.slice(at + 2);
  // column is relative to column 8 of fixed format (area A start).
  const pad = column > 0 ? column - (indent + before.length) : 1;
  return before + ' '.repeat(Math.max(1, pad)) + after;
}

function splitWords(text: string): string[] {
  const words: string[] = [];
  const re = /'[^']*'|"[^"]*"|\S+/g;
  let current = '';
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const gap = text.slice(last, m.index);
    if (gap.length > 0 && current) {
      words.push(current);
      current = '';
    }
    current += m[0];
    last = m.index + m[0].length;
  }
  if (current) words.push(current);
  return words;
}
