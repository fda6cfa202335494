/**
 * Widen a numeric or alphanumeric field: its PICTURE is replaced (keeping the
 * fixed-format columns), and everything that depends on its size is followed
 * through the semantic model of every program that sees it:
 * - the groups that contain it grow (reported with old and new lengths);
 * - a record of a file changes its record length (undecided: data files);
 * - REDEFINES over it or its groups no longer match in size (undecided);
 * - MOVE targets shorter than the new size would truncate (undecided);
 * - CALL … USING it or a group holding it: the callee's parameter must grow
 *   too unless both sides copy the same copybook (undecided otherwise).
 * Only the PICTURE is edited; the undecided items are listed for the developer.
 */
import { analysePicture, type Analysis, type CobolSymbol, fitEditsToLayout, type PictureInfo, storageSize } from '../../cobol';
import type { SyntaxNode } from '../../cobol';
import type { AgentWorkspace } from '../agentWorkspace';
import { type ProposedChange, TaskRefused } from '../proposedChange';
import { isCopybookPath } from '../workspaceFiles';
import { findSymbol } from './symbolLookup';

export interface WidenArguments {
  file: string;
  name: string;
  /** The new PICTURE string, e.g. `9(10)` or `X(40)`. */
  picture: string;
}

export function proposeWiden(workspace: AgentWorkspace, args: WidenArguments): ProposedChange {
  const found = findSymbol(workspace, args.file, args.name, ['data']);
  const { symbol, analysis, declaredIn } = found;
  const data = symbol.data;
  if (!data?.picture || !data.entry.picture) throw new TaskRefused(`${symbol.name} has no PICTURE (a group or a COMP-1/2 item); widen its elementary items instead.`);
  const parsed = analysePicture(args.picture);
  if (!parsed.ok) throw new TaskRefused(`'${args.picture}' is not a valid PICTURE: ${parsed.message}.`);
  const oldInfo = data.picture;
  const newInfo = parsed.info;
  checkWidening(symbol.name, oldInfo, newInfo);
  const edit = pictureEdit(analysis, symbol, args.picture);
  const text = workspace.textOfAbsolute(declaredIn);
  if (text === undefined) throw new TaskRefused(`Cannot read ${workspace.relativeOf(declaredIn)}.`);
  const fitted = fitEditsToLayout(text, workspace.settings.sourceFormat, [edit]);
  if ('error' in fitted) throw new TaskRefused(`The new PICTURE does not fit ${workspace.relativeOf(declaredIn)}: ${fitted.error}.`);

  const oldSize = data.size;
  // The same rule the semantic model sizes items with (USAGE, SIGN SEPARATE), so the figures match hover's.
  const growth = storageSize(newInfo, data.usage, data.entry.signSeparate) - storageSize(oldInfo, data.usage, data.entry.signSeparate);
  const newSize = oldSize + growth;
  const undecided: string[] = [];
  const notes: string[] = [];
  if (data.entry.occurs || hasOccursAbove(symbol)) undecided.push(`${symbol.name} is in a table (OCCURS): every group holding the table grows by ${growth} bytes per occurrence.`);
  const programs = isCopybookPath(declaredIn) || symbol.declaration.file !== 0 ? workspace.programsCopying(declaredIn) : [found.program];
  if (!programs.some((program) => program.absolute === found.program.absolute)) programs.unshift(found.program);
  const sharedCopybook = isCopybookPath(declaredIn) ? declaredIn : undefined;
  for (const program of programs) {
    const programAnalysis = program.absolute === found.program.absolute ? analysis : workspace.analyse(program);
    const seen = programAnalysis.model.programs.flatMap((model) => model.symbols).find((candidate) => sameDeclaration(programAnalysis, candidate, analysis, symbol));
    if (!seen) continue;
    followDependents(workspace, program.relative, programAnalysis, seen, newSize, growth, sharedCopybook, undecided, notes);
  }
  const declaredRelative = workspace.relativeOf(declaredIn);
  return {
    summary: `Widen ${symbol.name} from PIC ${data.entry.picture} to PIC ${args.picture.toUpperCase()} (${oldSize} → ${newSize} bytes)${notes.length ? `; ${[...new Set(notes)].join('; ')}` : ''}`,
    files: [{ file: declaredRelative, absolute: declaredIn, edits: fitted.edits }],
    undecided: [...new Set(undecided)],
    affectedPrograms: [...new Set(programs.map((program) => program.relative))].sort(),
  };
}

