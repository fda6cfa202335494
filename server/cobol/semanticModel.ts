/**
 * The semantic model: every program's symbols (data items with layout,
 * condition and index names, files, sections, paragraphs, SPECIAL-NAMES
 * names) and every reference resolved to one of them, with OF/IN
 * qualification, or reported as undefined or ambiguous.
 *
 * A nested program sees its own names first, then its containing programs'.
 * In a fragment (a copybook analysed on its own) names defined elsewhere are
 * expected, so undefined names are not reported there. In a program whose
 * text is incomplete (a COPY not expanded: missing, too deep, past a cap)
 * undefined names are withheld, collected per program, for one note on that
 * COPY instead of a cascade of errors hiding the real cause.
 */
import { buildDataItems, layoutRenames, tokenLocation } from './dataItems';
import type { FileDiagnostic } from './preprocessor';
import type { Occurrence } from './symbols';
import { isSuppliedName } from './suppliedNames';
import type { CobolSymbol, ProgramModel, SymbolKind } from './symbols';
import type { DataEntry, NameReference, ProgramNode, SyntaxNode } from './syntaxTree';
import type { Token } from './token';
import { TokenFlags } from './token';
import { maxCollectedDiagnostics } from './preprocessor';

export interface SemanticModel {
  programs: ProgramModel[];
  /** Declarations and resolved references, in no particular order. */
  occurrences: Occurrence[];
  diagnostics: FileDiagnostic[];
  /** Name errors not collected past `maxCollectedDiagnostics` (counted in the analysis's note). */
  droppedDiagnostics: number;
  /** Per incomplete program: names it uses that are not defined (upper case, first use first), not reported one by one. */
  withheld: Map<ProgramNode, Set<string>>;
  /**
   * Data names the programs use but declare nowhere, reported or withheld,
   * first use first (at most `maxUndeclared`): what a declaration being
   * typed most likely names (the completion engine's declaration names).
   */
  undeclared: UndeclaredName[];
}

export interface UndeclaredName {
  /** Upper case. */
  name: string;
  /** As first written. */
  text: string;
  program: ProgramNode;
  /** Token indexes of its first uses (at most `maxUsesKept`). */
  uses: number[];
}

const maxUndeclared = 2_000;
const maxUsesKept = 8;

type Resolution = { symbol: CobolSymbol; qualifiers: CobolSymbol[] } | { error: 'undefined' | 'ambiguous'; candidates: CobolSymbol[] };

/** Host variables live in EXEC SQL blocks, so the SQL areas are theirs. */
const sqlVocabulary: ReadonlySet<string> = new Set(['SQL']);

const dataKinds = new Set<SymbolKind>(['data', 'condition', 'index', 'file', 'special-name']);

/** `supplied`: vocabularies (SQL, CICS, DLI, MQ) whose product copybooks the source copies without having them. */
export function buildSemanticModel(
  roots: readonly ProgramNode[],
  tokens: readonly Token[],
  incomplete: ReadonlySet<ProgramNode> = new Set(),
  supplied: ReadonlySet<string> = new Set(),
): SemanticModel {
  const builder = new ModelBuilder(tokens, incomplete, supplied);
  const visit = (node: ProgramNode, parent: ProgramModel | undefined) => {
    const model = builder.declare(node, parent);
    for (const nested of node.nested) visit(nested, model);
  };
  for (const root of roots) visit(root, undefined);
  for (const model of builder.programs) builder.resolve(model);
  return { programs: builder.programs, occurrences: builder.occurrences, diagnostics: builder.diagnostics, droppedDiagnostics: builder.droppedDiagnostics, withheld: builder.withheld, undeclared: builder.undeclared };
}

class ModelBuilder {
  readonly programs: ProgramModel[] = [];
  readonly occurrences: Occurrence[] = [];
  readonly diagnostics: FileDiagnostic[] = [];
  droppedDiagnostics = 0;
  private readonly parents = new Map<ProgramModel, ProgramModel | undefined>();
  private readonly renames = new Map<ProgramModel, CobolSymbol[]>();
  readonly withheld = new Map<ProgramNode, Set<string>>();
  private readonly undeclaredByProgram = new Map<ProgramNode, Map<string, UndeclaredName>>();
  readonly undeclared: UndeclaredName[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly incomplete: ReadonlySet<ProgramNode>,
    private readonly supplied: ReadonlySet<string>,
  ) {}

