/**
 * Parses one data description entry (`level name clauses… .`) of the DATA
 * DIVISION: PICTURE, USAGE, VALUE(S), OCCURS, REDEFINES, RENAMES, SIGN,
 * JUSTIFIED, SYNCHRONIZED, BLANK WHEN ZERO, EXTERNAL, GLOBAL and the rest.
 * A missing period before the next entry is reported and the next entry
 * still parsed.
 */
import type { ParserState } from './parserState';
import { reservedWords } from './reservedWords';
import { type DataEntry, type DataSectionName, newNode, type NameReference } from './syntaxTree';
import { TokenKind } from './token';

const usageWords: Record<string, string> = {
  BINARY: 'BINARY', COMP: 'BINARY', COMPUTATIONAL: 'BINARY', 'COMP-4': 'BINARY', 'COMPUTATIONAL-4': 'BINARY',
  'COMP-5': 'COMP-5', 'COMPUTATIONAL-5': 'COMP-5', 'COMP-X': 'COMP-X', 'COMPUTATIONAL-X': 'COMP-X', 'COMP-N': 'COMP-N',
  'COMP-3': 'PACKED-DECIMAL', 'COMPUTATIONAL-3': 'PACKED-DECIMAL', 'PACKED-DECIMAL': 'PACKED-DECIMAL',
  'COMP-6': 'COMP-6', 'COMPUTATIONAL-6': 'COMP-6',
  'COMP-1': 'COMP-1', 'COMPUTATIONAL-1': 'COMP-1', 'FLOAT-SHORT': 'COMP-1',
  'COMP-2': 'COMP-2', 'COMPUTATIONAL-2': 'COMP-2', 'FLOAT-LONG': 'COMP-2',
  DISPLAY: 'DISPLAY', 'DISPLAY-1': 'DISPLAY-1', NATIONAL: 'NATIONAL', 'UTF-8': 'UTF-8',
  INDEX: 'INDEX', POINTER: 'POINTER', 'PROCEDURE-POINTER': 'PROCEDURE-POINTER', 'FUNCTION-POINTER': 'FUNCTION-POINTER',
  'PROGRAM-POINTER': 'PROCEDURE-POINTER', 'OBJECT': 'OBJECT-REFERENCE',
  'BINARY-CHAR': 'BINARY-CHAR', 'BINARY-SHORT': 'BINARY-SHORT', 'BINARY-LONG': 'BINARY-LONG', 'BINARY-DOUBLE': 'BINARY-DOUBLE',
  'FLOAT-BINARY-7': 'COMP-1', 'FLOAT-BINARY-16': 'COMP-2', 'FLOAT-BINARY-34': 'FLOAT-BINARY-34',
  // GnuCOBOL's C-sized binary usages.
  'BINARY-LONG-LONG': 'BINARY-DOUBLE', 'BINARY-C-LONG': 'BINARY-DOUBLE', 'SIGNED-SHORT': 'BINARY-SHORT', 'UNSIGNED-SHORT': 'BINARY-SHORT',
  'SIGNED-INT': 'BINARY-LONG', 'UNSIGNED-INT': 'BINARY-LONG', 'SIGNED-LONG': 'BINARY-DOUBLE', 'UNSIGNED-LONG': 'BINARY-DOUBLE',
  'FLOAT-BINARY-32': 'COMP-1', 'FLOAT-BINARY-64': 'COMP-2', 'FLOAT-BINARY-128': 'FLOAT-BINARY-34',
  'FLOAT-DECIMAL-16': 'FLOAT-DECIMAL-16', 'FLOAT-DECIMAL-34': 'FLOAT-DECIMAL-34', 'FLOAT-EXTENDED': 'FLOAT-EXTENDED',
};

const validLevel = (level: number) => (level >= 1 && level <= 49) || level === 66 || level === 77 || level === 78 || level === 88;

/** Words that begin a clause, so an entry whose second word is one of them has no name. */
const clauseStarters = new Set([
  'PIC', 'PICTURE', 'USAGE', 'VALUE', 'VALUES', 'OCCURS', 'REDEFINES', 'RENAMES', 'SIGN', 'LEADING', 'TRAILING', 'JUST', 'JUSTIFIED',
  'SYNC', 'SYNCHRONIZED', 'BLANK', 'EXTERNAL', 'GLOBAL', 'BASED', 'IS', 'TYPEDEF', 'GROUP-USAGE', 'DYNAMIC', 'ANY', 'CONSTANT', 'FROM',
  'TO', 'USING', 'LINE', 'COLUMN', 'COL', 'FOREGROUND-COLOR', 'BACKGROUND-COLOR', 'HIGHLIGHT', 'REVERSE-VIDEO', 'UNDERLINE', 'BLINK',
  'SECURE', 'AUTO', 'REQUIRED', 'FULL', 'PROMPT', 'BELL', 'ERASE', 'VOLATILE', 'SELECT', 'SAME', 'PROPERTY', 'SOURCE', 'SUM', 'TYPE',
  'NEXT', 'GROUP', 'PRESENT', 'SIZE',
  ...Object.keys(usageWords),
]);