function checkWidening(name: string, oldInfo: PictureInfo, newInfo: PictureInfo): void {
  const numeric = (info: PictureInfo) => info.category === 'numeric';
  if (numeric(oldInfo) !== numeric(newInfo)) throw new TaskRefused(`${name} is ${oldInfo.category}; the new PICTURE is ${newInfo.category}. Widening keeps the category.`);
  if (numeric(oldInfo)) {
    if (newInfo.scale !== oldInfo.scale) throw new TaskRefused(`The new PICTURE moves the decimal point (${oldInfo.scale} → ${newInfo.scale} decimals): that is not a widening.`);
    if (newInfo.signed !== oldInfo.signed) throw new TaskRefused(`The new PICTURE ${newInfo.signed ? 'adds' : 'drops'} the sign: that is not a widening.`);
    if (newInfo.digits <= oldInfo.digits) throw new TaskRefused(`The new PICTURE has ${newInfo.digits} digits, not more than the ${oldInfo.digits} ${name} has.`);
  } else if (newInfo.length <= oldInfo.length) {
    throw new TaskRefused(`The new PICTURE is ${newInfo.length} characters, not more than the ${oldInfo.length} ${name} has.`);
  }
}

function hasOccursAbove(symbol: CobolSymbol): boolean {
  for (let parent = symbol.parent; parent; parent = parent.parent) if (parent.data?.entry.occurs) return true;
  return false;
}

function pictureEdit(analysis: Analysis, symbol: CobolSymbol, picture: string) {
  const entry = symbol.data!.entry;
  const { tokens } = analysis;
  for (let i = entry.nameToken + 1; i < Math.min(tokens.length, entry.node.end + 1); i++) {
    const word = tokens[i].upper;
    if (word !== 'PIC' && word !== 'PICTURE') continue;
    let j = i + 1;
    if (tokens[j]?.upper === 'IS') j++;
    const token = tokens[j];
    if (!token || token.file !== symbol.declaration.file) break;
    const literal = token.text.replace(/\.$/, '');
    return { range: { start: { line: token.line, character: token.col }, end: { line: token.line, character: token.col + literal.length } }, newText: picture.toUpperCase() };
  }
  throw new TaskRefused(`The PICTURE clause of ${symbol.name} was not found in its declaration.`);
}

function sameDeclaration(a: Analysis, x: CobolSymbol, b: Analysis, y: CobolSymbol): boolean {
  return (
    x.name === y.name &&
    a.files[x.declaration.file]?.id === b.files[y.declaration.file]?.id &&
    x.declaration.range.start.line === y.declaration.range.start.line &&
    x.declaration.range.start.character === y.declaration.range.start.character
  );
}

