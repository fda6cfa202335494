/**
 * The parser: hand-written, error-tolerant, linear. It walks the
 * preprocessed tokens once as a state machine over programs, divisions,
 * sections and paragraphs; each division's entries are parsed by their own
 * module (data entries, statements). Anything unexpected is reported and
 * skipped to the next period, header or statement, so one bad line never
 * hides the rest. It never throws and always terminates: every step
 * consumes at least one token.
 *
 * A text without an IDENTIFICATION DIVISION (a copybook opened on its own)
 * is parsed as a fragment: an implicit program whose division is inferred
 * from what comes first.
 */
import { parseDataEntry } from './dataEntryParser';
import type { FileDiagnostic } from './preprocessor';
import { literalText } from './preprocessor';
import { ParserState } from './parserState';
import { statementVerbs } from './reservedWords';
import { execNode, isProcedureHeader, isScopeTerminator, parseStatement } from './statementParser';
import { type DataSectionName, newNode, type ProgramNode, type SelectEntry, type SyntaxNode } from './syntaxTree';
import { type Token, TokenFlags, TokenKind } from './token';

export interface ParseResult {
  /** Top-level programs in source order (nested ones hang below them). */
  programs: ProgramNode[];
  diagnostics: FileDiagnostic[];
}

type Division = 'IDENTIFICATION' | 'ENVIRONMENT' | 'DATA' | 'PROCEDURE';

const divisionWords: Record<string, Division> = {
  IDENTIFICATION: 'IDENTIFICATION', ID: 'IDENTIFICATION', ENVIRONMENT: 'ENVIRONMENT', DATA: 'DATA', PROCEDURE: 'PROCEDURE',
};
const dataSections = new Set<string>(['FILE', 'WORKING-STORAGE', 'LOCAL-STORAGE', 'LINKAGE', 'REPORT', 'SCREEN', 'COMMUNICATION']);
const environmentParagraphs = new Set(['SOURCE-COMPUTER', 'OBJECT-COMPUTER', 'SPECIAL-NAMES', 'REPOSITORY', 'FILE-CONTROL', 'I-O-CONTROL']);
const fileDescriptionWords = new Set(['FD', 'SD', 'RD', 'CD']);
const maxProgramNesting = 64;
const programIdWords = new Set(['PROGRAM-ID', 'CLASS-ID', 'FUNCTION-ID', 'METHOD-ID', 'INTERFACE-ID']);

export function parse(tokens: readonly Token[]): ParseResult {
  const parser = new Parser(tokens);
  parser.run();
  return { programs: parser.programs, diagnostics: parser.p.diagnostics };
}

class Parser {
  readonly p: ParserState;
  readonly programs: ProgramNode[] = [];
  private readonly stack: ProgramNode[] = [];
  private division: Division | undefined;
  private divisionNode: SyntaxNode | undefined;
  private sectionNode: SyntaxNode | undefined;
  private paragraphNode: SyntaxNode | undefined;
  private dataSection: DataSectionName | undefined;
  private environmentParagraph = '';
  private fileDescription = -1;

  constructor(tokens: readonly Token[]) {
    this.p = new ParserState(tokens);
  }

  run(): void {
    const p = this.p;
    while (!p.atEnd) {
      const before = p.i;
      this.step();
      if (p.i === before) p.i++; // never stall, whatever the input
    }
    while (this.stack.length > 0) this.closeProgram(p.n);
  }

  private step(): void {
    const p = this.p;
    const token = p.tokens[p.i];
    if (token.kind === TokenKind.Directive) {
      // Directives before the first program (CBL, >>SOURCE) stay tokens only.
      if (this.stack.length > 0) this.container().children.push(Object.assign(newNode('directive', token.text, p.i, p.i), { end: p.i + 1 }));
      p.i++;
      return;
    }
    if (token.kind === TokenKind.Word) {
      const division = divisionWords[token.upper];
      if (division && p.isWord(1, 'DIVISION')) {
        this.openDivision(division);
        return;
      }
      if (token.upper === 'END' && (p.isWord(1, 'PROGRAM') || p.isWord(1, 'FUNCTION'))) {
        this.endProgram();
        return;
      }
    }
    if (this.stack.length === 0) this.openProgram(p.i, false);
    if (!this.division) this.division = this.inferDivision(token);
    switch (this.division) {
      case 'IDENTIFICATION':
        this.identificationStep();
        return;
      case 'ENVIRONMENT':
        this.environmentStep();
        return;
      case 'DATA':
        this.dataStep();
        return;
      case 'PROCEDURE':
        this.procedureStep();
        return;
    }
  }

