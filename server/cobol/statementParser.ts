/**
 * Parses PROCEDURE DIVISION statements with their nesting: conditional
 * phrases (ELSE, WHEN, AT END, INVALID KEY, ON SIZE ERROR, ON EXCEPTION,
 * ON OVERFLOW and their NOT forms), inline PERFORM bodies and explicit scope
 * terminators (END-IF, END-READ, …). A period ends every open statement.
 * Name references met on the way are recorded on the current program.
 */
import { literalText } from './preprocessor';
import type { ParserState } from './parserState';
import { intrinsicFunctionNames } from '../../grammars/reservedWords';
import { reservedWords, statementVerbs } from './reservedWords';
import { newNode, type SyntaxNode } from './syntaxTree';
import { TokenFlags, TokenKind } from './token';

type Phrase = 'size' | 'end' | 'eop' | 'invalid' | 'exception' | 'overflow' | 'else' | 'when';

const ownedPhrases: Record<string, readonly Phrase[]> = {
  ADD: ['size'], SUBTRACT: ['size'], MULTIPLY: ['size'], DIVIDE: ['size'], COMPUTE: ['size'],
  READ: ['end', 'invalid'], RETURN: ['end'], WRITE: ['invalid', 'eop'], REWRITE: ['invalid'], DELETE: ['invalid'], START: ['invalid'],
  CALL: ['exception', 'overflow'], STRING: ['overflow'], UNSTRING: ['overflow'], ACCEPT: ['exception'], DISPLAY: ['exception'],
  SEARCH: ['end', 'when'], IF: ['else'], EVALUATE: ['when'], XML: ['exception'], JSON: ['exception'], INVOKE: ['exception'],
  RECEIVE: [],
};

/** Statements whose body holds statements without a phrase first. */
const nestsFreely = new Set(['IF', 'EVALUATE']);

const scopeTerminators = new Set([
  'END-ADD', 'END-CALL', 'END-COMPUTE', 'END-DELETE', 'END-DIVIDE', 'END-EVALUATE', 'END-IF', 'END-MULTIPLY', 'END-PERFORM',
  'END-READ', 'END-RECEIVE', 'END-RETURN', 'END-REWRITE', 'END-SEARCH', 'END-START', 'END-STRING', 'END-SUBTRACT', 'END-UNSTRING',
  'END-WRITE', 'END-ACCEPT', 'END-DISPLAY', 'END-XML', 'END-JSON', 'END-INVOKE', 'END-CHAIN',
]);

const noPhrases: readonly Phrase[] = [];
/** Shared by statements without nested statements (most of them); replaced on the first child. */
const noChildren: SyntaxNode[] = [];
const exitTargets = new Set(['PROGRAM', 'PERFORM', 'SECTION', 'PARAGRAPH', 'METHOD', 'FUNCTION']);
const maxNesting = 256;

export function isScopeTerminator(upper: string): boolean {
  return scopeTerminators.has(upper);
}

/**
 * True when the token at `index` begins a paragraph or section header: a
 * name followed by SECTION, or by a period where a header may stand (Area A
 * in fixed format; the start of a sentence in free format).
 */
export function isProcedureHeader(p: ParserState, index: number): boolean {
  const token = p.tokens[index];
  if (!token || (token.kind !== TokenKind.Word && token.kind !== TokenKind.Number)) return false;
  const next = p.tokens[index + 1];
  if (!next) return false;
  const isName = token.kind === TokenKind.Number || !reservedWords.has(token.upper);
  if (next.kind === TokenKind.Word && next.upper === 'SECTION') return isName || !statementVerbs.has(token.upper);
  if (next.kind !== TokenKind.Period || !isName) return false;
  if ((token.flags & TokenFlags.FirstOnLine) === 0) return false;
  if ((token.flags & TokenFlags.AreaA) !== 0) return true;
  // Outside Area A (free format, or a fixed-format header misplaced into Area B): only at a sentence start.
  const previous = p.tokens[index - 1];
  const atSentenceStart = previous === undefined || previous.kind === TokenKind.Period || previous.kind === TokenKind.Directive;
  return atSentenceStart && !p.declared.has(token.upper);
}

