/**
 * The semantic model's types: symbols (data items, condition names, index
 * names, files, sections, paragraphs, programs, SPECIAL-NAMES names) and
 * their occurrences in the source.
 */
import type { Range } from './diagnostic';
import type { PictureInfo } from './picture';
import type { DataEntry, DataSectionName, ProgramNode } from './syntaxTree';

export type SymbolKind = 'data' | 'condition' | 'index' | 'file' | 'paragraph' | 'section' | 'program' | 'special-name';

/** A place in one of the analysis' source files (index into `Analysis.files`). */
export interface SourceLocation {
  file: number;
  range: Range;
}

export interface DataInfo {
  level: number;
  entry: DataEntry;
  picture: PictureInfo | undefined;
  /** Effective usage (inherited from the group when not written), DISPLAY by default. */
  usage: string;
  /** Bytes of one occurrence. */
  size: number;
  /** Byte offset from the start of its record (the 01 or 77 item). */
  offset: number;
  /** The level-01/77 item (or fragment root) holding this one. */
  record: CobolSymbol;
  redefines: CobolSymbol | undefined;
  section: DataSectionName | undefined;
  /** The FD/SD name for file records. */
  fileName: string | undefined;
}

export interface CobolSymbol {
  kind: SymbolKind;
  /** Upper-case name. */
  name: string;
  declaration: SourceLocation;
  /** Token index of the declaring word, or -1 for implicit symbols. */
  nameToken: number;
  program: ProgramNode;
  /** Data: the containing group (or the item an 88 or index belongs to); paragraph: its section. */
  parent: CobolSymbol | undefined;
  children: CobolSymbol[];
  data: DataInfo | undefined;
}

/**
 * One place a symbol's name is written. Positions are plain numbers (a
 * program has one occurrence per name in its text; `occurrenceRange` makes
 * the range object when one is needed).
 */
export interface Occurrence {
  symbol: CobolSymbol;
  file: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  declaration: boolean;
  /** The text at this place was produced by REPLACING: renaming it there is not possible. */
  replaced: boolean;
}

export function occurrenceRange(occurrence: Occurrence): Range {
  return { start: { line: occurrence.line, character: occurrence.col }, end: { line: occurrence.endLine, character: occurrence.endCol } };
}

/** Everything known about one program (nested programs have their own). */
export interface ProgramModel {
  node: ProgramNode;
  symbol: CobolSymbol | undefined;
  /** Every symbol declared in the program, in declaration order. */
  symbols: CobolSymbol[];
  /** Level-01/77 items and fragment roots, with their subordinates as children. */
  records: CobolSymbol[];
  byName: Map<string, CobolSymbol[]>;
}

/** Qualified name, innermost first: `FIELD OF GROUP OF RECORD`. */
export function qualifiedName(symbol: CobolSymbol): string {
  const parts = [symbol.name];
  for (let parent = symbol.parent; parent; parent = parent.parent) if (parent.kind === 'data') parts.push(parent.name);
  return parts.join(' OF ');
}