/** Parses the entry whose level number is at the cursor and returns it. */
export function parseDataEntry(p: ParserState, section: DataSectionName | undefined, fileDescription: number): DataEntry {
  const start = p.i;
  const levelToken = p.tokens[p.i];
  const level = Number.parseInt(levelToken.text, 10);
  if (!validLevel(level)) p.error(start, 'syntax/level', `${levelToken.text} is not a level number: use 01-49, 66, 77 or 88.`);
  p.i++;
  let name: string | undefined;
  let nameToken = -1;
  const next = p.peek();
  if (next && next.kind === TokenKind.Word && !clauseStarters.has(next.upper) && !startsHeader(p, p.i)) {
    if (next.upper !== 'FILLER') {
      name = next.upper;
      nameToken = p.i;
      p.declared.add(name);
    }
    p.i++;
  }
  const node = newNode('dataEntry', name ?? 'FILLER', nameToken, start);
  const entry: DataEntry = {
    node, level, name, nameToken, picture: undefined, usage: undefined, values: [], occurs: undefined, redefines: undefined,
    renames: undefined, signSeparate: false, justified: false, synchronized: false, blankWhenZero: false, external: false,
    global: false, section, fileDescription,
  };
  parseClauses(p, entry);
  if (p.isPeriod()) p.i++;
  node.end = p.i;
  return entry;
}

/** A section or division header starts at `index` (`PROCEDURE DIVISION`, `LINKAGE SECTION`). */
function startsHeader(p: ParserState, index: number): boolean {
  const next = p.tokens[index + 1]?.upper;
  return p.tokens[index]?.kind === TokenKind.Word && (next === 'DIVISION' || next === 'SECTION');
}

function parseClauses(p: ParserState, entry: DataEntry): void {
  while (!p.atEnd && !p.isPeriod()) {
    const at = p.i;
    const token = p.tokens[at];
    if (token.kind === TokenKind.Number && p.startsLine(at) && validLevel(Number.parseInt(token.text, 10)) && !token.text.includes('.')) {
      p.error(at - 1, 'syntax/expected-period', `Expected a period before the next data description entry (level ${token.text}).`);
      return;
    }
    // An entry still being typed (`05` and nothing yet) must not swallow the next section or division.
    if (startsHeader(p, at)) {
      p.error(at - 1, 'syntax/expected-period', `Expected a period before ${token.text} ${p.tokens[at + 1]!.text}.`);
      return;
    }
    if (token.kind !== TokenKind.Word) {
      p.error(at, 'syntax/data-clause', `Unexpected ${p.describe(at)} in the description of ${entry.name ?? 'FILLER'}.`);
      while (!p.atEnd && !p.isPeriod()) p.i++;
      return;
    }
    clause(p, entry, token.upper);
    if (p.i === at) {
      if (reservedWords.has(token.upper)) p.i++; // a keyword we do not model: tolerate it
      else {
        p.error(at, 'syntax/data-clause', `Unexpected ${p.describe(at)} in the description of ${entry.name ?? 'FILLER'}.`);
        while (!p.atEnd && !p.isPeriod()) p.i++;
      }
    }
  }
}