/** Parses the statement whose verb is at the cursor. */
export function parseStatement(p: ParserState, depth = 0): SyntaxNode {
  const start = p.i;
  const verb = p.tokens[start].upper;
  const node: SyntaxNode = { kind: 'statement', name: verb, nameToken: start, start, end: start, children: noChildren };
  p.i++;
  const owned = ownedPhrases[verb] ?? noPhrases;
  let nesting = nestsFreely.has(verb);
  let inlinePerform = false;
  let terminated = false;

  switch (verb) {
    case 'EXIT':
      if (p.peek() && exitTargets.has(p.peek()!.upper)) p.i++;
      p.accept('CYCLE');
      break;
    case 'PERFORM':
      if (startsOutOfLinePerform(p)) {
        p.program.references.push(p.readReference(true));
        if ((p.accept('THRU') || p.accept('THROUGH')) && procedureNameAt(p)) p.program.references.push(p.readReference(true));
      } else {
        inlinePerform = true;
        nesting = true;
      }
      break;
    case 'GO':
      p.accept('TO');
      while (procedureNameAt(p)) p.program.references.push(p.readReference(true));
      break;
    case 'ALTER':
      if (procedureNameAt(p)) p.program.references.push(p.readReference(true));
      p.accept('TO');
      p.accept('PROCEED');
      p.accept('TO');
      if (procedureNameAt(p)) p.program.references.push(p.readReference(true));
      break;
    case 'USE':
      parseUse(p);
      break;
    case 'JSON':
    case 'XML':
      // JSON GENERATE / XML PARSE …: GENERATE is part of this statement, not the Report Writer verb.
      if (p.isWord(0, 'GENERATE') || p.isWord(0, 'PARSE')) p.i++;
      break;
    case 'CALL':
      if (p.peek()?.kind === TokenKind.String) {
        p.program.calls.push({ name: literalText(p.tokens[p.i]), token: p.i });
        p.i++;
      }
      break;
  }

  while (!p.atEnd) {
    const at = p.i;
    const token = p.tokens[at];
    if (token.kind === TokenKind.Period) break;
    if (token.kind === TokenKind.Directive) {
      p.i++;
      continue;
    }
    if (token.kind === TokenKind.Exec) {
      if (!nesting || depth >= maxNesting) break;
      if (node.children === noChildren) node.children = [];
      node.children.push(execNode(p));
      continue;
    }
    if (token.kind === TokenKind.Word) {
      const upper = token.upper;
      if (upper.startsWith('END-') && scopeTerminators.has(upper)) {
        if (upper === `END-${verb}` && (verb !== 'PERFORM' || inlinePerform)) {
          p.i++;
          terminated = true;
        }
        break;
      }
      if (upper === 'SUPPRESS' && (verb === 'XML' || verb === 'JSON')) {
        // XML/JSON GENERATE … SUPPRESS [item] WHEN SPACES [OR ZEROES]: a phrase, not the SUPPRESS statement.
        p.i++;
        while (p.isUserWord(p.peek()) && !p.isWord(0, 'WHEN')) p.program.references.push(p.readReference(false));
        while (p.peek()?.kind === TokenKind.Word && suppressWords.has(p.peek()!.upper)) p.i++;
        continue;
      }
      const phrase = phraseAt(p, at, owned);
      if (phrase) {
        if (!owned.includes(phrase.id)) break;
        p.i += phrase.length;
        nesting = true;
        continue;
      }
      if (upper === 'DFHRESP' || upper === 'DFHVALUE') {
        // CICS translator functions: their argument is a condition name, not a data name.
        p.i += p.peek(1)?.kind === TokenKind.LParen && p.peek(3)?.kind === TokenKind.RParen ? 4 : 1;
        continue;
      }
      if (statementVerbs.has(upper) && !p.declared.has(upper) && (upper !== 'NEXT' || p.isWord(1, 'SENTENCE'))) {
        if (!nesting || depth >= maxNesting) break;
        if (node.children === noChildren) node.children = [];
        node.children.push(parseStatement(p, depth + 1));
        continue;
      }
      if (token.flags & TokenFlags.FirstOnLine && isProcedureHeader(p, at)) break;
      if (upper === 'FUNCTION') {
        p.i += p.peek(1)?.kind === TokenKind.Word ? 2 : 1;
        continue;
      }
      if (isRepositoryFunction(p, upper)) {
        // FUNCTION ALL INTRINSIC (or the name in REPOSITORY): a function call without the word FUNCTION.
        p.i++;
        continue;
      }
      if (upper === 'MODE' && p.tokens[at - 1]?.upper === 'ROUNDED') {
        // ROUNDED MODE [IS] TOWARD-LESSER …
        p.i++;
        p.accept('IS');
        if (p.peek()?.kind === TokenKind.Word) p.i++;
        continue;
      }
      if (p.isUserWord(token)) {
        p.program.references.push(p.readReference(inProcedureContext(p, at, verb)));
        continue;
      }
    } else if (token.kind === TokenKind.Number && token.flags & TokenFlags.FirstOnLine && isProcedureHeader(p, at)) break;
    p.i++;
  }
  node.end = p.i;
  if (inlinePerform && !terminated) {
    p.error(start, 'syntax/end-perform', 'An inline PERFORM needs END-PERFORM.');
  }
  return node;
}

export function execNode(p: ParserState): SyntaxNode {
  const token = p.tokens[p.i];
  const node = newNode('exec', token.exec?.language ?? 'EXEC', p.i, p.i);
  for (const host of token.exec?.hostVariables ?? []) {
    p.program.hostReferences.push({ name: host.name, execToken: p.i, file: token.file, line: host.line, col: host.col });
  }
  if (token.exec) p.program.execLanguages.add(token.exec.language);
  p.i++;
  node.end = p.i;
  return node;
}

const suppressWords = new Set([
  'WHEN', 'OR', 'EVERY', 'ZERO', 'ZEROS', 'ZEROES', 'SPACE', 'SPACES', 'LOW-VALUE', 'LOW-VALUES', 'HIGH-VALUE', 'HIGH-VALUES',
  'NUMERIC', 'NONNUMERIC', 'ATTRIBUTE', 'ELEMENT', 'CONTENT',
]);

