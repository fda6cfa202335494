/**
 * A small model of a COBOL program (data items, statements, paragraphs) that
 * generators fill in, and its conversion to logical lines in the program's
 * style (scope terminators or period-terminated sentences, PIC alignment,
 * level numbering, comment banners, sections).
 */
import { ALIGN, type LogicalLine } from './render';
import type { Rng } from './rng';
import type { Style } from './style';

export interface DataItem {
  name: string;
  pic?: string;
  usage?: string;
  value?: string;
  occurs?: string;
  redefines?: string;
  extra?: string;
  children?: DataItem[];
  /** 88-level condition names: [name, value clause text]. */
  conds?: Array<[string, string]>;
  comment?: string;
}

/** A statement: plain text (may span lines) or a block with labelled parts and an end keyword. */
export type Stmt =
  | string
  | string[]
  | { head: string | string[]; parts: Array<[string | null, Stmt[]]>; end: string; inline?: boolean };

export interface Paragraph {
  name: string;
  comment?: string;
  body: Stmt[];
}

export function ifs(cond: string, then: Stmt[], otherwise?: Stmt[]): Stmt {
  const parts: Array<[string | null, Stmt[]]> = [[null, then]];
  if (otherwise && otherwise.length > 0) parts.push(['ELSE', otherwise]);
  return { head: `IF ${cond}`, parts, end: 'END-IF' };
}

export function evaluate(subject: string, whens: Array<[string, Stmt[]]>, other?: Stmt[]): Stmt {
  const parts: Array<[string | null, Stmt[]]> = whens.map(([w, b]) => [`WHEN ${w}`, b.length ? b : ['CONTINUE']]);
  if (other) parts.push(['WHEN OTHER', other.length ? other : ['CONTINUE']]);
  return { head: `EVALUATE ${subject}`, parts, end: 'END-EVALUATE' };
}

export function performInline(head: string, body: Stmt[]): Stmt {
  return { head: `PERFORM ${head}`, parts: [[null, body]], end: 'END-PERFORM', inline: true };
}

export interface FileDef {
  select: string[];
  fd: string[];
  record: DataItem;
}

export class ProgramModel {
  ident: string[] = [];
  specialNames: string[] = [];
  files: FileDef[] = [];
  ws: DataItem[] = [];
  wsRaw: LogicalLine[] = [];
  linkage: DataItem[] = [];
  linkageRaw: LogicalLine[] = [];
  using: string[] = [];
  paragraphs: Paragraph[] = [];
  /** Programs contained in this one (nested) and programs following it in the same source. */
  nested: ProgramModel[] = [];
  following: ProgramModel[] = [];
  isCommon = false;
  headerComments: string[] = [];

  constructor(
    public readonly id: string,
    public readonly style: Style,
    private readonly rng: Rng,
  ) {}

