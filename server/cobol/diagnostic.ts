/**
 * The front end's own diagnostic type. Positions are zero-based (line,
 * character) like LSP's, so the LSP layer converts them without arithmetic,
 * but nothing here depends on LSP.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** Stable, documented identifier such as `fixed-format/indicator`. */
  code: string;
  message: string;
}

export function rangeOnLine(line: number, startCharacter: number, endCharacter: number): Range {
  return { start: { line, character: startCharacter }, end: { line, character: endCharacter } };
}
