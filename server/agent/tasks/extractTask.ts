/**
 * Extract whole statements of one paragraph into a new paragraph and PERFORM
 * it in their place. Refused, with the reason, when the lines do not hold
 * exactly whole statements of one paragraph, when they change control flow
 * (GO TO, EXIT, NEXT SENTENCE, GOBACK, STOP RUN would behave differently
 * inside a PERFORMed paragraph), or when the name is taken or not a COBOL
 * word. The new paragraph goes after the program's last paragraph, so no
 * paragraph falls through into it.
 */
import { type Analysis, isReservedWord, type SyntaxNode } from '../../cobol';
import type { AgentWorkspace } from '../agentWorkspace';
import { type ProposedChange, TaskRefused, type TextEdit } from '../proposedChange';

export interface ExtractArguments {
  /** The program (relative path). */
  file: string;
  /** One-based, inclusive. */
  fromLine: number;
  toLine: number;
  paragraph: string;
}

const cobolWord = /^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const flowVerbs = new Set(['GO', 'EXIT', 'NEXT', 'GOBACK', 'STOP']);

export function proposeExtract(workspace: AgentWorkspace, args: ExtractArguments): ProposedChange {
  const program = workspace.files.resolve(args.file);
  const analysis = workspace.analyse(program);
  const name = args.paragraph.toUpperCase();
  if (!cobolWord.test(name) || name.length > 30) throw new TaskRefused(`'${args.paragraph}' is not a COBOL paragraph name.`);
  if (isReservedWord(name)) throw new TaskRefused(`'${name}' is a COBOL reserved word.`);
  if (args.fromLine < 1 || args.toLine < args.fromLine) throw new TaskRefused(`Lines ${args.fromLine}-${args.toLine} are not a range.`);
  const from = args.fromLine - 1;
  const to = args.toLine - 1;
  const model = analysis.model.programs.find((candidate) => lineOf(analysis, candidate.node.start) <= from && lastLineOf(analysis, candidate.node) >= to);
  if (!model) throw new TaskRefused(`Lines ${args.fromLine}-${args.toLine} are not inside one program of ${program.relative}.`);
  if (model.byName.get(name)?.length) throw new TaskRefused(`${name} already names a ${model.byName.get(name)![0].kind} in this program.`);
  const paragraphs = paragraphsOf(model.node.procedures);
  const paragraph = paragraphs.find((candidate) => lineOf(analysis, candidate.start) < from && lastLineOf(analysis, candidate) >= to);
  if (!paragraph) throw new TaskRefused(`Lines ${args.fromLine}-${args.toLine} are not inside one paragraph's statements.`);
  const inside = paragraph.children.filter((node) => node.kind === 'statement' && lineOf(analysis, node.start) >= from && lineOf(analysis, node.start) <= to);
  if (inside.length === 0) throw new TaskRefused(`Lines ${args.fromLine}-${args.toLine} hold no statement of ${paragraph.name}.`);
  const first = inside[0];
  const last = inside[inside.length - 1];
  if (lineOf(analysis, first.start) !== from) throw new TaskRefused(`Line ${args.fromLine} does not start a statement; extract whole statements.`);
  const lastToken = lastTokenOnLine(analysis, to);
  const lastOfStatement = last.end - 1; // node ends are exclusive
  if (lineOf(analysis, lastOfStatement) !== to || (lastToken !== lastOfStatement && !(lastToken === last.end && analysis.tokens[lastToken].text === '.'))) {
    throw new TaskRefused(`Line ${args.toLine} does not end a statement; extract whole statements.`);
  }
  const before = firstTokenOnLine(analysis, from);
  if (before !== first.start) throw new TaskRefused(`Line ${args.fromLine} holds text before the first statement; extract whole lines.`);
  for (let i = first.start; i < last.end; i++) {
    const token = analysis.tokens[i];
    if (token.file !== 0) throw new TaskRefused('The lines include text from a copybook; extract statements written in the program.');
    if (flowVerbs.has(token.upper) && isVerb(analysis, i, inside)) throw new TaskRefused(`Line ${token.line + 1} has ${token.upper}: it would behave differently inside a PERFORMed paragraph.`);
  }
  const text = workspace.textOfAbsolute(program.absolute) ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const fixed = analysis.files[0]?.format === 'fixed';
  const endsWithPeriod = lastToken === last.end;
  const indent = lines[from].match(/^(\s*|.{6}\s*)/)?.[0] ?? '';
  const statementIndent = fixed ? `${' '.repeat(6)} ${lines[from].slice(7).match(/^\s*/)?.[0] ?? '   '}` : indent;
  const paragraphIndent = fixed ? ' '.repeat(7) : '';
  const performLine = `${fixed ? ' '.repeat(6) + ' ' + (lines[from].slice(7).match(/^\s*/)?.[0] ?? '   ') : indent}PERFORM ${name}${endsWithPeriod ? '.' : ''}`;
  if (fixed && performLine.length > 72) throw new TaskRefused(`PERFORM ${name} does not fit before column 73; choose a shorter name.`);
  const moved = lines.slice(from, to + 1).map((line) => (fixed && line.length > 72 ? line.slice(0, 72).replace(/\s+$/, '') : line.replace(/\s+$/, '')));
  const body = [...moved];
  if (!endsWithPeriod) body.push(`${statementIndent}.`);
  const lastParagraph = paragraphs[paragraphs.length - 1];
  const insertAfter = lastLineOf(analysis, lastParagraph);
  const edits: TextEdit[] = [
    { range: { start: { line: from, character: 0 }, end: { line: to + 1, character: 0 } }, newText: performLine + eol },
  ];
  const newParagraph = ['', `${paragraphIndent}${name}.`, ...body];
  if (insertAfter + 1 < lines.length) {
    edits.push({ range: { start: { line: insertAfter + 1, character: 0 }, end: { line: insertAfter + 1, character: 0 } }, newText: newParagraph.join(eol) + eol });
  } else {
    const end = { line: insertAfter, character: lines[insertAfter].length };
    edits.push({ range: { start: end, end }, newText: eol + newParagraph.join(eol) });
  }
  if (to >= insertAfter) throw new TaskRefused('The lines overlap the place the new paragraph would go.');
  return {
    summary: `Extract lines ${args.fromLine}-${args.toLine} of ${paragraph.name} into paragraph ${name} and PERFORM it`,
    files: [{ file: program.relative, absolute: program.absolute, edits }],
    undecided: [],
    affectedPrograms: [program.relative],
  };
}