  toLines(topLevel = true): LogicalLine[] {
    const s = this.style;
    const out: LogicalLine[] = [];
    if (topLevel && s.layout === 'free' && s.freeDirective) out.push({ kind: 'directive', text: '>>SOURCE FORMAT FREE' });
    for (const c of this.headerComments) out.push(c === '' ? { kind: 'comment', text: '' } : { kind: 'comment', text: c });
    out.push({ kind: 'a', text: 'IDENTIFICATION DIVISION.' });
    out.push({ kind: 'a', text: `PROGRAM-ID. ${this.id}${this.isCommon ? ' IS COMMON' : ''}.` });
    for (const l of this.ident) out.push({ kind: 'a', text: l });
    if (this.specialNames.length > 0 || this.files.length > 0) {
      out.push({ kind: 'a', text: 'ENVIRONMENT DIVISION.' });
      if (this.specialNames.length > 0) {
        out.push({ kind: 'a', text: 'CONFIGURATION SECTION.' });
        out.push({ kind: 'a', text: 'SPECIAL-NAMES.' });
        this.specialNames.forEach((t, i) => out.push({ kind: 'b', text: t + (i === this.specialNames.length - 1 ? '.' : ''), depth: 0 }));
      }
      if (this.files.length > 0) {
        out.push({ kind: 'a', text: 'INPUT-OUTPUT SECTION.' });
        out.push({ kind: 'a', text: 'FILE-CONTROL.' });
        for (const f of this.files) f.select.forEach((t, i) => out.push({ kind: 'b', text: t, depth: i === 0 ? 0 : 1 }));
      }
    }
    out.push({ kind: 'a', text: 'DATA DIVISION.' });
    if (this.files.length > 0) {
      out.push({ kind: 'a', text: 'FILE SECTION.' });
      for (const f of this.files) {
        f.fd.forEach((t, i) => (i === 0 ? out.push({ kind: 'a', text: t }) : out.push({ kind: 'b', text: t, depth: 0 })));
        this.dataLines(f.record, 0, out);
      }
    }
    if (this.ws.length > 0 || this.wsRaw.length > 0) {
      out.push({ kind: 'a', text: 'WORKING-STORAGE SECTION.' });
      out.push(...this.wsRaw);
      for (const item of this.ws) this.dataLines(item, 0, out, true);
    }
    if (this.linkage.length > 0 || this.linkageRaw.length > 0) {
      out.push({ kind: 'a', text: 'LINKAGE SECTION.' });
      out.push(...this.linkageRaw);
      for (const item of this.linkage) this.dataLines(item, 0, out);
    }
    out.push({ kind: 'a', text: `PROCEDURE DIVISION${this.using.length ? ' USING ' + this.using.join(' ') : ''}.` });
    const periodEach = !s.scopeTerminators || this.rng.chance(0.25);
    let sectionOpen = false;
    this.paragraphs.forEach((p, i) => {
      if (s.blankBetweenParas && i > 0) out.push({ kind: 'blank' });
      if (p.comment && s.comments !== 'none') this.commentBlock(p.comment, out);
      if (s.useSections) {
        out.push({ kind: 'a', text: `${p.name}-SECTION SECTION.` });
        sectionOpen = true;
      }
      out.push({ kind: 'a', text: `${p.name}.` });
      const body: LogicalLine[] = [];
      p.body.forEach((st, k) => {
        const lines = this.stmtLines(st, 0, !s.scopeTerminators);
        if ((periodEach || k === p.body.length - 1) && lines.length > 0) addPeriod(lines);
        body.push(...lines);
      });
      if (body.length === 0) body.push({ kind: 'b', text: 'EXIT.', depth: 0 });
      out.push(...body);
      if (s.exitParas && !s.useSections && i > 0 && p.body.length > 0 && this.exitNames.has(p.name)) {
        out.push({ kind: 'a', text: `${p.name}-EXIT.` });
        out.push({ kind: 'b', text: 'EXIT.', depth: 0 });
      }
    });
    void sectionOpen;
    for (const n of this.nested) out.push(...n.toLines(false));
    if (this.nested.length > 0 || this.following.length > 0 || s.endProgram || !topLevel) {
      out.push({ kind: 'a', text: `END PROGRAM ${this.id}.` });
    }
    for (const f of this.following) {
      out.push({ kind: 'blank' });
      out.push(...f.toLines(false));
    }
    return out;
  }

  /** Paragraphs that get a ...-EXIT paragraph (PERFORM ... THRU ...-EXIT). */
  exitNames = new Set<string>();

  perform(name: string, tail = ''): string {
    const thru = this.style.exitParas && !this.style.useSections && this.exitNames.has(name);
    const target = this.style.useSections ? `${name}-SECTION` : name;
    return `PERFORM ${target}${thru ? ` THRU ${name}-EXIT` : ''}${tail ? ' ' + tail : ''}`;
  }

  private commentBlock(text: string, out: LogicalLine[]): void {
    const s = this.style;
    if (this.rng.next() > s.commentDensity) return;
    switch (s.comments) {
      case 'box':
        out.push({ kind: 'comment', text: '*'.repeat(60) });
        out.push({ kind: 'comment', text: `* ${text}`.padEnd(59) + '*' });
        out.push({ kind: 'comment', text: '*'.repeat(60) });
        break;
      case 'dash':
        out.push({ kind: 'comment', text: '-'.repeat(50) });
        out.push({ kind: 'comment', text: ` ${text}` });
        out.push({ kind: 'comment', text: '-'.repeat(50) });
        break;
      case 'star-line':
        out.push({ kind: 'comment', text: `**** ${text} ****` });
        break;
      default:
        out.push({ kind: 'comment', text: ` ${text}` });
    }
  }