function clause(p: ParserState, entry: DataEntry, word: string): void {
  const usage = usageWords[word];
  if (usage) {
    p.i++;
    entry.usage = usage;
    if (word === 'OBJECT') p.accept('REFERENCE');
    p.accept('SIGNED') || p.accept('UNSIGNED');
    return;
  }
  switch (word) {
    case 'PIC':
    case 'PICTURE':
      p.i++;
      p.accept('IS');
      // A picture string written through REPLACE may arrive as a word or number.
      if (p.peek()?.kind === TokenKind.Picture || ((p.peek()?.kind === TokenKind.Word || p.peek()?.kind === TokenKind.Number) && !clauseStarters.has(p.peek()!.upper))) {
        entry.picture = p.tokens[p.i].text;
        p.i++;
      } else p.error(p.i, 'syntax/picture', `Expected a picture string after ${word}.`);
      return;
    case 'USAGE':
      p.i++;
      p.accept('IS');
      if (p.peek() && usageWords[p.peek()!.upper]) clause(p, entry, p.peek()!.upper);
      else p.error(p.i, 'syntax/usage', `Expected a usage (DISPLAY, COMP, COMP-3, BINARY, …) after USAGE, found ${p.describe(p.i)}.`);
      return;
    case 'VALUE':
    case 'VALUES':
      p.i++;
      p.accept('IS') || p.accept('ARE');
      readValues(p, entry);
      return;
    case 'CONSTANT':
      // `01 name CONSTANT [AS] literal` (COBOL 2002, GnuCOBOL): a named constant, like level 78.
      p.i++;
      p.accept('AS');
      entry.constant = true;
      readValues(p, entry);
      return;
    case 'OCCURS':
      p.i++;
      readOccurs(p, entry);
      return;
    case 'REDEFINES':
      p.i++;
      if (p.isUserWord(p.peek())) entry.redefines = p.readReference(false);
      else p.error(p.i, 'syntax/redefines', 'Expected the name of the redefined item after REDEFINES.');
      return;
    case 'RENAMES': {
      p.i++;
      if (!p.isUserWord(p.peek())) {
        p.error(p.i, 'syntax/renames', 'Expected a data name after RENAMES.');
        return;
      }
      const from = p.readReference(false);
      let thru: NameReference | undefined;
      if ((p.accept('THRU') || p.accept('THROUGH')) && p.isUserWord(p.peek())) thru = p.readReference(false);
      entry.renames = { from, thru };
      return;
    }
    case 'SIGN':
    case 'LEADING':
    case 'TRAILING':
      p.accept('SIGN');
      p.accept('IS');
      p.accept('LEADING') || p.accept('TRAILING');
      if (p.accept('SEPARATE')) {
        entry.signSeparate = true;
        p.accept('CHARACTER');
      }
      return;
    case 'JUST':
    case 'JUSTIFIED':
      p.i++;
      entry.justified = true;
      p.accept('RIGHT');
      return;
    case 'SYNC':
    case 'SYNCHRONIZED':
      p.i++;
      entry.synchronized = true;
      p.accept('LEFT') || p.accept('RIGHT');
      return;
    case 'LINE':
    case 'COL':
    case 'COLUMN':
    case 'FOREGROUND-COLOR':
    case 'BACKGROUND-COLOR':
    case 'SIZE':
    case 'USING':
    case 'FROM':
    case 'TO':
    case 'SOURCE':
      screenClause(p);
      return;
    case 'SUM':
      // REPORT SECTION: SUM item… [UPON …]
      p.i++;
      while (p.isUserWord(p.peek())) p.program.references.push(p.readReference(false));
      return;
    case 'ERASE':
      p.i++;
      p.accept('EOL') || p.accept('EOS') || p.accept('SCREEN') || p.accept('LINE');
      return;
    case 'BLANK':
      p.i++;
      if (p.accept('SCREEN') || p.accept('LINE')) return; // SCREEN SECTION: BLANK SCREEN / BLANK LINE
      p.accept('WHEN');
      if (p.accept('ZERO') || p.accept('ZEROS') || p.accept('ZEROES')) entry.blankWhenZero = true;
      else p.error(p.i, 'syntax/blank', 'Expected ZERO after BLANK WHEN.');
      return;
    case 'EXTERNAL':
      p.i++;
      entry.external = true;
      return;
    case 'GLOBAL':
      p.i++;
      entry.global = true;
      return;
    case 'IS':
      p.i++;
      return;
    case 'FILLER':
      p.i++;
      return;
  }
}

/**
 * SCREEN SECTION clauses: `LINE [NUMBER] [IS] [PLUS|+|-] n`, `COL n`,
 * `FOREGROUND-COLOR n`, `USING|FROM|TO item-or-literal`, … The operand may
 * be a data name, which is recorded as a reference.
 */
function screenClause(p: ParserState): void {
  p.i++;
  p.accept('NUMBER');
  p.accept('IS');
  if (p.accept('PLUS') || p.accept('MINUS')) {
    // LINE PLUS n
  } else if (p.peek()?.kind === TokenKind.Operator && (p.peek()!.text === '+' || p.peek()!.text === '-')) p.i++;
  const operand = p.peek();
  if (!operand) return;
  if (operand.kind === TokenKind.Number || operand.kind === TokenKind.String) {
    if (!(operand.kind === TokenKind.Number && p.startsLine(p.i))) p.i++;
  } else if (p.isUserWord(operand)) p.program.references.push(p.readReference(false));
}

