/**
 * Logic features found in most business programs: tables (OCCURS, INDEXED BY,
 * SEARCH, SEARCH ALL, PERFORM VARYING), string handling (STRING, UNSTRING,
 * INSPECT, reference modification), date and money arithmetic (COMPUTE
 * ROUNDED, ON SIZE ERROR, intrinsic functions) and EVALUATE decision logic.
 */
import { addPara, comp, fig, type Ctx, type EntityRecord } from './context';
import { evaluate, ifs, performInline, type Stmt } from './program';

/** A code table loaded with VALUEs through REDEFINES, searched with SEARCH or SEARCH ALL. */
export function codeTable(ctx: Ctx, lookupFrom?: string): Stmt[] {
  const { n, rng, p } = ctx;
  const size = rng.int(4, 9);
  const concept = rng.pick(['region', 'branch', 'department', 'product', 'state', 'type']);
  const codes = Array.from({ length: size }, (_, i) => String.fromCharCode(65 + i) + String(rng.int(10, 99)));
  codes.sort();
  const descs = codes.map(() => rng.pick(['NORTH', 'SOUTH', 'EAST', 'WEST', 'CENTRAL', 'RETAIL', 'CORPORATE', 'GOVERNMENT', 'STANDARD', 'PREMIUM', 'BASIC', 'EXPORT']));
  const values = n.ws(concept, 'table', 'values');
  const table = n.ws(concept, 'table');
  const entry = n.ws(concept, 'entry');
  const code = n.ws(concept, 'table', 'code');
  const desc = n.ws(concept, 'table', 'name');
  const idx = n.unique(rng.pick([`${n.word(concept).slice(0, 3)}-IDX`, `${n.word(concept).slice(0, 2)}X`, 'TBL-IDX', `IX-${n.word(concept).slice(0, 4)}`]));
  p.ws.push({ name: values, comment: `${n.word(concept)} CODES AND NAMES`, children: codes.map((c, i) => ({ name: 'FILLER', pic: 'X(15)', value: `'${c}${descs[i]!.padEnd(12)}'` })) });
  const searchAll = rng.chance(0.5);
  p.ws.push({ name: table, redefines: values, children: [{ name: entry, occurs: `OCCURS ${size} TIMES${searchAll ? ` ASCENDING KEY IS ${code}` : ''} INDEXED BY ${idx}`, children: [{ name: code, pic: 'X(3)' }, { name: desc, pic: 'X(12)' }] }] });
  const key = lookupFrom ?? n.ws('lookup', concept);
  if (!lookupFrom) p.ws.push({ name: key, pic: 'X(3)', value: `'${rng.pick(codes)}'` });
  const out = n.ws(concept, 'name', 'out');
  p.ws.push({ name: out, pic: 'X(12)' });
  const notFound = [`MOVE '${rng.pick(['UNKNOWN', '*NOT FOUND*', '????', 'INVALID'])}' TO ${out}`];
  const body: Stmt[] = searchAll
    ? [{ head: `SEARCH ALL ${entry}`, parts: [['AT END', notFound], [`WHEN ${code}(${idx}) = ${key}`, [`MOVE ${desc}(${idx}) TO ${out}`]]], end: 'END-SEARCH' }]
    : [`SET ${idx} TO 1`, { head: `SEARCH ${entry}`, parts: [['AT END', notFound], [`WHEN ${code}(${idx}) = ${key}`, [`MOVE ${desc}(${idx}) TO ${out}`]]], end: 'END-SEARCH' }];
  const para = addPara(ctx, { name: n.para('lookup', concept), comment: `FIND THE ${n.word(concept)} NAME FOR A CODE`, body });
  return [p.perform(para)];
}