  /** The division a fragment (copybook) starts in, judged by its first token. */
  private inferDivision(token: Token): Division {
    if (token.kind === TokenKind.Number && !this.p.isPeriod(1)) return 'DATA';
    if (token.kind === TokenKind.Word) {
      if (fileDescriptionWords.has(token.upper) || (dataSections.has(token.upper) && this.p.isWord(1, 'SECTION'))) return 'DATA';
      if (token.upper === 'SELECT' || environmentParagraphs.has(token.upper)) return 'ENVIRONMENT';
      if (programIdWords.has(token.upper)) return 'IDENTIFICATION';
    }
    if (token.kind === TokenKind.Exec && /^\s*(DECLARE|INCLUDE)\b/i.test(token.exec?.body ?? '')) return 'DATA';
    return 'PROCEDURE';
  }

  private openProgram(start: number, hasIdentification: boolean): ProgramNode {
    const parent = this.stack[this.stack.length - 1];
    const program: ProgramNode = {
      kind: 'program',
      name: '',
      nameToken: -1,
      start,
      end: start,
      children: [],
      hasIdentification,
      parent,
      nested: [],
      dataEntries: [],
      fileDescriptions: [],
      selects: [],
      procedures: [],
      references: [],
      hostReferences: [],
      calls: [],
      specialNames: [],
      currencySymbols: parent ? [...parent.currencySymbols] : [],
      allIntrinsic: parent?.allIntrinsic ?? false,
      repositoryFunctions: new Set(parent?.repositoryFunctions),
      execLanguages: new Set(),
    };
    if (parent) {
      this.closeDivision(start);
      parent.nested.push(program);
      parent.children.push(program);
    } else this.programs.push(program);
    this.stack.push(program);
    this.p.program = program;
    this.p.declared = new Set();
    this.division = undefined;
    return program;
  }

  private closeProgram(end: number): void {
    this.closeDivision(end);
    const program = this.stack.pop();
    if (program) program.end = end;
    const outer = this.stack[this.stack.length - 1];
    if (outer) {
      this.p.program = outer;
      this.p.declared = new Set(outer.dataEntries.flatMap((entry) => (entry.name ? [entry.name] : [])));
      // Back in the containing program's PROCEDURE DIVISION (nested programs come at its end).
      this.division = 'PROCEDURE';
      this.divisionNode = undefined;
    } else this.division = undefined;
  }

  private endProgram(): void {
    const p = this.p;
    const start = p.i;
    p.i += 2;
    let name = '';
    const nameToken = p.peek();
    if (nameToken && (nameToken.kind === TokenKind.Word || nameToken.kind === TokenKind.String)) {
      name = literalText(nameToken).toUpperCase();
      p.i++;
    }
    p.expectPeriod('END PROGRAM');
    let index = this.stack.length - 1;
    while (index >= 0 && name && this.stack[index].name !== name) index--;
    if (this.stack.length === 0) {
      p.error(start, 'syntax/end-program', 'END PROGRAM without a program to end.');
      return;
    }
    if (index < 0) {
      p.error(start + 2, 'syntax/end-program', `END PROGRAM ${name} does not match PROGRAM-ID ${this.stack[this.stack.length - 1].name}.`);
      index = this.stack.length - 1;
    }
    while (this.stack.length > index) this.closeProgram(p.i);
  }

  private openDivision(division: Division): void {
    const p = this.p;
    const start = p.i;
    const current = this.stack[this.stack.length - 1];
    if (!current) {
      this.openProgram(start, division === 'IDENTIFICATION');
    } else if (division === 'IDENTIFICATION') {
      if (!current.hasIdentification) {
        // Text before the first program (a fragment) ends here.
        this.closeProgram(start);
        this.openProgram(start, true);
      } else if (this.division !== undefined && this.division !== 'IDENTIFICATION') {
        // A program starting inside another one, before its END PROGRAM: a nested
        // program (up to a depth no real source reaches; beyond it, a sibling).
        if (this.stack.length >= maxProgramNesting) this.closeProgram(start);
        this.openProgram(start, true);
      }
    }
    this.closeDivision(start);
    this.checkAreaA(start, 'A division header');
    this.division = division;
    this.dataSection = undefined;
    this.fileDescription = -1;
    this.environmentParagraph = '';
    const node = newNode('division', division, start, start);
    this.p.program.children.push(node);
    this.divisionNode = node;
    p.i += 2;
    if (division === 'PROCEDURE') {
      // USING [BY REFERENCE|VALUE|CONTENT] names… [RETURNING name]
      while (!p.atEnd && !p.isPeriod() && !isProcedureHeader(p, p.i) && !statementVerbs.has(p.peek()!.upper)) {
        if (p.isUserWord(p.peek())) p.program.references.push(p.readReference(false));
        else p.i++;
      }
    }
    p.expectPeriod(`${division} DIVISION`);
  }

