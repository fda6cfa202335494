/**
 * The preprocessor: expands COPY statements (and EXEC SQL INCLUDE of
 * copybooks), applies COPY … REPLACING and REPLACE … / REPLACE OFF, and
 * records every source file that contributed text.
 *
 * Copybook tokens keep their copybook's file index and positions. A copybook
 * already being expanded is a cycle and is reported on the COPY, as are
 * missing copybooks, too-deep nesting and runaway expansion: the depth limit
 * alone does not bound a chain where each copybook copies the next twice
 * (2^depth inclusions), so inclusions and copied tokens per source are capped
 * too, and the result is always small and quick.
 */
import type { Diagnostic, Range } from './diagnostic';
import type { CopybookResolver } from './copybookResolver';
import { defaultMaxFileBytes, formatBytes } from './fileGate';
import { lex } from './lexer';
import type { LexCache } from './lineCache';
import { applyConditionalCompilation } from './conditionalCompilation';
import { systemCopybookVocabulary, vocabularyProducts } from './suppliedNames';
import { applyReplacing, parseReplacingRules, type ReplacingRule } from './replacing';
import type { SourceFormat } from './sourceFormat';
import { Token, TokenKind } from './token';

export interface SourceFile {
  /** The program's id for index 0; a copybook's file path for the others. */
  id: string;
  /** Index of the file holding the COPY that included this one; -1 for the program. */
  parent: number;
  /** That COPY statement's span in the parent file. */
  copyRange: Range | undefined;
  format: SourceFormat;
  lineCount: number;
}

export interface CopyStatement {
  /** File index holding the statement. */
  file: number;
  range: Range;
  /** Span of the copybook name. */
  nameRange: Range;
  name: string;
  library: string | undefined;
  /** File index of the included copybook, when it was found and expanded. */
  included: number | undefined;
  /**
   * Why it was not expanded: not found, a cycle (its text is already there),
   * refused by the file-access gate (outside the allowed folders, not a
   * regular file, too large, unreadable), nested too deep, past a cap, or
   * supplied by CICS (its names count as defined).
   */
  skipped?: 'missing' | 'refused' | 'cycle' | 'depth' | 'cap' | 'system';
}

/** A diagnostic located in one of the source files. */
export interface FileDiagnostic extends Diagnostic {
  file: number;
}

export interface PreprocessOptions {
  id: string;
  text: string;
  format: SourceFormat | 'auto';
  resolver: CopybookResolver | undefined;
  /** Copybooks nested deeper than this are reported, not expanded. */
  maxDepth?: number;
  /** Caps per source (defaults `maxInclusions`, `maxCopiedTokens`); past them COPY is reported once and not expanded. */
  maxInclusions?: number;
  maxCopiedTokens?: number;
  /** Bytes of copybook text read per source at most (default `maxCopybookBytes`). */
  maxCopybookBytes?: number;
  /** Keeps line tokens between analyses of the same document (incremental re-reading). */
  cache?: LexCache;
}

export interface PreprocessResult {
  tokens: Token[];
  /** The program's own lines. */
  lines: string[];
  files: SourceFile[];
  copies: CopyStatement[];
  diagnostics: FileDiagnostic[];
  /** Copybook diagnostics not collected past `maxCollectedDiagnostics` (counted in the analysis's note). */
  droppedDiagnostics: number;
}

/**
 * Copybook reading diagnostics collected per source at most: well above what
 * is reported (analysis.ts keeps 5,000), far below a million.
 */
export const maxCollectedDiagnostics = 20_000;

const defaultMaxDepth = 32;
/** Copybook inclusions per source at most: large CICS programs include a few hundred. */
export const maxInclusions = 1_000;
/**
 * Tokens copied from copybooks, or added by REPLACING and REPLACE, per source
 * at most (about 300,000 lines of copybook text). Checked where the text
 * grows: after each copybook is read and inside every REPLACING, at every level.
 */