/** A working table filled and summed with PERFORM VARYING, min/max and averages. */
export function accumulateTable(ctx: Ctx, rec?: EntityRecord): Stmt[] {
  const { n, rng, p } = ctx;
  const size = rng.pick([12, 10, 31, 7, 24, 50]);
  const concept = size === 12 ? 'month' : size === 31 ? 'day' : size === 7 ? 'day' : rng.pick(['bucket', 'branch', 'region']);
  const table = n.ws(concept, 'totals');
  const amt = n.ws(concept, 'amount');
  const cnt = n.ws(concept, 'count');
  const sub = n.ws('sub');
  const total = n.ws('grand', 'total');
  const max = n.ws('max', 'amount');
  const avg = n.ws('average', 'amount');
  const twoDim = rng.chance(0.25);
  p.ws.push({ name: table, children: [{ name: n.ws(concept, 'entry'), occurs: `OCCURS ${size} TIMES`, children: twoDim ? [{ name: cnt, pic: '9(5)', usage: comp(ctx) }, { name: n.ws(concept, 'type', 'row'), occurs: 'OCCURS 3 TIMES', children: [{ name: amt, pic: 'S9(9)V99', usage: comp(ctx) }] }] : [{ name: amt, pic: 'S9(9)V99', usage: comp(ctx) }, { name: cnt, pic: '9(5)', usage: comp(ctx) }] }] });
  p.ws.push({ name: sub, pic: rng.pick(['99', '9(3)', 'S9(4)']), usage: ctx.style.binStyle, value: fig(ctx, 'zero') });
  p.ws.push({ name: total, pic: 'S9(11)V99', value: fig(ctx, 'zero') }, { name: max, pic: 'S9(9)V99', value: fig(ctx, 'zero') }, { name: avg, pic: 'S9(9)V99', value: fig(ctx, 'zero') });
  const ref = (i: string) => (twoDim ? `${amt}(${i}, 1)` : `${amt}(${i})`);
  ctx.init.push(rng.chance(0.5) ? `INITIALIZE ${table}` : performInline(`VARYING ${sub} FROM 1 BY 1 UNTIL ${sub} > ${size}`, [`MOVE ${fig(ctx, 'zero')} TO ${ref(sub)} ${cnt}(${sub})`]));
  const post: Stmt[] = [];
  if (rec && rec.amounts[0]) {
    const pick = rec.date && rec.date.numeric && size === 12 ? `${rec.date.name}(5:2)` : rec.qty && rng.chance(0.5) ? `FUNCTION MOD(${rec.qty.name}, ${size}) + 1` : null;
    if (pick) post.push(pick.startsWith('FUNCTION') ? `COMPUTE ${sub} = ${pick}` : `MOVE ${pick} TO ${sub}`);
    else post.push(`COMPUTE ${sub} = FUNCTION MOD(${ctx.shared.counter ?? '1'}, ${size}) + 1`);
    post.push(ifs(`${sub} >= 1 AND ${sub} <= ${size}`, [`ADD ${rec.amounts[0].name} TO ${ref(sub)}`, `ADD 1 TO ${cnt}(${sub})`]));
  }
  const sumPara = addPara(ctx, {
    name: n.para('sum', concept, 'table'),
    comment: `TOTALS, MAXIMUM AND AVERAGE OVER THE ${n.word(concept)} TABLE`,
    body: [
      `MOVE ${fig(ctx, 'zero')} TO ${total} ${max}`,
      performInline(`VARYING ${sub} FROM 1 BY 1 UNTIL ${sub} > ${size}`, [`ADD ${ref(sub)} TO ${total}`, ifs(`${ref(sub)} > ${max}`, [`MOVE ${ref(sub)} TO ${max}`])]),
      { head: `DIVIDE ${total} BY ${size} GIVING ${avg} ROUNDED`, parts: [['ON SIZE ERROR', [`MOVE ${fig(ctx, 'zero')} TO ${avg}`]]], end: 'END-DIVIDE' },
      `DISPLAY 'TOTAL ' ${total} ' MAX ' ${max} ' AVG ' ${avg}`,
    ],
  });
  ctx.term.unshift(p.perform(sumPara));
  return post;
}