  private closeDivision(end: number): void {
    this.closeSection(end);
    if (this.divisionNode) this.divisionNode.end = end;
    this.divisionNode = undefined;
  }

  private closeSection(end: number): void {
    this.closeParagraph(end);
    if (this.sectionNode) this.sectionNode.end = end;
    this.sectionNode = undefined;
  }

  private closeParagraph(end: number): void {
    if (this.paragraphNode) this.paragraphNode.end = end;
    this.paragraphNode = undefined;
  }

  /** Where the next node goes: the innermost open paragraph, section, division or program. */
  private container(): SyntaxNode {
    return this.paragraphNode ?? this.sectionNode ?? this.divisionNode ?? this.p.program;
  }

  private openSection(name: string, end: number): SyntaxNode {
    this.closeSection(this.p.i);
    const node = newNode('section', name, this.p.i, this.p.i);
    (this.divisionNode ?? this.p.program).children.push(node);
    this.sectionNode = node;
    this.p.i = end;
    return node;
  }

  // IDENTIFICATION DIVISION

  private identificationStep(): void {
    const p = this.p;
    const token = p.tokens[p.i];
    if (token.kind === TokenKind.Word && programIdWords.has(token.upper)) {
      p.i++;
      if (p.isPeriod()) p.i++;
      const name = p.peek();
      if (name && (name.kind === TokenKind.Word || name.kind === TokenKind.String)) {
        p.program.name = literalText(name).toUpperCase();
        p.program.nameToken = p.i;
        p.i++;
      } else p.error(p.i, 'syntax/program-id', `Expected the program name after ${token.upper}.`);
      p.skipToPeriod();
      return;
    }
    if (token.kind === TokenKind.Word && p.isPeriod(1)) {
      p.i += 2; // AUTHOR. and the like: the lexer skipped their comment entries
      return;
    }
    if (token.kind === TokenKind.Word && statementVerbs.has(token.upper) && p.program.nameToken >= 0 && p.startsLine(p.i)) {
      // GnuCOBOL (-std=ibm) assumes the header before a statement right after PROGRAM-ID: worth a warning, not an error.
      p.error(p.i, 'syntax/missing-procedure-division', 'PROCEDURE DIVISION header missing before the first statement; assumed, as cobc -std=ibm does.', 'warning');
      this.closeDivision(p.i);
      this.division = 'PROCEDURE';
      const node = newNode('division', 'PROCEDURE', p.i, p.i);
      p.program.children.push(node);
      this.divisionNode = node;
      this.procedureStep();
      return;
    }
    p.error(p.i, 'syntax/identification', `Unexpected ${p.describe(p.i)} in the IDENTIFICATION DIVISION.`);
    p.skipToPeriod();
  }

  // ENVIRONMENT DIVISION

  private environmentStep(): void {
    const p = this.p;
    const token = p.tokens[p.i];
    if (token.kind === TokenKind.Word && p.isWord(1, 'SECTION')) {
      this.openSection(token.upper, p.i + 2);
      p.expectPeriod(`${token.upper} SECTION`);
      return;
    }
    if (token.kind === TokenKind.Word && environmentParagraphs.has(token.upper)) {
      this.environmentParagraph = token.upper;
      p.i++;
      p.expectPeriod(token.upper);
      return;
    }
    if (token.kind === TokenKind.Word && token.upper === 'SELECT') {
      this.parseSelect();
      return;
    }
    if (this.environmentParagraph === 'SPECIAL-NAMES') {
      while (!p.atEnd && !p.isPeriod() && !this.startsEnvironmentEntry(p.i)) {
        if (p.isWord(0, 'CURRENCY')) this.readCurrencySign();
        else if (this.namesDataItem(p.i) && p.isUserWord(p.peek())) {
          // CURSOR IS item, CRT STATUS IS item: a data item declared in the DATA DIVISION, not a new name.
          p.program.references.push(p.readReference(false));
          continue;
        } else if (p.peek()!.kind === TokenKind.Word && p.isUserWord(p.peek())) {
          p.program.specialNames.push(p.i);
          p.declared.add(p.peek()!.upper);
        }
        p.i++;
      }
      if (p.isPeriod()) p.i++;
      return;
    }
    if (this.environmentParagraph === 'REPOSITORY') {
      this.readRepository();
      return;
    }
    // OBJECT-COMPUTER entries, I-O-CONTROL clauses and the like: no names to keep.
    p.skipToPeriod((index) => this.startsEnvironmentEntry(index));
  }