  declare(node: ProgramNode, parent: ProgramModel | undefined): ProgramModel {
    const data = buildDataItems(node, this.tokens, this.diagnostics);
    const model: ProgramModel = { node, symbol: undefined, symbols: [], records: data.records, byName: new Map() };
    this.parents.set(model, parent);
    this.renames.set(model, data.renames);
    const add = (symbol: CobolSymbol) => {
      model.symbols.push(symbol);
      if (symbol.name !== 'FILLER' || symbol.kind !== 'data') {
        const list = model.byName.get(symbol.name);
        if (list) list.push(symbol);
        else model.byName.set(symbol.name, [symbol]);
      }
      if (symbol.nameToken >= 0) this.occur(symbol, symbol.nameToken, true);
    };
    if (node.nameToken >= 0) {
      model.symbol = this.symbol('program', node.name, node.nameToken, node, undefined);
      this.occur(model.symbol, node.nameToken, true);
    }
    for (const symbol of data.symbols) add(symbol);
    const files = new Map<string, CobolSymbol>();
    for (const select of node.selects) {
      const symbol = this.symbol('file', select.name, select.nameToken, node, undefined);
      files.set(select.name, symbol);
      add(symbol);
    }
    for (const fd of node.fileDescriptions) {
      const declared = files.get(fd.name);
      if (declared) this.occur(declared, fd.nameToken, false);
      else add(this.symbol('file', fd.name, fd.nameToken, node, undefined));
    }
    let section: CobolSymbol | undefined;
    for (const procedure of node.procedures) {
      const kind = procedure.kind === 'section' ? 'section' : 'paragraph';
      const symbol = this.symbol(kind, procedure.name, procedure.nameToken, node, kind === 'paragraph' ? section : undefined);
      if (kind === 'section') section = symbol;
      else section?.children.push(symbol);
      add(symbol);
    }
    for (const index of node.specialNames) add(this.symbol('special-name', this.tokens[index].upper, index, node, undefined));
    this.programs.push(model);
    return model;
  }