/** STRING / UNSTRING / INSPECT / reference modification / intrinsic string functions. */
export function stringHandling(ctx: Ctx, rec?: EntityRecord): Stmt[] {
  const { n, rng, p } = ctx;
  const out: Stmt[] = [];
  const variant = rng.sample([0, 1, 2, 3, 4], rng.int(2, 3));
  const full = n.ws('full', 'name');
  const first = n.ws('first_name');
  const last = n.ws('last_name');
  const work = n.ws('work', 'text');
  const ptr = n.ws('pointer');
  const tally = n.ws('count');
  p.ws.push({ name: n.ws('string', 'work', 'area'), children: [{ name: full, pic: 'X(40)', value: fig(ctx, 'space') }, { name: first, pic: 'X(15)' }, { name: last, pic: 'X(20)' }, { name: work, pic: 'X(80)' }, { name: ptr, pic: 'S9(4)', usage: ctx.style.binStyle }, { name: tally, pic: 'S9(4)', usage: ctx.style.binStyle }] });
  const src = rec?.name?.name;
  for (const v of variant) {
    if (v === 0) {
      out.push({ head: [`STRING ${first} DELIMITED BY ${rng.pick(['SPACE', "' '", 'SPACES'])}`, "' ' DELIMITED BY SIZE", `${last} DELIMITED BY ${rng.pick(['SPACE', '"  "'])}`, `INTO ${full}`, ...(rng.chance(0.5) ? [`WITH POINTER ${ptr}`] : [])], parts: [['ON OVERFLOW', [`DISPLAY 'NAME TRUNCATED'`]]], end: 'END-STRING' });
      if (out.length && typeof out[out.length - 1] === 'object' && (out[out.length - 1] as { head: string[] }).head.some((h) => h.includes('POINTER'))) out.splice(out.length - 1, 0, `MOVE 1 TO ${ptr}`);
    } else if (v === 1) {
      const delim = rng.pick(["','", "';'", "'/'", 'SPACE', "'|'"]);
      const fields = [n.ws('part', '1'), n.ws('part', '2'), n.ws('part', '3')];
      p.ws.push({ name: n.ws('parts'), children: fields.map((f) => ({ name: f, pic: `X(${rng.pick([10, 12, 20])})` })) });
      out.push(`MOVE ${fig(ctx, 'zero')} TO ${tally}`);
      out.push({ head: [`UNSTRING ${src ?? work} DELIMITED BY ${delim}${rng.chance(0.3) ? ' OR SPACE' : ''}`, `INTO ${fields.join(' ')}`, `TALLYING IN ${tally}`], parts: [['ON OVERFLOW', [`DISPLAY 'TOO MANY FIELDS'`]]], end: 'END-UNSTRING' });
    } else if (v === 2) {
      out.push(`MOVE ${fig(ctx, 'zero')} TO ${tally}`);
      out.push(`INSPECT ${src ?? full} TALLYING ${tally} FOR ${rng.pick(['ALL SPACES', "ALL ','", 'LEADING SPACES', "CHARACTERS BEFORE INITIAL ' '"])}`);
      out.push(`INSPECT ${work} REPLACING ALL ${rng.pick(["',' BY ' '", "LOW-VALUES BY SPACES", "'-' BY '/'"])}`);
      if (rng.chance(0.5)) out.push(`INSPECT ${full} CONVERTING 'abcdefghijklmnopqrstuvwxyz' TO 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'`);
    } else if (v === 3) {
      out.push(`MOVE FUNCTION UPPER-CASE(${src ?? full}) TO ${work}`);
      out.push(`MOVE FUNCTION LENGTH(FUNCTION TRIM(${work})) TO ${tally}`);
      out.push(ifs(`${tally} > 0`, [`MOVE ${work}(1:${tally}) TO ${full}`]));
    } else {
      out.push(`MOVE ${work}(1:${rng.int(2, 10)}) TO ${first}`);
      out.push(ifs(`${work}(${rng.int(1, 20)}:1) = ${rng.pick(["'-'", "SPACE", "'*'"])}`, [`MOVE ${work}(${rng.int(21, 40)}:${rng.int(2, 15)}) TO ${last}`]));
    }
  }
  const para = addPara(ctx, { name: n.para('format', 'name'), comment: rng.pick(['BUILD AND CLEAN THE NAME FIELDS', 'STRING AND UNSTRING THE TEXT FIELDS', 'EDIT TEXT FIELDS']), body: out });
  return [p.perform(para)];
}