/** The words of a USE statement's forms; any other word is a file, procedure or report group name. */
const useWords = new Set([
  'GLOBAL', 'AFTER', 'STANDARD', 'ERROR', 'EXCEPTION', 'PROCEDURE', 'ON', 'INPUT', 'OUTPUT', 'I-O', 'EXTEND', 'FOR', 'DEBUGGING',
  'ALL', 'PROCEDURES', 'REFERENCES', 'OF', 'BEFORE', 'REPORTING', 'LABEL', 'BEGINNING', 'ENDING', 'FILE', 'REEL', 'UNIT',
]);

/**
 * USE [GLOBAL] AFTER STANDARD {ERROR|EXCEPTION} PROCEDURE ON {file…|INPUT|OUTPUT|I-O|EXTEND},
 * USE FOR DEBUGGING ON {ALL PROCEDURES|procedure…}, USE [GLOBAL] BEFORE REPORTING group:
 * up to the period, the names are files (data), procedures (debugging) or report groups.
 */
function parseUse(p: ParserState): void {
  const debugging = p.isWord(0, 'FOR') && p.isWord(1, 'DEBUGGING');
  while (!p.atEnd && p.peek()!.kind !== TokenKind.Period) {
    const token = p.peek()!;
    if (token.kind === TokenKind.Word && useWords.has(token.upper)) p.i++;
    else if (p.isUserWord(token)) p.program.references.push(p.readReference(debugging));
    else p.i++;
  }
}

function isRepositoryFunction(p: ParserState, upper: string): boolean {
  const program = p.program;
  if (program.repositoryFunctions.has(upper)) return !p.declared.has(upper);
  return program.allIntrinsic && intrinsicFunctionNames.has(upper) && !p.declared.has(upper);
}

/** PERFORM name [THRU name] …, as opposed to PERFORM [n TIMES|UNTIL|VARYING] statements END-PERFORM. */
function startsOutOfLinePerform(p: ParserState): boolean {
  const next = p.peek();
  if (!next) return false;
  const after = p.peek(1);
  if (after?.kind === TokenKind.Word && after.upper === 'TIMES') return false;
  // A subscripted count (`PERFORM SLOTS(I) TIMES`): a procedure name takes no subscript.
  if (after?.kind === TokenKind.LParen) return false;
  if (next.kind === TokenKind.Number) return after?.kind !== TokenKind.Word || after.upper !== 'TIMES';
  return p.isUserWord(next) && !statementVerbs.has(next.upper);
}

function procedureNameAt(p: ParserState): boolean {
  const token = p.peek();
  return token !== undefined && (token.kind === TokenKind.Number || (p.isUserWord(token) && !statementVerbs.has(token.upper)));
}

/** Procedure names follow THRU and INPUT/OUTPUT PROCEDURE [IS] in SORT and MERGE. */
function inProcedureContext(p: ParserState, at: number, verb: string): boolean {
  if (verb !== 'SORT' && verb !== 'MERGE') return false;
  const previous = p.tokens[at - 1]?.upper;
  if (previous === 'THRU' || previous === 'THROUGH' || previous === 'PROCEDURE') return true;
  return previous === 'IS' && p.tokens[at - 2]?.upper === 'PROCEDURE';
}

function wordAt(p: ParserState, index: number): string {
  const token = p.tokens[index];
  return token !== undefined && token.kind === TokenKind.Word ? token.upper : '';
}

/** Words that can begin a conditional phrase; any other word is an operand, decided without further look. */
const phraseStarters = new Set(['NOT', 'ON', 'AT', 'SIZE', 'END', 'END-OF-PAGE', 'EOP', 'INVALID', 'EXCEPTION', 'OVERFLOW', 'ELSE', 'WHEN']);

function phraseAt(p: ParserState, at: number, owned: readonly Phrase[]): { id: Phrase; length: number } | undefined {
  if (!phraseStarters.has(wordAt(p, at))) return undefined;
  let j = at;
  const word = (k: number) => wordAt(p, k);
  if (word(j) === 'NOT') j++;
  if (word(j) === 'ON' || word(j) === 'AT') j++;
  const prefixed = j > at;
  switch (word(j)) {
    case 'SIZE':
      return word(j + 1) === 'ERROR' ? { id: 'size', length: j + 2 - at } : undefined;
    case 'END':
      return prefixed || owned.includes('end') ? { id: 'end', length: j + 1 - at } : undefined;
    case 'END-OF-PAGE':
    case 'EOP':
      return { id: 'eop', length: j + 1 - at };
    case 'INVALID':
      return { id: 'invalid', length: (word(j + 1) === 'KEY' ? j + 2 : j + 1) - at };
    case 'EXCEPTION':
      return { id: 'exception', length: j + 1 - at };
    case 'OVERFLOW':
      return { id: 'overflow', length: j + 1 - at };
    case 'ELSE':
      return prefixed ? undefined : { id: 'else', length: 1 };
    case 'WHEN':
      return prefixed ? undefined : { id: 'when', length: 1 };
  }
  return undefined;
}