  resolve(model: ProgramModel): void {
    const node = model.node;
    const fragment = !node.hasIdentification;
    for (const item of this.renames.get(model) ?? []) {
      const renames = item.data?.entry.renames;
      if (!renames) continue;
      const from = this.resolveReference(model, renames.from, fragment);
      const thru = renames.thru ? this.resolveReference(model, renames.thru, fragment) : undefined;
      layoutRenames(item, from, thru);
    }
    const byEntry = new Map(model.symbols.filter((symbol) => symbol.kind === 'data').map((symbol) => [symbol.data!.entry, symbol]));
    const entries = node.dataEntries;
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k];
      if (entry.redefines) {
        const target = this.redefinedEntry(entries, k, byEntry) ?? this.resolveReference(model, entry.redefines, fragment);
        const symbol = byEntry.get(entry);
        if (symbol?.data && target && !symbol.data.redefines && target.kind === 'data') symbol.data.redefines = target;
      }
      if (entry.occurs?.dependingOn) this.resolveReference(model, entry.occurs.dependingOn, fragment);
      for (const key of entry.occurs?.keys ?? []) this.resolveReference(model, key, fragment);
    }
    for (const reference of node.references) this.resolveReference(model, reference, fragment);
    for (const host of node.hostReferences) {
      const upper = host.name.toUpperCase();
      const found = this.lookup(model, upper).filter((symbol) => dataKinds.has(symbol.kind));
      if (found.length >= 1) {
        this.occurrences.push({ symbol: found[0], file: host.file, line: host.line, col: host.col, endLine: host.line, endCol: host.col + host.name.length, declaration: false, replaced: false });
      } else if (!fragment && !isSuppliedName(upper, sqlVocabulary) && !this.withhold(model, upper)) {
        const range = { start: { line: host.line, character: host.col }, end: { line: host.line, character: host.col + host.name.length } };
        this.diagnostics.push({ file: host.file, range, severity: 'warning', code: 'semantic/undefined-host-variable', message: `Host variable :${host.name} is not defined in the DATA DIVISION.` });
      }
    }
  }

  /**
   * The item a REDEFINES names is the entry of the same level just before it
   * (past the redefining entries and subordinates between), so it needs no
   * qualification even where another group holds the same name.
   */
  private redefinedEntry(entries: readonly DataEntry[], index: number, byEntry: ReadonlyMap<DataEntry, CobolSymbol>): CobolSymbol | undefined {
    const entry = entries[index];
    const reference = entry.redefines!;
    if (reference.qualifiers.length > 0) return undefined;
    const name = this.tokens[reference.token].upper;
    for (let k = index - 1; k >= 0; k--) {
      const previous = entries[k];
      if (previous.level === 88 || previous.level === 66 || (previous.level > entry.level && previous.level <= 49)) continue;
      if (previous.level !== entry.level || previous.name !== name) return undefined;
      const symbol = byEntry.get(previous);
      if (symbol) this.occur(symbol, reference.token, false);
      return symbol;
    }
    return undefined;
  }

  private resolveReference(model: ProgramModel, reference: NameReference, fragment: boolean): CobolSymbol | undefined {
    const token = this.tokens[reference.token];
    const name = token.upper;
    const resolution = reference.procedure ? this.resolveProcedure(model, reference) : this.resolveData(model, reference);
    if ('symbol' in resolution) {
      this.occur(resolution.symbol, reference.token, false);
      reference.qualifiers.forEach((qualifier, index) => {
        const symbol = resolution.qualifiers[index];
        if (symbol) this.occur(symbol, qualifier, false);
      });
      return resolution.symbol;
    }
    if (resolution.error === 'ambiguous') {
      const where = resolution.candidates.slice(0, 4).map((candidate) => describeOwner(candidate)).join(', ');
      this.report(reference.token, 'semantic/ambiguous', `'${token.text}' is ambiguous: it names ${resolution.candidates.length} items (${where}). Qualify it with OF or IN.`);
      return undefined;
    }
    if (fragment || reference.soft || this.isImplicit(model, name)) return undefined;
    if (!reference.procedure && resolution.candidates.length === 0) this.noteUndeclared(model, reference.token);
    if (this.withhold(model, name)) return undefined;
    const what = reference.procedure ? 'paragraph or section' : 'data item';
    const qualified = reference.qualifiers.length > 0 ? ` with qualifiers ${reference.qualifiers.map((q) => this.tokens[q].text).join(', ')}` : '';
    this.report(reference.token, 'semantic/undefined', `No ${what} named '${token.text}'${qualified} is defined.`);
    return undefined;
  }

  private resolveData(model: ProgramModel, reference: NameReference): Resolution {
    const name = this.tokens[reference.token].upper;
    const candidates = this.lookup(model, name);
    if (candidates.length === 0) return { error: 'undefined', candidates };
    const qualifierNames = reference.qualifiers.map((q) => this.tokens[q].upper);
    const matches: { symbol: CobolSymbol; qualifiers: CobolSymbol[] }[] = [];
    for (const candidate of candidates) {
      const qualifiers = matchQualifiers(candidate, qualifierNames, (fileName) => this.lookup(model, fileName).find((s) => s.kind === 'file'));
      if (qualifiers) matches.push({ symbol: candidate, qualifiers });
    }
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) return { error: 'undefined', candidates };
    // Data names outrank procedure names that happen to share them; the innermost program outranks outer ones.
    const data = matches.filter((match) => dataKinds.has(match.symbol.kind));
    const preferred = data.length > 0 ? data : matches;
    const local = preferred.filter((match) => match.symbol.program === model.node);
    const pool = local.length > 0 ? local : preferred;
    if (pool.length === 1) return pool[0];
    // A reference that names every ancestor of one item (complete qualification) means that item.
    const complete = pool.filter((match) => isCompletelyQualified(match.symbol, qualifierNames));
    if (complete.length === 1) return complete[0];
    return { error: 'ambiguous', candidates: pool.map((match) => match.symbol) };
  }

  private resolveProcedure(model: ProgramModel, reference: NameReference): Resolution {
    const name = this.tokens[reference.token].upper;
    const candidates = (model.byName.get(name) ?? []).filter((symbol) => symbol.kind === 'paragraph' || symbol.kind === 'section');
    if (candidates.length === 0) return { error: 'undefined', candidates };
    if (reference.qualifiers.length > 0) {
      const sectionName = this.tokens[reference.qualifiers[0]].upper;
      const inSection = candidates.filter((symbol) => symbol.parent?.name === sectionName);
      if (inSection.length === 1) return { symbol: inSection[0], qualifiers: [inSection[0].parent!] };
      return { error: inSection.length === 0 ? 'undefined' : 'ambiguous', candidates: inSection };
    }
    if (candidates.length === 1) return { symbol: candidates[0], qualifiers: [] };
    // An unqualified paragraph name means the one in the referring section.
    const section = this.sectionAt(model, reference.token);
    const local = candidates.filter((symbol) => symbol.kind === 'paragraph' && symbol.parent === section);
    if (local.length === 1) return { symbol: local[0], qualifiers: [] };
    const sections = candidates.filter((symbol) => symbol.kind === 'section');
    if (sections.length === 1) return { symbol: sections[0], qualifiers: [] };
    return { error: 'ambiguous', candidates };
  }

  private sectionAt(model: ProgramModel, tokenIndex: number): CobolSymbol | undefined {
    let section: SyntaxNode | undefined;
    for (const procedure of model.node.procedures) {
      if (procedure.start > tokenIndex) break;
      if (procedure.kind === 'section') section = procedure;
    }
    if (!section) return undefined;
    return model.symbols.find((symbol) => symbol.kind === 'section' && symbol.nameToken === section!.nameToken);
  }

  /** Symbols with this name in the program, else in its containing programs. */
  private lookup(model: ProgramModel, name: string): CobolSymbol[] {
    for (let current: ProgramModel | undefined = model; current; current = this.parents.get(current)) {
      const found = current.byName.get(name);
      if (found && found.length > 0) return found;
    }
    return [];
  }

  private noteUndeclared(model: ProgramModel, tokenIndex: number): void {
    const token = this.tokens[tokenIndex];
    const names = this.undeclaredByProgram.get(model.node) ?? this.undeclaredByProgram.set(model.node, new Map()).get(model.node)!;
    const known = names.get(token.upper);
    if (known) {
      if (known.uses.length < maxUsesKept) known.uses.push(tokenIndex);
    } else if (this.undeclared.length < maxUndeclared) {
      const entry: UndeclaredName = { name: token.upper, text: token.text, program: model.node, uses: [tokenIndex] };
      names.set(token.upper, entry);
      this.undeclared.push(entry);
    }
  }

  /** In an incomplete program, records an undefined name instead of reporting it; false elsewhere. */
  private withhold(model: ProgramModel, name: string): boolean {
    if (!this.incomplete.has(model.node)) return false;
    const names = this.withheld.get(model.node);
    if (names) names.add(name);
    else this.withheld.set(model.node, new Set([name]));
    return true;
  }

  private isImplicit(model: ProgramModel, name: string): boolean {
    return isSuppliedName(name, model.node.execLanguages) || isSuppliedName(name, this.supplied);
  }

  private symbol(kind: SymbolKind, name: string, nameToken: number, program: ProgramNode, parent: CobolSymbol | undefined): CobolSymbol {
    return { kind, name, declaration: tokenLocation(this.tokens[nameToken]), nameToken, program, parent, children: [], data: undefined };
  }

  private occur(symbol: CobolSymbol, tokenIndex: number, declaration: boolean): void {
    const token = this.tokens[tokenIndex];
    const replaced = (token.flags & TokenFlags.Replaced) !== 0;
    this.occurrences.push({ symbol, file: token.file, line: token.line, col: token.col, endLine: token.endLine, endCol: token.endCol, declaration, replaced });
  }

  private report(tokenIndex: number, code: string, message: string): void {
    // Capped where it grows: 90,000 undefined names cost a counter each, not a diagnostic.
    if (this.diagnostics.length >= maxCollectedDiagnostics) {
      this.droppedDiagnostics++;
      return;
    }
    const location = tokenLocation(this.tokens[tokenIndex]);
    this.diagnostics.push({ ...location, severity: 'error', code, message });
  }
}