/** Date handling and money arithmetic: CURRENT-DATE, INTEGER-OF-DATE, COMPUTE ROUNDED, ON SIZE ERROR. */
export function dateMoney(ctx: Ctx, rec?: EntityRecord): Stmt[] {
  const { n, rng, p } = ctx;
  const today = n.ws('current', 'date');
  const todayY = n.ws('current', 'year');
  const todayM = n.ws('current', 'month');
  const todayD = n.ws('current', 'day');
  const todayN = n.ws('today', 'numeric');
  p.ws.push({ name: n.ws('date', 'fields'), children: [{ name: today, children: [{ name: todayY, pic: '9(4)' }, { name: todayM, pic: '99' }, { name: todayD, pic: '99' }] }, { name: todayN, redefines: today, pic: '9(8)' }, { name: n.ws('current', 'time'), pic: '9(8)' }, { name: 'FILLER', pic: 'X(5)' }] });
  ctx.init.push(rng.chance(0.6) ? `MOVE FUNCTION CURRENT-DATE TO ${n.ws('date', 'fields').replace(/-\d+$/, '')}` : `ACCEPT ${today} FROM DATE YYYYMMDD`);
  // The MOVE above used the group name; keep it consistent by recomputing.
  const group = p.ws[p.ws.length - 1]!.name;
  ctx.init[ctx.init.length - 1] = typeof ctx.init[ctx.init.length - 1] === 'string' && (ctx.init[ctx.init.length - 1] as string).startsWith('MOVE FUNCTION') ? `MOVE FUNCTION CURRENT-DATE TO ${group}` : ctx.init[ctx.init.length - 1]!;
  const body: Stmt[] = [];
  const amount = rec?.amounts[0]?.name ?? n.ws('principal');
  if (!rec?.amounts[0]) p.ws.push({ name: amount, pic: 'S9(9)V99', usage: comp(ctx), value: String(rng.int(100, 99999)) + '.' + String(rng.int(10, 99)) });
  const rate = n.ws(rng.pick(['interest', 'tax', 'discount', 'fee']), 'rate');
  const result = n.ws(rng.pick(['interest', 'tax', 'discount', 'charge', 'net']), 'amount');
  const days = n.ws('days', 'due');
  const errFlag = n.ws('calc', 'error', ctx.style.flagSuffix);
  p.ws.push({ name: rate, pic: rng.pick(['9V9(4)', 'V9(5)', '99V9(4)']), value: rng.pick(['.0525', '.0725', '.0400', '.1500', '.0199']) });
  p.ws.push({ name: result, pic: 'S9(9)V99', usage: comp(ctx), value: fig(ctx, 'zero') });
  p.ws.push({ name: days, pic: 'S9(5)', usage: comp(ctx), value: fig(ctx, 'zero') });
  p.ws.push({ name: errFlag, pic: 'X', value: "'N'" });
  const formula = rng.pick([
    `${amount} * ${rate}`,
    `${amount} * ${rate} * ${days} / 365`,
    `${amount} * (1 + ${rate}) ** ${rng.int(1, 5)} - ${amount}`,
    `(${amount} - ${result}) * ${rate}`,
    `${amount} * ${rate} / 12`,
  ]);
  if (rec?.date && rec.date.numeric) {
    body.push(ifs(`${rec.date.name} > 0`, [`COMPUTE ${days} = FUNCTION INTEGER-OF-DATE(${todayN}) - FUNCTION INTEGER-OF-DATE(${rec.date.name})`], [`MOVE ${fig(ctx, 'zero')} TO ${days}`]));
  } else body.push(`COMPUTE ${days} = FUNCTION INTEGER-OF-DATE(${todayN}) - FUNCTION INTEGER-OF-DATE(${todayY} * 10000 + 0101)`);
  body.push({ head: `COMPUTE ${result} ROUNDED = ${formula}`, parts: [['ON SIZE ERROR', [`MOVE 'Y' TO ${errFlag}`, `MOVE ${fig(ctx, 'zero')} TO ${result}`]], ...(rng.chance(0.4) ? [['NOT ON SIZE ERROR', [`MOVE 'N' TO ${errFlag}`]] as [string, Stmt[]]] : [])], end: 'END-COMPUTE' });
  const extra = rng.int(0, 3);
  if (extra === 0) body.push({ head: `ADD ${result} TO ${amount}`, parts: [['ON SIZE ERROR', [`DISPLAY 'AMOUNT OVERFLOW'`]]], end: 'END-ADD' });
  else if (extra === 1) {
    const q = n.ws('quotient');
    const r = n.ws('remainder');
    p.ws.push({ name: q, pic: 'S9(7)', value: fig(ctx, 'zero') }, { name: r, pic: 'S9(7)', value: fig(ctx, 'zero') });
    body.push(`DIVIDE ${days} BY 7 GIVING ${q} REMAINDER ${r}`);
  } else if (extra === 2) body.push(evaluate('TRUE', [[`${days} > 90`, [`MULTIPLY 2 BY ${result}`]], [`${days} > 30`, [`ADD 10 TO ${result}`]]], [`CONTINUE`]));
  else body.push(`SUBTRACT ${result} FROM ${amount} GIVING ${n.ws('net', 'balance').replace(/^(.*)$/, (m) => (p.ws.push({ name: m, pic: 'S9(9)V99', value: fig(ctx, 'zero') }), m))}`);
  const para = addPara(ctx, { name: n.para('calculate', rng.pick(['interest', 'charge', 'tax', 'amount'])), comment: rng.pick(['COMPUTE THE CHARGES FOR THIS RECORD', 'INTEREST AND DAYS OUTSTANDING', 'MONEY ARITHMETIC WITH ROUNDING']), body });
  return [p.perform(para)];
}