  private dataLines(item: DataItem, depth: number, out: LogicalLine[], allow77 = false): void {
    const s = this.style;
    if (item.name === '__SQL_BEGIN__' || item.name === '__SQL_END__') {
      out.push({ kind: 'a', text: `EXEC SQL ${item.name === '__SQL_BEGIN__' ? 'BEGIN' : 'END'} DECLARE SECTION END-EXEC.` });
      return;
    }
    const level = allow77 && depth === 0 && item.children === undefined && item.pic !== undefined && item.name !== 'FILLER' && this.rng.chance(0.15) ? 77 : s.levels[Math.min(depth, s.levels.length - 1)]!;
    const lv = String(level).padStart(2, '0');
    const clauses: string[] = [];
    if (item.redefines) clauses.push(`REDEFINES ${item.redefines}`);
    if (item.occurs) clauses.push(item.occurs);
    if (item.pic) clauses.push(`${s.picWord} ${item.pic}`);
    if (item.usage) clauses.push(item.usage);
    if (item.extra) clauses.push(item.extra);
    if (item.value) clauses.push(`${s.valueWord} ${item.value}`);
    const head = `${lv} ${item.name}`;
    const align = s.picColumn > 0 && item.pic ? ALIGN + String.fromCharCode(32 + s.picColumn - 8) : ' ';
    const text = clauses.length ? `${head}${align}${clauses.join(' ')}.` : `${head}.`;
    if (item.comment && s.comments !== 'none' && this.rng.next() < s.commentDensity * 0.5) out.push({ kind: 'comment', text: ` ${item.comment}` });
    if (depth === 0) out.push({ kind: 'a', text });
    else out.push({ kind: 'b', text, depth: depth - 1 });
    for (const [name, value] of item.conds ?? []) {
      out.push({ kind: 'b', text: `88 ${name}${align === ' ' ? ' ' : ALIGN + String.fromCharCode(32 + s.picColumn - 8)}${s.valueWord === 'VALUE IS' && !value.includes(' THRU ') ? 'VALUE IS' : 'VALUE'} ${value}.`, depth });
    }
    for (const child of item.children ?? []) this.dataLines(child, depth + 1, out);
  }

  /** Lines of one statement; `omitEnd` drops the END-x of a top-level block (period style). */
  private stmtLines(st: Stmt, depth: number, omitEnd: boolean): LogicalLine[] {
    if (typeof st === 'string') return [{ kind: 'b', text: st, depth }];
    if (Array.isArray(st)) return st.map((t, i) => ({ kind: 'b', text: t, depth: depth + (i === 0 ? 0 : 1) }));
    const out: LogicalLine[] = [];
    const heads = Array.isArray(st.head) ? st.head : [st.head];
    heads.forEach((h, i) => out.push({ kind: 'b', text: h, depth: depth + (i === 0 ? 0 : 1) }));
    for (const [label, body] of st.parts) {
      if (label !== null) {
        if (label.startsWith('ELSE') || label.startsWith('WHEN') || label.startsWith('NOT ') || label.startsWith('AT ') || label.startsWith('ON ') || label.startsWith('INVALID'))
          out.push({ kind: 'b', text: label, depth: label.startsWith('WHEN') && heads[0]!.startsWith('EVALUATE') ? depth + 1 : depth });
        else out.push({ kind: 'b', text: label, depth });
      }
      const inner = label !== null && label.startsWith('WHEN') && heads[0]!.startsWith('EVALUATE') ? depth + 2 : depth + 1;
      for (const b of body) out.push(...this.stmtLines(b, inner, false));
    }
    if (!(omitEnd && !st.inline && st.end !== 'END-EXEC')) out.push({ kind: 'b', text: st.end, depth });
    return out;
  }
}

function addPeriod(lines: LogicalLine[]): void {
  const last = lines[lines.length - 1]!;
  if (last.kind === 'b' || last.kind === 'a') last.text = last.text.endsWith('.') ? last.text : last.text + '.';
}