export const maxCopiedTokens = 2_000_000;
/** Bytes of copybook text read per source at most; one copybook at most `defaultMaxFileBytes`. */
export const maxCopybookBytes = 64 * 1024 * 1024;
const sqlIncludePattern = /^INCLUDE\s+([A-Za-z0-9_$#@-]+|'[^']*'|"[^"]*")\s*\.?$/i;
const precompilerAreas = new Set(['SQLCA', 'SQLDA']);

export function preprocess(options: PreprocessOptions): PreprocessResult {
  const state = new Preprocessor(options);
  return state.run();
}

class Preprocessor {
  private readonly files: SourceFile[] = [];
  private readonly copies: CopyStatement[] = [];
  private readonly diagnostics: FileDiagnostic[] = [];
  private droppedDiagnostics = 0;
  private sawReplace = false;
  /** Tokens copied from copybooks so far (after REPLACING). */
  private copiedTokens = 0;
  /** Bytes of copybook text read so far. */
  private copiedBytes = 0;
  /** Set once a cap is hit: later COPY statements are skipped without another diagnostic. */
  private capped = false;

  constructor(private readonly options: PreprocessOptions) {}

  run(): PreprocessResult {
    this.options.cache?.nextReading();
    const main = lex(this.options.text, 0, this.options.format, this.lineCache(this.options.id));
    this.files.push({ id: this.options.id, parent: -1, copyRange: undefined, format: main.format, lineCount: main.lineCount });
    for (const diagnostic of main.diagnostics) this.diagnostics.push({ ...diagnostic, file: 0 });
    let tokens: Token[] = [];
    this.expandInto(tokens, main.tokens, 0, [this.options.id]);
    tokens = applyConditionalCompilation(tokens);
    if (this.sawReplace) tokens = this.applyReplaceStatements(tokens);
    return { tokens, lines: main.lines, files: this.files, copies: this.copies, diagnostics: this.diagnostics, droppedDiagnostics: this.droppedDiagnostics };
  }

  private expandInto(out: Token[], tokens: readonly Token[], file: number, stack: string[]): void {
    let i = 0;
    while (i < tokens.length) {
      const token = tokens[i];
      if (token.kind === TokenKind.Word && token.upper === 'COPY') {
        i = this.copyStatement(out, tokens, i, file, stack);
        continue;
      }
      if (token.kind === TokenKind.Word && token.upper === 'REPLACE') this.sawReplace = true;
      const listing = listingStatementEnd(tokens, i);
      if (listing > i) {
        i = listing;
        continue;
      }
      out.push(token);
      i++;
      if (token.kind === TokenKind.Exec && token.exec?.language === 'SQL') this.sqlInclude(out, token, file, stack);
    }
  }

  /** Parses and expands one COPY statement at `start`; returns the index after it. */
  private copyStatement(out: Token[], tokens: readonly Token[], start: number, file: number, stack: string[]): number {
    const copy = tokens[start];
    let i = start + 1;
    const nameToken = tokens[i];
    if (!nameToken || (nameToken.kind !== TokenKind.Word && nameToken.kind !== TokenKind.String)) {
      this.report(file, span(copy, copy), 'error', 'copybook/syntax', 'COPY needs a copybook name.');
      return skipToPeriod(tokens, i);
    }
    i++;
    let library: string | undefined;
    if (tokens[i]?.kind === TokenKind.Word && (tokens[i].upper === 'OF' || tokens[i].upper === 'IN')) {
      const lib = tokens[i + 1];
      if (lib && (lib.kind === TokenKind.Word || lib.kind === TokenKind.String)) {
        library = literalText(lib);
        i += 2;
      } else {
        this.report(file, span(tokens[i], tokens[i]), 'error', 'copybook/syntax', `Expected a library name after ${tokens[i].upper}.`);
        i++;
      }
    }
    if (tokens[i]?.kind === TokenKind.Word && tokens[i].upper === 'SUPPRESS') {
      i++;
      if (tokens[i]?.kind === TokenKind.Word && tokens[i].upper === 'PRINTING') i++;
    }
    let rules: ReplacingRule[] = [];
    if (tokens[i]?.kind === TokenKind.Word && tokens[i].upper === 'REPLACING') {
      const parsed = parseReplacingRules(tokens, i + 1);
      rules = parsed.rules;
      i = parsed.next;
      if (parsed.error) {
        const at = parsed.error.token;
        this.report(at.file, span(at, at), 'error', 'copybook/syntax', parsed.error.message);
        i = skipToPeriod(tokens, i) - 1;
      }
    }
    let last = tokens[Math.min(i, tokens.length) - 1];
    if (tokens[i]?.kind === TokenKind.Period) {
      last = tokens[i];
      i++;
    } else {
      this.report(file, span(last, last), 'error', 'copybook/syntax', 'A COPY statement ends with a period.');
    }
    const statement: CopyStatement = {
      file,
      range: span(copy, last),
      nameRange: span(nameToken, nameToken),
      name: literalText(nameToken),
      library,
      included: undefined,
    };
    this.copies.push(statement);
    this.include(out, statement, rules, stack);
    return i;
  }

  private sqlInclude(out: Token[], token: Token, file: number, stack: string[]): void {
    const match = sqlIncludePattern.exec(token.exec?.body ?? '');
    if (!match) return;
    const name = match[1].replace(/^['"]|['"]$/g, '');
    if (precompilerAreas.has(name.toUpperCase())) return;
    const range = span(token, token);
    const statement: CopyStatement = { file, range, nameRange: range, name, library: undefined, included: undefined };
    this.copies.push(statement);
    this.include(out, statement, [], stack);
  }

  private include(out: Token[], statement: CopyStatement, rules: ReplacingRule[], stack: string[]): void {
    const { file, range, name } = statement;
    if (stack.length > (this.options.maxDepth ?? defaultMaxDepth)) {
      this.report(file, range, 'error', 'copybook/depth', `Copybook '${name}' is nested more than ${this.options.maxDepth ?? defaultMaxDepth} deep; not expanded.`);
      statement.skipped = 'depth';
      return;
    }
    if (this.capped) {
      statement.skipped = 'cap';
      return;
    }
    const inclusionCap = this.options.maxInclusions ?? maxInclusions;
    if (this.files.length - 1 >= inclusionCap) {
      this.refuse(statement, 'copybook/too-many', `More than ${inclusionCap} copybook inclusions in this source (copybooks copying each other again and again?): COPY ${name} and every later COPY are not expanded.`);
      return;
    }
    const byteCap = this.options.maxCopybookBytes ?? maxCopybookBytes;
    const bytesLeft = byteCap - this.copiedBytes;
    const resolved = this.options.resolver?.resolve({
      name,
      library: statement.library,
      fromFile: this.files[file].id,
      programFile: this.options.id,
      maxBytes: Math.min(defaultMaxFileBytes, Math.max(0, bytesLeft)),
    });
    const vocabulary = resolved ? undefined : systemCopybookVocabulary(name);
    if (vocabulary) {
      // Supplied by the product itself (CICS, DB2, IMS, MQ): programs copy it without shipping it.
      this.report(file, statement.nameRange, 'information', 'copybook/system', `Copybook '${name}' is supplied by ${vocabularyProducts[vocabulary]} and is not in the copybook paths; the names it defines are taken as defined.`);
      statement.skipped = 'system';
      return;
    }
    if (!resolved) {
      const where = statement.library ? `${name} in library ${statement.library}` : name;
      this.report(file, statement.nameRange, 'error', 'copybook/missing', `Copybook '${where}' not found in the program's folder or the copybook paths (cobolAssist.copybookPaths).`);
      statement.skipped = 'missing';
      return;
    }
    if ('refused' in resolved) {
      const { problem, message } = resolved.refused;
      if (problem === 'tooLarge' && bytesLeft < defaultMaxFileBytes) {
        this.refuse(statement, 'copybook/too-large', `Copybooks would bring more than ${formatBytes(byteCap)} of text into this source: COPY ${name} and every later COPY are not expanded.`);
        return;
      }
      // The gate's message names the file and the reason, never its content.
      const code = problem === 'unreadable' ? 'copybook/unreadable' : 'copybook/refused';
      this.report(file, statement.nameRange, 'error', code, `Copybook '${name}' is not expanded: ${message}`);
      statement.skipped = 'refused';
      return;
    }
    if (stack.includes(resolved.file)) {
      const chain = [...stack.slice(stack.indexOf(resolved.file)), resolved.file].map(baseName).join(' → ');
      this.report(file, range, 'error', 'copybook/cycle', `COPY ${name} is circular: ${chain}. Not expanded again.`);
      statement.skipped = 'cycle';
      return;
    }
    this.copiedBytes += resolved.text.length;
    const index = this.files.length;
    const lexed = lex(resolved.text, index, this.options.format, this.lineCache(resolved.file), Math.max(0, maxCollectedDiagnostics - this.diagnostics.length));
    this.droppedDiagnostics += lexed.droppedDiagnostics;
    const tokenCap = this.options.maxCopiedTokens ?? maxCopiedTokens;
    if (this.copiedTokens + lexed.tokens.length > tokenCap) {
      this.refuse(statement, 'copybook/too-large', `Copybooks would bring more than ${tokenCap.toLocaleString('en-US')} tokens into this source: COPY ${name} and every later COPY are not expanded.`);
      return;
    }
    this.files.push({ id: resolved.file, parent: file, copyRange: range, format: lexed.format, lineCount: lexed.lineCount });
    statement.included = index;
    // Growth of the diagnostics is capped where it happens: a thousand copybooks of garbage cost a counter.
    const room = Math.max(0, maxCollectedDiagnostics - this.diagnostics.length);
    for (let d = 0; d < Math.min(room, lexed.diagnostics.length); d++) this.diagnostics.push({ ...lexed.diagnostics[d], file: index });
    this.droppedDiagnostics += Math.max(0, lexed.diagnostics.length - room);
    this.copiedTokens += lexed.tokens.length;
    let expanded: Token[] = [];
    this.expandInto(expanded, lexed.tokens, index, [...stack, resolved.file]);
    const beforeReplacing = expanded.length;
    // Growth is bounded inside REPLACING itself: a chain of copybooks that each multiply the text stops here.
    // Text a nested COPY … REPLACING already replaced keeps its form (keepReplaced), as GnuCOBOL does.
    const replaced = applyReplacing(expanded, rules, beforeReplacing + Math.max(0, tokenCap - this.copiedTokens), true);
    if (!replaced) {
      if (!this.capped) this.refuse(statement, 'copybook/too-large', tooManyTokens(tokenCap, name));
      else statement.skipped = 'cap';
      return;
    }
    expanded = replaced;
    this.copiedTokens += Math.max(0, expanded.length - beforeReplacing);
    for (const token of expanded) out.push(token);
  }

  /** Reports the COPY where a cap was hit; later COPY statements are skipped silently. */
  private refuse(statement: CopyStatement, code: 'copybook/too-many' | 'copybook/too-large', message: string): void {
    this.capped = true;
    statement.skipped = 'cap';
    this.report(statement.file, statement.range, 'error', code, message);
  }

  /** Applies REPLACE statements to the expanded text and removes them from it. */
  private applyReplaceStatements(tokens: Token[]): Token[] {
    const out: Token[] = [];
    let active: ReplacingRule[] = [];
    let segment: Token[] = [];
    const tokenCap = this.options.maxCopiedTokens ?? maxCopiedTokens;
    let reported = false;
    const flush = () => {
      const replaced = applyReplacing(segment, active, segment.length + Math.max(0, tokenCap - this.copiedTokens));
      if (replaced) this.copiedTokens += Math.max(0, replaced.length - segment.length);
      else if (!reported) {
        // The text is kept as written: one clear diagnostic instead of a runaway expansion.
        reported = true;
        const at = segment[0];
        this.report(at.file, span(at, at), 'error', 'replace/too-large', `REPLACE would bring the text of this source past ${tokenCap.toLocaleString('en-US')} added tokens; the text from here is not replaced.`);
        active = [];
      }
      for (const token of replaced ?? segment) out.push(token);
      segment = [];
    };
    let i = 0;
    while (i < tokens.length) {
      const token = tokens[i];
      if (token.kind !== TokenKind.Word || token.upper !== 'REPLACE' || !startsReplace(tokens[i + 1])) {
        segment.push(token);
        i++;
        continue;
      }
      flush();
      let j = i + 1;
      let also = false;
      if (tokens[j].upper === 'LAST') j++;
      if (tokens[j]?.upper === 'OFF') {
        active = [];
        j++;
      } else {
        if (tokens[j].upper === 'ALSO') {
          also = true;
          j++;
        }
        const parsed = parseReplacingRules(tokens, j);
        if (parsed.error) this.report(parsed.error.token.file, span(parsed.error.token, parsed.error.token), 'error', 'syntax/replace', parsed.error.message);
        active = also ? [...active, ...parsed.rules] : parsed.rules;
        j = parsed.error ? skipToPeriod(tokens, parsed.next) - 1 : parsed.next;
      }
      if (tokens[j]?.kind === TokenKind.Period) j++;
      else this.report(token.file, span(token, token), 'error', 'syntax/replace', 'A REPLACE statement ends with a period.');
      i = Math.max(j, i + 1);
    }
    flush();
    return out;
  }

  private lineCache(id: string) {
    const cache = this.options.cache;
    return cache ? { lines: cache.forFile(id), reading: cache.currentReading } : undefined;
  }

  private report(file: number, range: Range, severity: Diagnostic['severity'], code: string, message: string): void {
    this.diagnostics.push({ file, range, severity, code, message });
  }
}

function tooManyTokens(cap: number, name: string): string {
  return `COPY ${name} REPLACING would bring more than ${cap.toLocaleString('en-US')} tokens into this source (copybooks that multiply their text at every level?): it and every later COPY are not expanded.`;
}

function startsReplace(next: Token | undefined): boolean {
  if (!next) return false;
  return next.kind === TokenKind.PseudoText || next.upper === 'OFF' || next.upper === 'ALSO' || next.upper === 'LAST';
}

/** The index after the next period (or the end). */
function skipToPeriod(tokens: readonly Token[], i: number): number {
  while (i < tokens.length && tokens[i].kind !== TokenKind.Period) i++;
  return Math.min(i + 1, tokens.length);
}

/** A literal's text without quotes; a word's text as written. */
/**
 * IBM's listing-control statements (EJECT, SKIP1/2/3, TITLE 'text') may
 * stand anywhere, even between data entries; they only shape the compiler
 * listing, so they are dropped here. Returns the index after the statement,
 * or `i` when none starts there.
 */
function listingStatementEnd(tokens: readonly Token[], i: number): number {
  const token = tokens[i];
  if (token.kind !== TokenKind.Word) return i;
  let end = i;
  if (token.upper === 'EJECT' || token.upper === 'SKIP1' || token.upper === 'SKIP2' || token.upper === 'SKIP3') end = i + 1;
  else if (token.upper === 'TITLE' && tokens[i + 1]?.kind === TokenKind.String) end = i + 2;
  else return i;
  return tokens[end]?.kind === TokenKind.Period && tokens[end].line === tokens[end - 1].endLine ? end + 1 : end;
}

export function literalText(token: Token): string {
  if (token.kind !== TokenKind.String) return token.text;
  const open = token.text.search(/["']/);
  const body = token.text.slice(open + 1, token.text.endsWith(token.text[open]) ? -1 : undefined);
  return body.replace(token.text[open] === '"' ? /""/g : /''/g, token.text[open]);
}

export function span(first: Token, last: Token): Range {
  if (first.file !== last.file) last = first;
  return { start: { line: first.line, character: first.col }, end: { line: last.endLine, character: last.endCol } };
}

function baseName(id: string): string {
  const slash = Math.max(id.lastIndexOf('/'), id.lastIndexOf('\\'));
  return slash >= 0 ? id.slice(slash + 1) : id;
}