/** EVALUATE decision logic on the record's status / code / amount. */
export function decisions(ctx: Ctx, rec?: EntityRecord): Stmt[] {
  const { n, rng, p } = ctx;
  const action = n.ws('action', 'code');
  const reason = n.ws('reason', 'text');
  p.ws.push({ name: action, pic: 'X(2)', value: fig(ctx, 'space') }, { name: reason, pic: 'X(30)', value: fig(ctx, 'space') });
  const amt = rec?.amounts[0]?.name;
  const body: Stmt[] = [];
  if (rec?.status?.conds && rng.chance(0.6)) {
    const whens: Array<[string, Stmt[]]> = rec.status.conds.map(([c], i) => [c, [`MOVE '${String.fromCharCode(65 + i)}${i}' TO ${action}`, ...(rng.chance(0.5) ? [`MOVE '${c.replace(/^[A-Z]+-/, '')}' TO ${reason}`] : [])]]);
    body.push(evaluate('TRUE', whens, [`MOVE 'XX' TO ${action}`, `MOVE 'UNKNOWN STATUS' TO ${reason}`]));
  } else if (amt) {
    const lim = rng.int(1, 9) * 1000;
    body.push(evaluate('TRUE', [[`${amt} < 0`, [`MOVE 'NG' TO ${action}`]], [`${amt} = 0`, [`MOVE 'ZR' TO ${action}`]], [`${amt} > ${lim}`, [`MOVE 'HI' TO ${action}`, `MOVE 'OVER LIMIT' TO ${reason}`]]], [`MOVE 'OK' TO ${action}`]));
  } else {
    const mode = n.ws('run', 'mode');
    p.ws.push({ name: mode, pic: 'X', value: "'D'" });
    body.push(evaluate(`${mode} ALSO ${action}`, [[`'D' ALSO ${fig(ctx, 'space')}`, [`MOVE 'DL' TO ${action}`]], [`'U' ALSO ANY`, [`MOVE 'UP' TO ${action}`]], [`'A' THRU 'C' ALSO ANY`, [`MOVE 'AD' TO ${action}`]]], [`MOVE 'ER' TO ${action}`]));
  }
  if (rec?.code && rng.chance(0.5)) body.push(evaluate(rec.code.name, [[`'${rng.pick(['N', 'S', 'E'])}${rng.int(1, 9)}'`, [`MOVE 'R1' TO ${action}`]], [`'${rng.pick(['W', 'C'])}${rng.int(1, 9)}' ${rng.chance(0.5) ? 'ALSO' : ''}`.replace(/ ALSO$/, '').trim(), [`MOVE 'R2' TO ${action}`]]], rng.chance(0.6) ? ['CONTINUE'] : undefined));
  const para = addPara(ctx, { name: n.para('determine', 'action'), comment: 'DECIDE WHAT TO DO WITH THIS RECORD', body });
  return [p.perform(para)];
}

