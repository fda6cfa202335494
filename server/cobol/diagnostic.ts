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

const invisibleCharacters = /[\u0000-\u001f\u007f-\u00a0]/g;

/** `U+0000` notation of a character's code. */
export function codePointName(character: string): string {
  return `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Writes control characters (NUL, tab, …) and the no-break space as
 * `<U+0000>`: messages quote source text, and raw control characters break
 * terminals, JSON consumers and the editor's Problems panel.
 */
export function escapeInvisible(text: string): string {
  return text.replace(invisibleCharacters, (character) => `<${codePointName(character)}>`);
}
