/**
 * The state one program generator threads through its feature builders:
 * program model, namer, random source, copybooks it created, and the main-line
 * statements each feature contributes. Also builds entity records (customer,
 * account, policy...) with realistic field types in the shop's conventions.
 */
import { Namer, type Entity } from './names';
import type { DataItem, Paragraph, ProgramModel, Stmt } from './program';
import type { Rng } from './rng';
import type { Style } from './style';

export interface Field {
  name: string;
  kind: 'key' | 'name' | 'amount' | 'date' | 'qty' | 'status' | 'code' | 'rate' | 'text';
  pic: string;
  numeric: boolean;
  /** 88-level names for status fields: [name, value]. */
  conds?: Array<[string, string]>;
}

export interface EntityRecord {
  entity: Entity;
  item: DataItem;
  fields: Field[];
  key: Field;
  name?: Field;
  amounts: Field[];
  date?: Field;
  status?: Field;
  qty?: Field;
  code?: Field;
  length: number;
}

export interface Ctx {
  p: ProgramModel;
  n: Namer;
  rng: Rng;
  style: Style;
  copybooks: Map<string, string>;
  init: Stmt[];
  main: Stmt[];
  term: Stmt[];
  /** Set when the program is an online (CICS) transaction: no STOP RUN, no files. */
  online: boolean;
  /** Names of existing WS items features may reuse. */
  shared: Record<string, string>;
}

export function addPara(ctx: Ctx, para: Paragraph, withExit = true): string {
  if (withExit && ctx.style.exitParas && ctx.rng.chance(0.7)) ctx.p.exitNames.add(para.name);
  ctx.p.paragraphs.push(para);
  return para.name;
}

export function fig(ctx: Ctx, kind: 'space' | 'zero'): string {
  return kind === 'space' ? ctx.style.spaceWord : ctx.style.zeroWord;
}

export function comp(ctx: Ctx): string | undefined {
  return ctx.style.compStyle === 'DISPLAY' ? undefined : ctx.style.compStyle;
}