/** Field validation: class tests, 88-levels, error counting with an error table. */
export function validation(ctx: Ctx, rec: EntityRecord): Stmt[] {
  const { n, rng, p } = ctx;
  const errors = n.ws('error', 'count');
  const valid = n.ws('record', 'valid', ctx.style.flagSuffix);
  const validCond = n.unique(rng.pick(['RECORD-IS-VALID', 'VALID-RECORD', 'REC-OK']));
  p.ws.push({ name: errors, pic: '9(3)', value: fig(ctx, 'zero') }, { name: valid, pic: 'X', value: "'Y'", conds: [[validCond, "'Y'"], [n.unique(validCond.replace('VALID', 'INVALID').replace('OK', 'BAD')), "'N'"]] });
  const checks: Stmt[] = [`MOVE 'Y' TO ${valid}`];
  for (const f of rec.fields.slice(0, rng.int(2, 5))) {
    let cond: string;
    if (f.kind === 'key') cond = f.numeric ? `${f.name} NOT NUMERIC OR ${f.name} = ${fig(ctx, 'zero')}` : `${f.name} = ${fig(ctx, 'space')}`;
    else if (f.kind === 'name') cond = `${f.name} = ${fig(ctx, 'space')}`;
    else if (f.kind === 'status' && f.conds) cond = `NOT (${f.conds.map(([c]) => c).join(' OR ')})`;
    else if (f.kind === 'amount') cond = rng.chance(0.5) ? `${f.name} NOT NUMERIC` : `${f.name} < 0`;
    else if (f.kind === 'date' && f.numeric) cond = `${f.name}(5:2) > '12' OR ${f.name}(5:2) = '00'`;
    else if (f.kind === 'code') cond = `${f.name} IS NOT ALPHABETIC`;
    else continue;
    checks.push(ifs(cond, [`MOVE 'N' TO ${valid}`, `ADD 1 TO ${errors}`, ...(rng.chance(0.4) ? [`DISPLAY 'INVALID ${f.name.slice(0, 20)}: ' ${rec.key.name}`] : [])]));
  }
  const para = addPara(ctx, { name: n.para('validate', rec.entity), comment: `EDIT THE ${n.word(rec.entity)} FIELDS`, body: checks });
  ctx.term.push(`DISPLAY 'RECORDS IN ERROR: ' ${errors}`);
  return [p.perform(para), ...(rng.chance(0.5) ? [] : [ifs(`NOT ${validCond}`, [`DISPLAY 'REJECTED ' ${rec.key.name}`])])];
}
