/**
 * Completion without a model: data names in scope, paragraph and section
 * names after PERFORM, GO TO and THRU, intrinsic functions after FUNCTION,
 * and keywords from the grammar's shared table (verbs first where a
 * statement starts). Exact and instant: it
 * reads the last analysis and the text before the cursor.
 */
import { type CompletionItem, CompletionItemKind } from 'vscode-languageserver/node';
import { intrinsicFunctionNames, keywordGroups, reservedWords } from '../../grammars/reservedWords';
import { type Analysis, type CobolSymbol, type ProgramModel, programAt } from '../cobol';

const procedureTriggers = new Set(['PERFORM', 'GO', 'TO', 'THRU', 'THROUGH']);
const keywordItems: CompletionItem[] = [...reservedWords].sort().map((word) => ({
  label: word,
  kind: CompletionItemKind.Keyword,
  sortText: `3${word}`,
}));
const verbItems: CompletionItem[] = [...keywordGroups.statements.words, ...keywordGroups.flowStatements.words].sort().map((word) => ({
  label: word,
  kind: CompletionItemKind.Keyword,
  sortText: `1${word}`,
}));
const functionItems: CompletionItem[] = [...intrinsicFunctionNames].sort().map((name) => ({ label: name, kind: CompletionItemKind.Function, detail: 'intrinsic function' }));

export function complete(analysis: Analysis | undefined, lineText: string, line: number, character: number): CompletionItem[] {
  const before = lineText.slice(0, character);
  const words = before.toUpperCase().match(/[A-Z0-9][A-Z0-9_-]*/g) ?? [];
  const partial = /[A-Za-z0-9_-]$/.test(before) ? words.pop() ?? '' : '';
  const previous = words[words.length - 1] ?? '';
  const model = analysis ? programAt(analysis, { line, character }) : undefined;
  const lowerCase = partial.length > 0 && partial === partial.toLowerCase() && /[a-z]/.test(before.slice(-partial.length));
  const cased = (items: CompletionItem[]) => (lowerCase ? items.map((item) => ({ ...item, insertText: item.label.toLowerCase() })) : items);

  if (previous === 'FUNCTION') return cased(functionItems);
  const isGoTo = previous === 'TO' && words[words.length - 2] === 'GO';
  if (procedureTriggers.has(previous) && (previous !== 'TO' || isGoTo)) {
    return cased(procedureItems(model));
  }
  const atStatementStart = words.length === 0;
  return cased([...dataItems(analysis, model), ...(atStatementStart ? verbItems : []), ...keywordItems]);
}

function procedureItems(model: ProgramModel | undefined): CompletionItem[] {
  if (!model) return [];
  return model.symbols
    .filter((symbol) => symbol.kind === 'paragraph' || symbol.kind === 'section')
    .map((symbol) => ({
      label: symbol.name,
      kind: symbol.kind === 'section' ? CompletionItemKind.Module : CompletionItemKind.Function,
      detail: symbol.kind === 'section' ? 'section' : symbol.parent ? `paragraph in ${symbol.parent.name}` : 'paragraph',
      sortText: `0${symbol.name}`,
    }));
}

function dataItems(analysis: Analysis | undefined, model: ProgramModel | undefined): CompletionItem[] {
  if (!analysis || !model) return [];
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  const programs: ProgramModel[] = [model];
  for (let parent = model.node.parent; parent; parent = parent.parent) {
    const outer = analysis.model.programs.find((candidate) => candidate.node === parent);
    if (outer) programs.push(outer);
  }
  for (const program of programs) {
    for (const symbol of program.symbols) {
      if (symbol.name === 'FILLER' || seen.has(symbol.name)) continue;
      const item = dataItem(symbol);
      if (!item) continue;
      seen.add(symbol.name);
      items.push(item);
    }
  }
  return items;
}

function dataItem(symbol: CobolSymbol): CompletionItem | undefined {
  switch (symbol.kind) {
    case 'data': {
      const data = symbol.data!;
      const detail = [String(data.level).padStart(2, '0'), data.entry.picture ? `PIC ${data.entry.picture}` : 'group', data.usage !== 'DISPLAY' ? data.usage : '', `${data.size} bytes`].filter(Boolean).join(' ');
      return { label: symbol.name, kind: symbol.children.some((c) => c.kind === 'data') ? CompletionItemKind.Struct : CompletionItemKind.Field, detail, sortText: `0${symbol.name}` };
    }
    case 'condition':
      return { label: symbol.name, kind: CompletionItemKind.EnumMember, detail: `88 of ${symbol.parent?.name ?? ''}`, sortText: `0${symbol.name}` };
    case 'index':
      return { label: symbol.name, kind: CompletionItemKind.Variable, detail: 'index', sortText: `0${symbol.name}` };
    case 'file':
      return { label: symbol.name, kind: CompletionItemKind.File, detail: 'file', sortText: `2${symbol.name}` };
    case 'special-name':
      return { label: symbol.name, kind: CompletionItemKind.Constant, detail: 'SPECIAL-NAMES', sortText: `2${symbol.name}` };
    default:
      return undefined;
  }
}