  /** Whether the word at `index` follows `CURSOR [IS]` or `CRT STATUS [IS]` in SPECIAL-NAMES. */
  private namesDataItem(index: number): boolean {
    const tokens = this.p.tokens;
    let k = index - 1;
    if (tokens[k]?.upper === 'IS') k--;
    return tokens[k]?.upper === 'CURSOR' || (tokens[k]?.upper === 'STATUS' && tokens[k - 1]?.upper === 'CRT');
  }

  /** REPOSITORY: FUNCTION ALL INTRINSIC, FUNCTION name… INTRINSIC, FUNCTION name (a user-defined function). */
  private readRepository(): void {
    const p = this.p;
    let inFunction = false;
    while (!p.atEnd && !p.isPeriod() && !this.startsEnvironmentEntry(p.i)) {
      const token = p.peek()!;
      if (token.kind === TokenKind.Word) {
        if (token.upper === 'FUNCTION') inFunction = true;
        else if (token.upper === 'ALL' && p.isWord(1, 'INTRINSIC') && inFunction) p.program.allIntrinsic = true;
        else if (token.upper === 'CLASS' || token.upper === 'INTERFACE' || token.upper === 'PROGRAM' || token.upper === 'PROPERTY') inFunction = false;
        else if (inFunction && token.upper !== 'INTRINSIC' && token.upper !== 'AS') p.program.repositoryFunctions.add(token.upper);
      }
      p.i++;
    }
    if (p.isPeriod()) p.i++;
  }

  /** CURRENCY [SIGN] [IS] literal [WITH PICTURE SYMBOL literal]: the symbol PICTURE strings may then use. */
  private readCurrencySign(): void {
    const p = this.p;
    p.i++;
    p.accept('SIGN');
    p.accept('IS');
    const sign = p.peek();
    if (sign?.kind !== TokenKind.String) return;
    p.i++;
    let symbol = literalText(sign);
    if (p.isWord(0, 'WITH') || p.isWord(0, 'PICTURE')) {
      p.accept('WITH');
      p.accept('PICTURE');
      p.accept('SYMBOL');
      if (p.peek()?.kind === TokenKind.String) symbol = literalText(p.tokens[p.i++]);
    }
    if (symbol.length === 1) p.program.currencySymbols.push(symbol.toUpperCase());
  }

  private startsEnvironmentEntry(index: number): boolean {
    const token = this.p.tokens[index];
    if (token.kind !== TokenKind.Word) return false;
    return (
      (environmentParagraphs.has(token.upper) && this.p.tokens[index + 1]?.kind === TokenKind.Period) ||
      (divisionWords[token.upper] !== undefined && this.p.tokens[index + 1]?.upper === 'DIVISION') ||
      this.p.tokens[index + 1]?.upper === 'SECTION'
    );
  }