/**
 * Checks `OF q1 OF q2 …` against a candidate's ancestors (in order, skipping
 * levels as COBOL allows); a record's file name also qualifies it. Returns
 * the ancestors matched, or undefined.
 */
function matchQualifiers(candidate: CobolSymbol, qualifiers: readonly string[], fileNamed: (name: string) => CobolSymbol | undefined): CobolSymbol[] | undefined {
  const matched: CobolSymbol[] = [];
  let ancestor = candidate.parent;
  for (const qualifier of qualifiers) {
    while (ancestor && ancestor.name !== qualifier) ancestor = ancestor.parent;
    if (ancestor) {
      matched.push(ancestor);
      ancestor = ancestor.parent;
      continue;
    }
    const record = candidate.data?.record ?? candidate.parent?.data?.record;
    const fileName = record?.data?.fileName;
    if (fileName === qualifier) {
      const file = fileNamed(fileName);
      if (file) matched.push(file);
      continue;
    }
    return undefined;
  }
  return matched;
}

function isCompletelyQualified(symbol: CobolSymbol, qualifiers: readonly string[]): boolean {
  let ancestor = symbol.parent;
  let k = 0;
  for (; ancestor && k < qualifiers.length; k++, ancestor = ancestor.parent) {
    if (ancestor.name !== qualifiers[k]) return false;
  }
  // Every ancestor named; a trailing file name (records of a file) may follow.
  return ancestor === undefined && (k === qualifiers.length || k === qualifiers.length - 1);
}

function describeOwner(symbol: CobolSymbol): string {
  if (symbol.kind === 'paragraph' || symbol.kind === 'section') return `${symbol.kind} ${symbol.name}${symbol.parent ? ` in ${symbol.parent.name}` : ''}`;
  return symbol.parent ? `${symbol.name} OF ${symbol.parent.name}` : symbol.name;
}