function lineOf(analysis: Analysis, tokenIndex: number): number {
  const token = analysis.tokens[Math.max(0, Math.min(tokenIndex, analysis.tokens.length - 1))];
  return token && token.file === 0 ? token.line : -1;
}

/** The last line of the program's own text that a node's tokens reach (ends are exclusive). */
function lastLineOf(analysis: Analysis, node: SyntaxNode): number {
  let line = -1;
  for (let i = node.start; i < Math.min(node.end, analysis.tokens.length); i++) {
    const token = analysis.tokens[i];
    if (token.file === 0 && token.upper === 'END' && analysis.tokens[i + 1]?.upper === 'PROGRAM') break;
    if (token.file === 0) line = Math.max(line, token.endLine);
  }
  return line;
}

function firstTokenOnLine(analysis: Analysis, line: number): number {
  return analysis.tokens.findIndex((token) => token.file === 0 && token.line === line);
}

function lastTokenOnLine(analysis: Analysis, line: number): number {
  for (let i = analysis.tokens.length - 1; i >= 0; i--) if (analysis.tokens[i].file === 0 && analysis.tokens[i].line === line) return i;
  return -1;
}

/** Whether the word at `index` is the verb of a statement in `statements` or their nested statements. */
function isVerb(analysis: Analysis, index: number, statements: readonly SyntaxNode[]): boolean {
  for (const statement of statements) {
    if (statement.nameToken === index) return true;
    if (isVerb(analysis, index, statement.children.filter((child) => child.kind === 'statement'))) return true;
  }
  return false;
}

function paragraphsOf(nodes: readonly SyntaxNode[]): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  for (const node of nodes) {
    if (node.kind === 'paragraph' && !result.includes(node)) result.push(node);
    else if (node.kind === 'section') for (const child of node.children) if (child.kind === 'paragraph' && !result.includes(child)) result.push(child);
  }
  return result.sort((a, b) => a.start - b.start);
}