  private parseSelect(): void {
    const p = this.p;
    const start = p.i;
    p.i++;
    p.accept('OPTIONAL');
    const nameToken = p.peek();
    if (!nameToken || nameToken.kind !== TokenKind.Word) {
      p.error(p.i, 'syntax/select', 'Expected a file name after SELECT.');
      p.skipToPeriod();
      return;
    }
    const node = newNode('select', nameToken.upper, p.i, start);
    const select: SelectEntry = { node, name: nameToken.upper, nameToken: p.i, assign: undefined, organization: undefined, access: undefined };
    p.i++;
    let keyword = '';
    while (!p.atEnd && !p.isPeriod()) {
      const token = p.tokens[p.i];
      if (token.kind === TokenKind.Word && token.upper === 'SELECT') break;
      if (keyword === 'ASSIGN' && (token.kind === TokenKind.String || (token.kind === TokenKind.Word && token.upper !== 'TO' && token.upper !== 'USING'))) {
        select.assign ??= token.kind === TokenKind.String ? literalText(token) : token.text;
        if (p.isUserWord(token)) p.program.references.push(p.readReference(false, true));
        else p.i++;
        keyword = '';
        continue;
      }
      if (token.kind === TokenKind.Word && p.isUserWord(token)) {
        if (keyword === 'ORGANIZATION' || keyword === 'ACCESS') p.i++;
        else p.program.references.push(p.readReference(false, keyword !== 'KEY' && keyword !== 'STATUS'));
        continue;
      }
      if (token.kind === TokenKind.Word) {
        switch (token.upper) {
          case 'ASSIGN':
          case 'KEY':
          case 'STATUS':
            keyword = token.upper;
            break;
          case 'ORGANIZATION':
          case 'ACCESS':
            keyword = token.upper;
            break;
          case 'SEQUENTIAL':
          case 'INDEXED':
          case 'RELATIVE':
          case 'LINE':
          case 'RECORD':
          case 'DYNAMIC':
          case 'RANDOM':
            if (keyword === 'ORGANIZATION') select.organization = select.organization ? `${select.organization} ${token.upper}` : token.upper;
            else if (keyword === 'ACCESS') select.access = token.upper;
            if (token.upper === 'RELATIVE' && keyword !== 'ORGANIZATION' && keyword !== 'ACCESS') keyword = 'KEY';
            break;
        }
      }
      p.i++;
    }
    if (p.isPeriod()) p.i++;
    else p.error(p.i - 1, 'syntax/expected-period', `Expected a period after SELECT ${select.name}.`);
    node.end = p.i;
    p.program.selects.push(select);
    this.container().children.push(node);
  }

  // DATA DIVISION

  private dataStep(): void {
    const p = this.p;
    const token = p.tokens[p.i];
    if (token.kind === TokenKind.Word && dataSections.has(token.upper) && p.isWord(1, 'SECTION')) {
      this.checkAreaA(p.i, 'A section header');
      this.openSection(token.upper, p.i + 2);
      this.dataSection = token.upper as DataSectionName;
      this.fileDescription = -1;
      p.expectPeriod(`${token.upper} SECTION`);
      return;
    }
    if (token.kind === TokenKind.Number) {
      const levelText = token.text;
      if (levelText === '1' || levelText === '01' || levelText === '77') this.checkAreaA(p.i, `A level-${levelText} entry`);
      if (levelText === '01' || levelText === '1' || levelText === '77') {
        if (levelText === '77') this.fileDescription = -1;
      }
      const entry = parseDataEntry(p, this.dataSection, this.fileDescription);
      p.program.dataEntries.push(entry);
      (this.sectionNode ?? this.divisionNode ?? p.program).children.push(entry.node);
      return;
    }
    if (token.kind === TokenKind.Word && fileDescriptionWords.has(token.upper)) {
      this.checkAreaA(p.i, `An ${token.upper} entry`);
      const start = p.i;
      p.i++;
      const name = p.peek();
      if (!name || name.kind !== TokenKind.Word) {
        p.error(p.i, 'syntax/fd', `Expected a file name after ${token.upper}.`);
        p.skipToPeriod();
        return;
      }
      const node = newNode('fileDescription', name.upper, p.i, start);
      p.program.fileDescriptions.push({ node, type: token.upper, name: name.upper, nameToken: p.i });
      this.fileDescription = p.program.fileDescriptions.length - 1;
      p.i++;
      // BLOCK CONTAINS, RECORD CONTAINS/VARYING … DEPENDING ON name, LABEL RECORDS, DATA RECORDS ARE names…
      while (!p.atEnd && !p.isPeriod()) {
        const clauseToken = p.tokens[p.i];
        if (clauseToken.kind === TokenKind.Number && p.startsLine(p.i)) {
          p.error(p.i - 1, 'syntax/expected-period', `Expected a period after the ${token.upper} entry.`);
          break;
        }
        if (p.isUserWord(clauseToken)) p.program.references.push(p.readReference(false, true));
        else p.i++;
      }
      if (p.isPeriod()) p.i++;
      node.end = p.i;
      (this.sectionNode ?? this.divisionNode ?? p.program).children.push(node);
      return;
    }
    if (token.kind === TokenKind.Exec) {
      (this.sectionNode ?? this.divisionNode ?? p.program).children.push(execNode(p));
      if (p.isPeriod()) p.i++;
      return;
    }
    if (token.kind === TokenKind.Period) {
      p.i++;
      return;
    }
    if (isProcedureHeader(p, p.i) && !this.p.program.hasIdentification) {
      // A copybook that mixes data and procedure text.
      this.division = 'PROCEDURE';
      return;
    }
    p.error(p.i, 'syntax/data', `Expected a level number, FD or SD, or a section header, found ${p.describe(p.i)}.`);
    p.skipToPeriod((index) => p.tokens[index].kind === TokenKind.Number && p.startsLine(index));
  }

