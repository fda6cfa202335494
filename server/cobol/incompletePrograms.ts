/**
 * Programs whose text is incomplete because a COPY was not expanded (the
 * copybook is missing, nested too deep, or past a cap), and the one note per
 * such program that replaces the cascade of "undefined name" errors for the
 * names the copybook would have declared: the user sees the real cause, the
 * COPY, first.
 *
 * A COPY belongs to the innermost program whose lines in the source contain
 * it (a COPY inside a copybook: where that copybook is copied); nested
 * programs of that program are incomplete too, since they may use its
 * GLOBAL names.
 */
import type { Range } from './diagnostic';
import type { CopyStatement, FileDiagnostic, SourceFile } from './preprocessor';
import type { ProgramNode } from './syntaxTree';
import type { Token } from './token';

/** COPY statements that leave a program without text it may rely on. */
const incompleteReasons = new Set<CopyStatement['skipped']>(['missing', 'refused', 'depth', 'cap']);

/** Each incomplete program with the COPY statements (in source order) that left it incomplete. */
export function incompletePrograms(
  roots: readonly ProgramNode[],
  tokens: readonly Token[],
  files: readonly SourceFile[],
  copies: readonly CopyStatement[],
): Map<ProgramNode, CopyStatement[]> {
  const result = new Map<ProgramNode, CopyStatement[]>();
  const unexpanded = copies.filter((copy) => incompleteReasons.has(copy.skipped));
  if (unexpanded.length === 0) return result;
  const spans = programSpans(roots, tokens);
  for (const copy of unexpanded) {
    const line = lineInProgram(copy, files);
    let owner: { program: ProgramNode; first: number; last: number } | undefined;
    for (const span of spans) {
      if (line < span.first || line > span.last) continue;
      if (!owner || span.last - span.first < owner.last - owner.first) owner = span;
    }
    // A COPY outside every program (before the first one, say): every program may miss its names.
    const affected = owner ? [owner.program] : [...roots];
    const mark = (program: ProgramNode) => {
      const causes = result.get(program);
      if (!causes) result.set(program, [copy]);
      else if (!causes.includes(copy)) causes.push(copy);
      program.nested.forEach(mark);
    };
    affected.forEach(mark);
  }
  return result;
}

/**
 * One information note per incomplete program that uses undefined names, on
 * the COPY that left it incomplete; that COPY's error says the names are
 * summarised there. Returns the notes; amends the errors in `diagnostics`.
 */
export function withheldNamesNotes(
  withheld: ReadonlyMap<ProgramNode, ReadonlySet<string>>,
  incomplete: ReadonlyMap<ProgramNode, readonly CopyStatement[]>,
  diagnostics: FileDiagnostic[],
): FileDiagnostic[] {
  const notes: FileDiagnostic[] = [];
  for (const [program, names] of withheld) {
    const causes = incomplete.get(program);
    const copy = causes?.[0];
    if (!causes || !copy || names.size === 0) continue;
    const programName = program.name || 'this program';
    // Every missing copybook is named: the names may come from any of them (the editor says which, where it knows).
    const missing = [...new Set(causes.filter((c) => c.skipped === 'missing').map((c) => c.name.toUpperCase()))];
    const unexpanded = [...new Set(causes.filter((c) => c.skipped !== 'missing').map((c) => c.name.toUpperCase()))];
    const listed = (items: string[]) => (items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
    const parts = [
      ...(missing.length > 0 ? [`${missing.length === 1 ? 'copybook' : 'copybooks'} ${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} missing`] : []),
      ...(unexpanded.length > 0 ? [`COPY ${listed(unexpanded)} ${unexpanded.length === 1 ? 'was' : 'were'} not expanded`] : []),
    ];
    const cause = parts.join(' and ');
    const several = missing.length + unexpanded.length > 1;
    const shown = [...names].slice(0, 10).join(', ') + (names.size > 10 ? ', …' : '');
    const count = names.size === 1 ? '1 name' : `${names.size.toLocaleString('en-US')} names`;
    notes.push({
      file: copy.file,
      range: copy.nameRange,
      severity: 'information',
      code: 'semantic/undefined-withheld',
      message: `${count} used in ${programName} ${names.size === 1 ? 'is' : 'are'} not defined, probably because ${cause}: ${shown}. They are not reported one by one until ${several ? 'they are' : 'it is'} ${unexpanded.length === 0 ? 'found' : 'expanded'}.`,
    });
    const error = diagnostics.find((d) => d.file === copy.file && d.severity === 'error' && (sameRange(d.range, copy.nameRange) || sameRange(d.range, copy.range)));
    if (error && !error.message.includes('not reported one by one')) {
      error.message += ` Meanwhile undefined names in ${programName} are summarised in one note on this COPY instead of being reported one by one.`;
    }
  }
  return notes;
}

/** Each program's first and last line in the analysed source (file 0). */
function programSpans(roots: readonly ProgramNode[], tokens: readonly Token[]): { program: ProgramNode; first: number; last: number }[] {
  const spans: { program: ProgramNode; first: number; last: number }[] = [];
  const visit = (program: ProgramNode) => {
    let first = -1;
    let last = -1;
    const end = Math.min(program.end - 1, tokens.length - 1); // `end` is exclusive
    for (let i = Math.max(program.start, 0); i <= end; i++) {
      if (tokens[i].file === 0) {
        first = tokens[i].line;
        break;
      }
    }
    for (let i = end; i >= Math.max(program.start, 0); i--) {
      if (tokens[i].file === 0) {
        last = tokens[i].endLine;
        break;
      }
    }
    if (first >= 0) spans.push({ program, first, last });
    program.nested.forEach(visit);
  };
  roots.forEach(visit);
  return spans;
}

/** The line in the analysed source of a COPY, or of the COPY that brought in the copybook holding it. */
function lineInProgram(copy: CopyStatement, files: readonly SourceFile[]): number {
  if (copy.file === 0) return copy.range.start.line;
  let file = copy.file;
  while (files[file] && files[file].parent > 0) file = files[file].parent;
  return files[file]?.copyRange?.start.line ?? -1;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
