/**
 * The syntax tree the parser produces. Positions are token indexes into the
 * preprocessed token array (`start` inclusive, `end` exclusive); the analysis
 * turns them into file ranges. Every node has a span, also when the source is
 * broken: the parser closes what it cannot finish.
 */

export type NodeKind =
  | 'program'
  | 'division'
  | 'section'
  | 'paragraph'
  | 'statement'
  | 'dataEntry'
  | 'fileDescription'
  | 'select'
  | 'exec'
  | 'directive'
  | 'declaratives';

export interface SyntaxNode {
  kind: NodeKind;
  /** Upper-case name: the program, division, section or paragraph name; a statement's verb; a data entry's name. */
  name: string;
  /** Token index of the name (the verb for statements), or -1. */
  nameToken: number;
  start: number;
  end: number;
  children: SyntaxNode[];
}

/** A name reference: the word and its OF/IN qualifiers, as token indexes. */
export interface NameReference {
  token: number;
  qualifiers: number[];
  /** Where a procedure name (paragraph or section) is expected. */
  procedure: boolean;
  /** Resolve if possible, but an unknown name is no error (for example ASSIGN TO names). */
  soft: boolean;
}

/** A host variable `:NAME` inside EXEC … END-EXEC. */
export interface HostReference {
  name: string;
  /** Token index of the Exec token. */
  execToken: number;
  file: number;
  line: number;
  col: number;
}

export interface OccursClause {
  min: number;
  max: number;
  dependingOn: NameReference | undefined;
  keys: NameReference[];
  /** Token indexes of INDEXED BY names (they are defined here). */
  indexNames: number[];
}

export type DataSectionName = 'FILE' | 'WORKING-STORAGE' | 'LOCAL-STORAGE' | 'LINKAGE' | 'REPORT' | 'SCREEN' | 'COMMUNICATION';

export interface DataEntry {
  /** `CONSTANT [AS] literal`: a named constant (level 78 is one too). */
  constant?: boolean;
  node: SyntaxNode;
  level: number;
  /** Upper-case name; undefined for FILLER and unnamed entries. */
  name: string | undefined;
  nameToken: number;
  picture: string | undefined;
  /** Normalised usage: DISPLAY, BINARY, COMP-5, PACKED-DECIMAL, COMP-1, COMP-2, POINTER, INDEX, NATIONAL, … */
  usage: string | undefined;
  /** VALUE clause entries as written, a range as `A THRU B`. */
  values: string[];
  occurs: OccursClause | undefined;
  redefines: NameReference | undefined;
  renames: { from: NameReference; thru: NameReference | undefined } | undefined;
  signSeparate: boolean;
  justified: boolean;
  synchronized: boolean;
  blankWhenZero: boolean;
  external: boolean;
  global: boolean;
  section: DataSectionName | undefined;
  /** Index into the program's fileDescriptions for records of an FD/SD. */
  fileDescription: number;
}

export interface FileDescription {
  node: SyntaxNode;
  /** FD, SD, RD or CD. */
  type: string;
  name: string;
  nameToken: number;
}

export interface SelectEntry {
  node: SyntaxNode;
  name: string;
  nameToken: number;
  /** The ASSIGN target as written. */
  assign: string | undefined;
  organization: string | undefined;
  access: string | undefined;
}

export interface CallSite {
  /** The called program's name, for a literal target. */
  name: string;
  token: number;
}

export interface ProgramNode extends SyntaxNode {
  kind: 'program';
  /** False for the implicit program holding a copybook's contents. */
  hasIdentification: boolean;
  parent: ProgramNode | undefined;
  nested: ProgramNode[];
  dataEntries: DataEntry[];
  fileDescriptions: FileDescription[];
  selects: SelectEntry[];
  /** Paragraph and section nodes in source order. */
  procedures: SyntaxNode[];
  references: NameReference[];
  hostReferences: HostReference[];
  calls: CallSite[];
  /** Token indexes of names defined in SPECIAL-NAMES (mnemonic, class, alphabet, symbolic). */
  specialNames: number[];
  /** PICTURE symbols declared by CURRENCY SIGN in SPECIAL-NAMES (upper case), beside `$`. */
  currencySymbols: string[];
  /** REPOSITORY: `FUNCTION ALL INTRINSIC` (true), and function names declared there (upper case): usable without the word FUNCTION. */
  allIntrinsic: boolean;
  repositoryFunctions: Set<string>;
  /** Languages of the program's EXEC blocks (SQL, CICS, …), which define implicit registers. */
  execLanguages: Set<string>;
}

export function newNode(kind: NodeKind, name: string, nameToken: number, start: number): SyntaxNode {
  return { kind, name, nameToken, start, end: start, children: [] };
}