  // PROCEDURE DIVISION

  private procedureStep(): void {
    const p = this.p;
    const token = p.tokens[p.i];
    switch (token.kind) {
      case TokenKind.Period:
        p.i++;
        return;
      case TokenKind.Exec:
        this.container().children.push(execNode(p));
        return;
      case TokenKind.Word:
      case TokenKind.Number:
        break;
      default:
        this.unexpectedInProcedure();
        return;
    }
    const upper = token.upper;
    if (upper === 'DECLARATIVES' && p.isPeriod(1)) {
      p.i += 2;
      return;
    }
    if (upper === 'END' && p.isWord(1, 'DECLARATIVES')) {
      p.i += 2;
      p.expectPeriod('END DECLARATIVES');
      return;
    }
    if (p.isWord(1, 'SECTION') && isProcedureHeader(p, p.i)) {
      this.checkAreaA(p.i, 'A section header');
      const node = this.openSection(upper, p.i + 2);
      node.nameToken = node.start;
      if (p.peek()?.kind === TokenKind.Number) p.i++; // segment number
      p.expectPeriod(`SECTION ${upper}`);
      p.program.procedures.push(node);
      return;
    }
    if (isProcedureHeader(p, p.i)) {
      this.checkAreaA(p.i, 'A paragraph name');
      const previous = p.tokens[p.i - 1];
      if (previous && previous.kind !== TokenKind.Period && previous.kind !== TokenKind.Directive && previous.kind !== TokenKind.Exec) {
        p.error(p.i - 1, 'syntax/expected-period', `Expected a period before paragraph ${upper}.`);
      }
      this.closeParagraph(p.i);
      const node = newNode('paragraph', upper, p.i, p.i);
      (this.sectionNode ?? this.divisionNode ?? p.program).children.push(node);
      this.paragraphNode = node;
      p.program.procedures.push(node);
      p.i += 2;
      return;
    }
    if (statementVerbs.has(upper) && token.kind === TokenKind.Word) {
      if ((token.flags & (TokenFlags.FirstOnLine | TokenFlags.AreaA)) === (TokenFlags.FirstOnLine | TokenFlags.AreaA)) {
        p.error(p.i, 'layout/area-b', 'Statements belong in Area B (columns 12-72), not Area A.', 'warning');
      }
      this.container().children.push(parseStatement(p));
      return;
    }
    if (isScopeTerminator(upper)) {
      p.error(p.i, 'syntax/unmatched-terminator', `${upper} has no matching ${upper.slice(4)}.`);
      p.i++;
      return;
    }
    this.unexpectedInProcedure();
  }

  private unexpectedInProcedure(): void {
    const p = this.p;
    p.error(p.i, 'syntax/statement', `Expected a statement, a paragraph or a section, found ${p.describe(p.i)}.`);
    p.i++;
    while (!p.atEnd) {
      const token = p.tokens[p.i];
      if (token.kind === TokenKind.Period) {
        p.i++;
        return;
      }
      if (token.kind === TokenKind.Word && (statementVerbs.has(token.upper) || divisionWords[token.upper])) return;
      if (token.kind === TokenKind.Exec || isProcedureHeader(p, p.i)) return;
      p.i++;
    }
  }

  /** Warns when a header that must start in Area A starts in Area B of a fixed-format line. */
  private checkAreaA(index: number, what: string): void {
    const token = this.p.tokens[index];
    if ((token.flags & TokenFlags.Fixed) === 0 || (token.flags & TokenFlags.FirstOnLine) === 0) return;
    if ((token.flags & TokenFlags.AreaA) === 0 && token.col > 10) {
      this.p.error(index, 'layout/area-a', `${what} must start in Area A (columns 8-11).`, 'warning');
    }
  }
}
