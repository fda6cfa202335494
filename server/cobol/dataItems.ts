/**
 * Builds a program's data item hierarchy from its flat data entries (by
 * level number) and computes each item's byte size and offset in its record:
 * group sizes, OCCURS (maximum), REDEFINES (shares the redefined item's
 * offset), RENAMES (66: the span it renames), usage inherited from groups.
 */
import type { FileDiagnostic } from './preprocessor';
import { analysePicture, storageSize } from './picture';
import type { CobolSymbol, DataInfo, SourceLocation } from './symbols';
import type { DataEntry, ProgramNode } from './syntaxTree';
import type { Token } from './token';

export interface DataBuild {
  records: CobolSymbol[];
  /** Every data, condition and index symbol in declaration order. */
  symbols: CobolSymbol[];
  /** RENAMES entries, laid out once names can be resolved. */
  renames: CobolSymbol[];
}

export function buildDataItems(program: ProgramNode, tokens: readonly Token[], diagnostics: FileDiagnostic[]): DataBuild {
  const records: CobolSymbol[] = [];
  const symbols: CobolSymbol[] = [];
  const renames: CobolSymbol[] = [];
  const stack: CobolSymbol[] = [];
  let lastItem: CobolSymbol | undefined;
  let currentRecord: CobolSymbol | undefined;

  const constants = namedConstants(program);
  for (const entry of program.dataEntries) {
    const location = entryLocation(entry, tokens);
    if (entry.level === 88) {
      const owner = lastItem;
      const condition = newSymbol('condition', entry, location, program, owner);
      if (owner) owner.children.push(condition);
      symbols.push(condition);
      continue;
    }
    const symbol = newSymbol('data', entry, location, program, undefined);
    const info: DataInfo = {
      level: entry.level, entry, picture: undefined, usage: entry.usage ?? 'DISPLAY', size: 0, offset: 0, record: symbol,
      redefines: undefined, section: entry.section,
      fileName: entry.fileDescription >= 0 ? program.fileDescriptions[entry.fileDescription]?.name : undefined,
    };
    symbol.data = info;
    if (entry.picture) {
      const picture = analysePicture(entry.picture, program.currencySymbols, constants);
      if (picture.ok) info.picture = picture.info;
      else diagnostics.push({ ...location, severity: 'error', code: 'semantic/picture', message: picture.message });
    }
    if (entry.level === 66) {
      symbol.parent = currentRecord;
      if (currentRecord) {
        currentRecord.children.push(symbol);
        info.record = currentRecord;
      }
      renames.push(symbol);
    } else if (entry.level === 1 || entry.level === 77 || entry.level === 78 || stack.length === 0) {
      stack.length = 0;
      stack.push(symbol);
      records.push(symbol);
      currentRecord = symbol;
    } else {
      while (stack.length > 0 && (stack[stack.length - 1].data?.level ?? 0) >= entry.level) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) {
        symbol.parent = parent;
        parent.children.push(symbol);
        info.record = parent.data?.record ?? parent;
        if (!entry.usage && parent.data) info.usage = parent.data.usage;
      } else {
        records.push(symbol);
        currentRecord = symbol;
      }
      stack.push(symbol);
    }
    symbols.push(symbol);
    lastItem = symbol;
    for (const indexToken of entry.occurs?.indexNames ?? []) {
      const index = newSymbol('index', entry, tokenLocation(tokens[indexToken]), program, symbol);
      index.name = tokens[indexToken].upper;
      index.nameToken = indexToken;
      symbols.push(index);
    }
  }
  for (const record of records) layout(record, 0, tokens, diagnostics);
  return { records, symbols, renames };
}

/** Sets sizes and offsets below `item`, which starts at `offset` in its record. Returns one occurrence's size. */
function layout(item: CobolSymbol, offset: number, tokens: readonly Token[], diagnostics: FileDiagnostic[]): number {
  const info = item.data;
  if (!info) return 0;
  info.offset = offset;
  const members = item.children.filter((child) => child.kind === 'data' && child.data?.level !== 66);
  if (members.length === 0) {
    info.size = storageSize(info.picture, info.usage, info.entry.signSeparate);
    const describesStorage = info.section !== 'SCREEN' && info.section !== 'REPORT' && info.entry.values.length === 0;
    if (!info.picture && needsPicture(info.usage) && info.level !== 66 && describesStorage) {
      diagnostics.push({ ...item.declaration, severity: 'warning', code: 'semantic/no-picture', message: `${item.name} is an elementary item without a PICTURE.` });
    }
    return info.size;
  }
  let cursor = 0;
  let extent = 0;
  const byName = new Map<string, CobolSymbol>();
  for (const child of members) {
    const childInfo = child.data!;
    let start = offset + cursor;
    const redefines = childInfo.entry.redefines;
    const target = redefines ? byName.get(tokens[redefines.token].upper) : undefined;
    if (target?.data) {
      childInfo.redefines = target;
      start = target.data.offset;
    }
    const size = layout(child, start, tokens, diagnostics) * occurrences(childInfo);
    if (!target) cursor += size;
    extent = Math.max(extent, start - offset + size);
    if (child.name) byName.set(child.name, child);
  }
  info.size = Math.max(cursor, extent);
  return info.size;
}

function occurrences(info: DataInfo): number {
  return info.entry.occurs ? Math.max(1, info.entry.occurs.max) : 1;
}

function needsPicture(usage: string): boolean {
  return usage === 'DISPLAY' || usage === 'BINARY' || usage === 'PACKED-DECIMAL' || usage === 'COMP-5' || usage === 'NATIONAL';
}

function newSymbol(kind: CobolSymbol['kind'], entry: DataEntry, declaration: SourceLocation, program: ProgramNode, parent: CobolSymbol | undefined): CobolSymbol {
  return { kind, name: entry.name ?? 'FILLER', declaration, nameToken: entry.nameToken, program, parent, children: [], data: undefined };
}

function entryLocation(entry: DataEntry, tokens: readonly Token[]): SourceLocation {
  return tokenLocation(tokens[entry.nameToken >= 0 ? entry.nameToken : entry.node.start]);
}

export function tokenLocation(token: Token): SourceLocation {
  return { file: token.file, range: { start: { line: token.line, character: token.col }, end: { line: token.endLine, character: token.endCol } } };
}

/** Lays out 66-level RENAMES items once their targets are resolved. */
export function layoutRenames(item: CobolSymbol, from: CobolSymbol | undefined, thru: CobolSymbol | undefined): void {
  if (!item.data || !from?.data) return;
  item.data.offset = from.data.offset;
  const last = thru?.data ?? from.data;
  item.data.size = Math.max(0, last.offset + last.size * occurrences(last) - from.data.offset);
  item.data.usage = from.data.usage;
}

/** Numeric named constants (level 78, `CONSTANT AS`) by name, for PICTURE repetitions that name one. */
function namedConstants(program: ProgramNode): Map<string, number> | undefined {
  let constants: Map<string, number> | undefined;
  for (const entry of program.dataEntries) {
    if ((entry.level !== 78 && !entry.constant) || !entry.name || entry.values.length !== 1) continue;
    const value = Number(entry.values[0]);
    if (Number.isInteger(value) && value > 0) (constants ??= new Map()).set(entry.name, value);
  }
  return constants;
}