/** Reads literals, figurative constants and `a THRU b` ranges. */
function readValues(p: ParserState, entry: DataEntry): void {
  let count = 0;
  for (;;) {
    let value = readLiteral(p);
    if (value === undefined) break;
    // "abc" & "def": a literal concatenated at compile time (COBOL 2014, GnuCOBOL).
    while (p.peek()?.kind === TokenKind.Operator && p.peek()!.text === '&' && p.peek(1)?.kind === TokenKind.String) {
      value += ` & ${p.tokens[p.i + 1].text}`;
      p.i += 2;
    }
    let text = value;
    if (p.accept('THRU') || p.accept('THROUGH')) {
      const upper = readLiteral(p);
      if (upper === undefined) p.error(p.i, 'syntax/value', 'Expected a literal after THRU.');
      else text = `${value} THRU ${upper}`;
    }
    entry.values.push(text);
    count++;
  }
  if (count === 0) p.error(p.i, 'syntax/value', `Expected a literal after VALUE, found ${p.describe(p.i)}.`);
}

const figuratives = new Set([
  'ZERO', 'ZEROS', 'ZEROES', 'SPACE', 'SPACES', 'HIGH-VALUE', 'HIGH-VALUES', 'LOW-VALUE', 'LOW-VALUES', 'QUOTE', 'QUOTES', 'NULL', 'NULLS', 'TRUE', 'FALSE',
]);

function readLiteral(p: ParserState): string | undefined {
  const token = p.peek();
  if (!token) return undefined;
  if (token.kind === TokenKind.String || token.kind === TokenKind.Number) {
    p.i++;
    return token.text;
  }
  if (token.kind === TokenKind.Operator && (token.text === '-' || token.text === '+') && p.peek(1)?.kind === TokenKind.Number) {
    p.i += 2;
    return token.text + p.tokens[p.i - 1].text;
  }
  if (token.kind === TokenKind.Word) {
    if (token.upper === 'ALL' && p.peek(1)) {
      p.i += 2;
      return `ALL ${p.tokens[p.i - 1].text}`;
    }
    if (figuratives.has(token.upper)) {
      p.i++;
      return token.upper;
    }
    if (p.isUserWord(token) && !clauseStarters.has(token.upper) && !p.startsLine(p.i)) {
      // A constant's name (level 78 or CONSTANT), as GnuCOBOL allows: resolved like any other reference.
      p.program.references.push(p.readReference(false));
      return token.upper;
    }
  }
  return undefined;
}

function readOccurs(p: ParserState, entry: DataEntry): void {
  let first = readInteger(p);
  // A constant's name for the count (`OCCURS PLAYER-CAPACITY TIMES`, level 78 or CONSTANT).
  if (first === undefined && p.isUserWord(p.peek()) && !p.isWord(0, 'TO') && !p.isWord(0, 'UNBOUNDED')) {
    const reference = p.readReference(false);
    p.program.references.push(reference);
    first = 1;
  }
  let min = first ?? 1;
  let max = first ?? 1;
  if (first === undefined && !p.accept('UNBOUNDED')) p.error(p.i, 'syntax/occurs', 'Expected the number of occurrences after OCCURS.');
  if (p.accept('TO')) {
    const upper = readInteger(p);
    if (upper !== undefined) max = upper;
    else if (p.isUserWord(p.peek()) && !p.isWord(0, 'UNBOUNDED') && !p.isWord(0, 'DEPENDING') && !p.isWord(0, 'TIMES')) p.program.references.push(p.readReference(false));
    else if (!p.accept('UNBOUNDED')) p.error(p.i, 'syntax/occurs', 'Expected the maximum number of occurrences after TO.');
  }
  if (first === undefined) min = 0;
  p.accept('TIMES');
  const occurs: DataEntry['occurs'] = { min, max, dependingOn: undefined, keys: [], indexNames: [] };
  entry.occurs = occurs;
  for (;;) {
    if (p.accept('DEPENDING')) {
      p.accept('ON');
      if (p.isUserWord(p.peek())) occurs.dependingOn = p.readReference(false);
      else p.error(p.i, 'syntax/occurs', 'Expected a data name after DEPENDING ON.');
    } else if (p.isWord(0, 'ASCENDING') || p.isWord(0, 'DESCENDING')) {
      p.i++;
      p.accept('KEY');
      p.accept('IS');
      while (p.isUserWord(p.peek())) occurs.keys.push(p.readReference(false));
    } else if (p.accept('INDEXED')) {
      p.accept('BY');
      while (p.isUserWord(p.peek()) || (p.peek()?.kind === TokenKind.Word && !reservedWords.has(p.peek()!.upper))) {
        occurs.indexNames.push(p.i);
        p.declared.add(p.tokens[p.i].upper);
        p.i++;
      }
    } else break;
  }
}

function readInteger(p: ParserState): number | undefined {
  const token = p.peek();
  if (token?.kind !== TokenKind.Number) return undefined;
  p.i++;
  return Number.parseInt(token.text, 10);
}