/** Builds an entity record with 5-10 fields. */
export function entityRecord(ctx: Ctx, entity: Entity, prefix: string, recName?: string): EntityRecord {
  const { n, rng } = ctx;
  const fields: Field[] = [];
  const children: DataItem[] = [];
  let length = 0;
  const add = (f: Field, item: DataItem, len: number): Field => {
    fields.push(f);
    children.push(item);
    length += len;
    return f;
  };
  const keyNumeric = rng.chance(0.4);
  const keyLen = rng.pick([6, 8, 10, 5, 9]);
  const keyName = n.prefixed(prefix, entity, rng.pick(['number', 'id', 'number', 'key']));
  const key = add({ name: keyName, kind: 'key', pic: keyNumeric ? `9(${keyLen})` : `X(${keyLen})`, numeric: keyNumeric }, { name: keyName, pic: keyNumeric ? `9(${keyLen})` : `X(${keyLen})` }, keyLen);
  let name: Field | undefined;
  if (rng.chance(0.8)) {
    const len = rng.pick([20, 25, 30, 30, 35, 40]);
    if (rng.chance(0.3)) {
      const fn = n.prefixed(prefix, 'first_name');
      const ln = n.prefixed(prefix, 'last_name');
      const group = n.prefixed(prefix, entity, 'name');
      name = { name: ln, kind: 'name', pic: 'X(20)', numeric: false };
      fields.push(name);
      children.push({ name: group, children: [{ name: fn, pic: 'X(15)' }, { name: ln, pic: 'X(20)' }] });
      length += 35;
    } else {
      const nm = n.prefixed(prefix, rng.pick(['name', 'description', 'name']));
      name = add({ name: nm, kind: 'name', pic: `X(${len})`, numeric: false }, { name: nm, pic: `X(${len})` }, len);
    }
  }
  let status: Field | undefined;
  if (rng.chance(0.75)) {
    const st = n.prefixed(prefix, rng.pick(['status', 'code', 'type']));
    const pairs = rng.pick([
      [['ACTIVE', "'A'"], ['CLOSED', "'C'"], ['SUSPENDED', "'S'"]],
      [['OPEN', "'O'"], ['PAID', "'P'"], ['OVERDUE', "'D'"]],
      [['NEW', "'N'"], ['CHANGED', "'C'"], ['DELETED', "'D'"]],
      [['VALID', "'Y'"], ['INVALID', "'N'"]],
      [['PENDING', "'P'"], ['APPROVED', "'A'"], ['REJECTED', "'R'"]],
    ] as const);
    const conds: Array<[string, string]> = pairs.map(([c, v]) => [n.unique(prefix + c), v]);
    status = add({ name: st, kind: 'status', pic: 'X', numeric: false, conds }, { name: st, pic: 'X', conds }, 1);
  }
  const amounts: Field[] = [];
  const amountConcepts = rng.sample(['balance', 'amount', 'limit', 'premium', 'price', 'total', 'salary', 'interest', 'tax', 'fee', 'principal'], rng.int(1, 3));
  for (const c of amountConcepts) {
    const nm = n.prefixed(prefix, c);
    const digits = rng.pick([7, 9, 5, 11, 7]);
    const pic = `${rng.chance(0.7) ? 'S' : ''}9(${digits})V99`;
    amounts.push(add({ name: nm, kind: 'amount', pic, numeric: true }, { name: nm, pic, usage: comp(ctx) }, ctx.style.compStyle === 'DISPLAY' ? digits + 2 : Math.ceil((digits + 3) / 2)));
  }
  let date: Field | undefined;
  if (rng.chance(0.7)) {
    const nm = n.prefixed(prefix, rng.pick(['date', 'effective', 'due', 'open']), ...(rng.chance(0.5) ? ['date'] : []));
    if (rng.chance(0.35)) {
      const yy = n.prefixed(prefix, rng.pick(['year', 'date']), 'year');
      const mm = n.prefixed(prefix, 'month');
      const dd = n.prefixed(prefix, 'day');
      children.push({ name: nm, children: [{ name: yy, pic: '9(4)' }, { name: mm, pic: '9(2)' }, { name: dd, pic: '9(2)' }] });
      date = { name: nm, kind: 'date', pic: '9(8)', numeric: false };
      fields.push(date);
      length += 8;
    } else date = add({ name: nm, kind: 'date', pic: '9(8)', numeric: true }, { name: nm, pic: '9(8)' }, 8);
  }
  let qty: Field | undefined;
  if (rng.chance(0.45)) {
    const nm = n.prefixed(prefix, rng.pick(['quantity', 'count', 'term', 'hours', 'days']));
    qty = add({ name: nm, kind: 'qty', pic: 'S9(5)', numeric: true }, { name: nm, pic: rng.pick(['S9(5)', '9(5)', 'S9(4)']), usage: rng.chance(0.4) ? ctx.style.binStyle : undefined }, 5);
  }
  let code: Field | undefined;
  if (rng.chance(0.5)) {
    const nm = n.prefixed(prefix, rng.pick(['region', 'branch', 'department', 'type', 'code']), 'code');
    code = add({ name: nm, kind: 'code', pic: 'X(3)', numeric: false }, { name: nm, pic: rng.pick(['X(3)', 'X(2)', 'X(4)']) }, 3);
  }
  if (rng.chance(0.4)) {
    const nm = n.prefixed(prefix, 'rate');
    add({ name: nm, kind: 'rate', pic: '9V9(4)', numeric: true }, { name: nm, pic: rng.pick(['9V9(4)', '99V999', 'V9(5)']) }, 5);
  }
  if (rng.chance(0.5)) {
    const fill = rng.pick([5, 10, 12, 20, 3]);
    children.push({ name: 'FILLER', pic: `X(${fill})` });
    length += fill;
  }
  const item: DataItem = { name: recName ?? n.prefixed(prefix.replace(/-$/, '') + '-', 'record'), children };
  return { entity, item, fields, key, name, amounts, date, status, qty, code, length };
}