function followDependents(
  workspace: AgentWorkspace,
  program: string,
  analysis: Analysis,
  item: CobolSymbol,
  newSize: number,
  growth: number,
  sharedCopybook: string | undefined,
  undecided: string[],
  notes: string[],
): void {
  const where = (symbol: CobolSymbol) => `${workspace.relativeOf(analysis.files[symbol.declaration.file]?.id ?? program)}:${symbol.declaration.range.start.line + 1}`;
  const chain: CobolSymbol[] = [item];
  for (let parent = item.parent; parent && parent.kind === 'data'; parent = parent.parent) {
    chain.push(parent);
    const size = parent.data?.size ?? 0;
    notes.push(`group ${parent.name} grows ${size} → ${size + growth} bytes`);
  }
  const record = chain[chain.length - 1];
  if (record.data?.fileName) undecided.push(`${program}: ${record.name} is the record of file ${record.data.fileName}; its record length grows by ${growth} bytes, so existing data files and the file's definition elsewhere must change too.`);
  const all = analysis.model.programs.flatMap((model) => model.symbols);
  for (const other of all) {
    const redefined = other.data?.redefines;
    if (redefined && chain.includes(redefined)) undecided.push(`${program}: ${other.name} (${where(other)}) REDEFINES ${redefined.name}; their sizes no longer match after widening.`);
    if (chain.includes(other) && redefined) undecided.push(`${program}: ${other.name} REDEFINES ${redefined.name} (${where(other)}); widening it changes what it overlays.`);
  }
  const inChain = new Set<string>();
  for (const occurrence of analysis.model.occurrences) {
    if (chain.includes(occurrence.symbol)) inChain.add(`${occurrence.file}:${occurrence.line}:${occurrence.col}`);
  }
  const isItem = (tokenIndex: number) => {
    const token = analysis.tokens[tokenIndex];
    return token && inChain.has(`${token.file}:${token.line}:${token.col}`);
  };
  const symbolAtToken = new Map<string, CobolSymbol>();
  for (const occurrence of analysis.model.occurrences) symbolAtToken.set(`${occurrence.file}:${occurrence.line}:${occurrence.col}`, occurrence.symbol);
  for (const model of analysis.model.programs) {
    for (const statement of statements(model.node.procedures)) {
      const verb = statement.name;
      if (verb === 'MOVE') {
        let to = -1;
        for (let i = statement.start; i < statement.end; i++) if (analysis.tokens[i]?.upper === 'TO') to = i;
        if (to < 0) continue;
        let sourceIsItem = false;
        for (let i = statement.start + 1; i < to; i++) if (isItem(i) && symbolAtToken.get(key(analysis, i)) === item) sourceIsItem = true;
        if (!sourceIsItem) continue;
        for (let i = to + 1; i < statement.end; i++) {
          const target = symbolAtToken.get(key(analysis, i));
          if (!target?.data || target === item) continue;
          const token = analysis.tokens[i];
          if (target.data.size < newSize) {
            undecided.push(`${program}:${token.line + 1}: MOVE ${item.name} TO ${target.name} truncates after widening (${target.name} is ${target.data.size} bytes, ${item.name} becomes ${newSize}); widen ${target.name} too if it holds the same value.`);
          }
        }
      } else if (verb === 'CALL') {
        let passes = false;
        for (let i = statement.start; i < statement.end; i++) if (isItem(i)) passes = true;
        if (!passes) continue;
        const call = model.node.calls.find((site) => site.token >= statement.start && site.token < statement.end);
        const line = analysis.tokens[statement.start].line + 1;
        if (!call) {
          undecided.push(`${program}:${line}: a dynamic CALL passes ${item.name} (or a group holding it); its callee cannot be found to check its parameter size.`);
          continue;
        }
        const callees = workspace.index().programsNamed(call.name);
        if (callees.length === 0) {
          undecided.push(`${program}:${line}: CALL '${call.name}' passes ${item.name}'s group, but ${call.name} is not in the workspace; its LINKAGE item must grow by ${growth} bytes.`);
          continue;
        }
        for (const callee of callees) {
          const calleeFile = workspace.files.confine(callee.file);
          const sharesCopybook = sharedCopybook !== undefined && calleeFile !== undefined && workspace.programsCopying(sharedCopybook).some((file) => file.absolute === calleeFile.absolute);
          if (sharesCopybook) notes.push(`CALL '${call.name}' stays consistent: ${workspace.relativeOf(callee.file)} copies the same copybook`);
          else undecided.push(`${program}:${line}: CALL '${call.name}' passes ${item.name}'s group; the matching LINKAGE item in ${workspace.relativeOf(callee.file)} must grow by ${growth} bytes.`);
        }
      }
    }
  }
}

function key(analysis: Analysis, tokenIndex: number): string {
  const token = analysis.tokens[tokenIndex];
  return token ? `${token.file}:${token.line}:${token.col}` : '';
}

function* statements(nodes: readonly SyntaxNode[]): Generator<SyntaxNode> {
  for (const node of nodes) {
    if (node.kind === 'statement') yield node;
    yield* statements(node.children);
  }
}
