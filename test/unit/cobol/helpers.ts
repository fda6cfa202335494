/**
 * Shared test helpers for the front end: analyse a program with in-memory
 * copybooks, find positions by text, and render results compactly.
 */
import { type Analysis, analyseProgram, type CopybookResolver, type Position } from '../../../server/cobol';

export const programId = '/src/PROGRAM.cbl';

/** Serves copybooks from memory by name (case-insensitive); library names become subfolders. */
export function memoryResolver(copybooks: Record<string, string>): CopybookResolver {
  const byName = new Map(Object.entries(copybooks).map(([name, text]) => [name.toUpperCase(), { name, text }]));
  return {
    resolve({ name, library }) {
      const key = (library ? `${library}/${name}` : name).toUpperCase();
      const found = byName.get(key);
      return found ? { file: `/copy/${found.name}.cpy`, text: found.text } : undefined;
    },
  };
}

export function analyse(text: string, copybooks: Record<string, string> = {}, format: 'auto' | 'fixed' | 'free' = 'auto'): Analysis {
  return analyseProgram({ id: programId, text, settings: { sourceFormat: format }, resolver: memoryResolver(copybooks) });
}

/** Fixed-format lines: each given line is code starting in column 8 unless it starts with a column marker. */
export function fixed(...lines: string[]): string {
  return lines.map((line) => (line.startsWith('|') ? line.slice(1) : `       ${line}`)).join('\n');
}

/** The position of the `occurrence`-th (0-based) match of `needle` in `text`, plus `offset` characters. */
export function positionOf(text: string, needle: string, occurrence = 0, offset = 0): Position {
  let index = -1;
  for (let k = 0; k <= occurrence; k++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`'${needle}' occurs fewer than ${occurrence + 1} times`);
  }
  index += offset;
  const before = text.slice(0, index);
  const line = before.split('\n').length - 1;
  return { line, character: index - (before.lastIndexOf('\n') + 1) };
}

/** Diagnostics as `file:line code` (one-based lines, file base name) for compact expectations. */
export function diagnosticsOf(analysis: Analysis): string[] {
  return analysis.diagnostics.map((d) => `${baseName(d.file)}:${d.range.start.line + 1} ${d.code}`);
}

export function baseName(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}
