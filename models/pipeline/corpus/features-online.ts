/**
 * Features beyond GnuCOBOL's own dialect and across programs: EXEC SQL cursors
 * with SQLCODE checks, EXEC CICS pseudo-conversational transactions, CALL with
 * a LINKAGE SECTION (nested or separate programs), and copybooks brought in
 * with COPY ... REPLACING.
 */
import { addPara, entityRecord, fig, type Ctx, type EntityRecord } from './context';
import { ENTITIES, type Entity } from './names';
import { evaluate, ifs, performInline, ProgramModel, type DataItem, type Stmt } from './program';
import { render } from './render';

const TABLES: Record<string, string> = { customer: 'CUSTOMER', account: 'ACCOUNTS', employee: 'EMP', order: 'ORDERS', invoice: 'INVOICE', policy: 'POLICY', claim: 'CLAIMS', loan: 'LOAN', product: 'PRODUCT', vendor: 'VENDOR', transaction: 'TXN_HIST', payment: 'PAYMENTS', member: 'MEMBER', item: 'ITEM_MASTER' };

function col(name: string): string {
  return name.replace(/^[A-Z0-9]+-/, '').replace(/-/g, '_');
}

/** DB2-style cursor processing: DECLARE, OPEN, FETCH loop, SQLCODE evaluation, CLOSE; optional UPDATE / SELECT INTO. */
export function sqlCursor(ctx: Ctx, entity: Entity = ctx.rng.pick(ENTITIES)): Stmt[] {
  const { n, rng, p } = ctx;
  const host = entityRecord(ctx, entity, n.unique(rng.pick(['H', 'HV', 'DCL', 'HOST'])) + '-', n.unique(`DCL${n.word(entity).replace(/-/g, '')}`.slice(0, 12)));
  p.wsRaw.push({ kind: 'a', text: 'EXEC SQL INCLUDE SQLCA END-EXEC.' });
  const declare = rng.chance(0.5);
  if (declare) p.ws.push({ name: '__SQL_BEGIN__' });
  p.ws.push(host.item);
  if (declare) p.ws.push({ name: '__SQL_END__' });
  const cursor = n.unique(rng.pick([`${n.word(entity).slice(0, 4)}-CSR`, `C1`, `CSR-${n.word(entity).slice(0, 4)}`, `${n.word(entity).slice(0, 3)}CUR`]).replace(/-/g, rng.chance(0.5) ? '-' : ''));
  const table = TABLES[entity] ?? 'MASTER';
  const cols = host.fields.filter((f) => f.kind !== 'date' || f.numeric).slice(0, rng.int(2, 5));
  const where = host.code ? `WHERE ${col(host.code.name)} = :${host.code.name}` : host.status ? `WHERE ${col(host.status.name)} <> 'D'` : `WHERE ${col(host.key.name)} > :${host.key.name}`;
  ctx.init.push({ head: ['EXEC SQL', `DECLARE ${cursor} CURSOR FOR`, `SELECT ${cols.map((c) => col(c.name)).join(', ')}`, `FROM ${table}`, where, ...(rng.chance(0.5) ? [`ORDER BY ${col(host.key.name)}`] : []), ...(rng.chance(0.3) ? ['FOR FETCH ONLY'] : [])], parts: [], end: 'END-EXEC' });
  const eof = n.ws('cursor', 'end', ctx.style.flagSuffix);
  const sqlcodeOut = n.ws('sqlcode', 'display');
  const rows = n.ws('rows', 'fetched');
  p.ws.push({ name: eof, pic: 'X', value: "'N'" }, { name: sqlcodeOut, pic: '-ZZZZZZZZ9' }, { name: rows, pic: '9(7)', usage: ctx.style.binStyle, value: fig(ctx, 'zero') });
  const errPara = n.para('sql', 'error');
  const openPara = addPara(ctx, { name: n.para('open', 'cursor'), comment: `OPEN THE ${cursor} CURSOR`, body: [{ head: 'EXEC SQL', parts: [[null, [`OPEN ${cursor}`]]], end: 'END-EXEC' }, ifs('SQLCODE NOT = 0', [ctx.p.perform(errPara)])] });
  const fetch: Stmt = { head: ['EXEC SQL', `FETCH ${cursor}`], parts: [[null, [`INTO ${cols.map((c) => ':' + c.name).join(', ')}`]]], end: 'END-EXEC' };
  const handle: Stmt = evaluate('SQLCODE', [['0', [`ADD 1 TO ${rows}`]], ['100', [`MOVE 'Y' TO ${eof}`]]], [`MOVE 'Y' TO ${eof}`, ctx.p.perform(errPara)]);
  const fetchPara = addPara(ctx, { name: n.para('fetch', entity), comment: 'FETCH THE NEXT ROW', body: [fetch, handle] });
  const body: Stmt[] = [];
  const amt = host.amounts[0];
  if (amt && rng.chance(0.5)) {
    body.push({ head: ['EXEC SQL', `UPDATE ${table}`], parts: [[null, [`SET ${col(amt.name)} = :${amt.name}`, `WHERE ${col(host.key.name)} = :${host.key.name}`]]], end: 'END-EXEC' });
    body.push(ifs('SQLCODE < 0', [ctx.p.perform(errPara)]));
  } else body.push(`DISPLAY ${cols.map((c) => c.name).slice(0, 2).join(" ' ' ")}`);
  const procPara = addPara(ctx, { name: n.para('process', 'row'), comment: 'HANDLE ONE ROW', body: [...body, ctx.p.perform(fetchPara)] });
  addPara(ctx, { name: errPara, comment: 'REPORT AN UNEXPECTED SQLCODE', body: [`MOVE SQLCODE TO ${sqlcodeOut}`, `DISPLAY 'SQL ERROR ' ${sqlcodeOut}`, ...(rng.chance(0.5) ? [{ head: 'EXEC SQL', parts: [[null, ['ROLLBACK']]], end: 'END-EXEC' } as Stmt] : []), `MOVE 12 TO RETURN-CODE`] }, false);
  const closeStmt: Stmt = { head: 'EXEC SQL', parts: [[null, [`CLOSE ${cursor}`]]], end: 'END-EXEC' };
  ctx.term.push(closeStmt, `DISPLAY 'ROWS FETCHED: ' ${rows}`);
  if (rng.chance(0.4)) ctx.term.push({ head: 'EXEC SQL', parts: [[null, ['COMMIT WORK']]], end: 'END-EXEC' });
  if (rng.chance(0.4) && host.name) {
    body.unshift({ head: ['EXEC SQL', `SELECT ${col(host.name.name)}`], parts: [[null, [`INTO :${host.name.name}`, `FROM ${table}`, `WHERE ${col(host.key.name)} = :${host.key.name}`]]], end: 'END-EXEC' });
  }
  return [ctx.p.perform(openPara), ctx.p.perform(fetchPara), ctx.p.perform(procPara, `UNTIL ${eof} = 'Y'`)];
}

/** A pseudo-conversational CICS transaction: EIBCALEN test, SEND/RECEIVE MAP, EIBAID, RETURN TRANSID COMMAREA. */
export function cicsTransaction(ctx: Ctx): void {
  const { n, rng, p } = ctx;
  const entity = rng.pick(ENTITIES);
  const mapset = n.unique(`${n.word(entity).replace(/-/g, '').slice(0, 4)}${rng.pick(['MS', 'SET', 'M'])}${rng.int(1, 9)}`);
  const map = n.unique(`${n.word(entity).replace(/-/g, '').slice(0, 4)}MAP${rng.int(1, 9)}`);
  const trans = `${n.word(entity).slice(0, 2)}${rng.pick(['01', 'IN', 'UP', 'Q1'])}`;
  // Symbolic map copybook as BMS would generate it: ...I and ...O records.
  const fieldsIn = rng.sample(['KEY', 'NAME', 'AMT', 'STAT', 'DATE', 'MSG'], 4);
  if (!fieldsIn.includes('MSG')) fieldsIn.push('MSG');
  const mapCopy = new ProgramModel(map, ctx.style, ctx.rng);
  const inName = `${map}I`;
  const fieldItems: DataItem[] = [{ name: 'FILLER', pic: 'X(12)' }];
  for (const f of fieldsIn) fieldItems.push({ name: `${f}L`, pic: 'S9(4)', usage: 'COMP' }, { name: `${f}F`, pic: 'X' }, { name: 'FILLER', redefines: `${f}F`, children: [{ name: `${f}A`, pic: 'X' }] }, { name: `${f}I`, pic: f === 'MSG' ? 'X(60)' : 'X(20)' });
  mapCopy.ws.push({ name: inName, children: fieldItems });
  mapCopy.ws.push({ name: `${map}O`, redefines: inName, children: [{ name: 'FILLER', pic: 'X(12)' }, ...fieldsIn.flatMap((f) => [{ name: 'FILLER', pic: 'X(3)' }, { name: `${f}O`, pic: f === 'MSG' ? 'X(60)' : 'X(20)' }])] });
  ctx.copybooks.set(mapset, copybookText(ctx, mapCopy.ws, mapset));
  p.wsRaw.push({ kind: 'a', text: `COPY ${mapset}.` }, { kind: 'a', text: 'COPY DFHAID.' });
  const commarea = n.ws('commarea');
  const state = n.ws('state');
  const ca = { name: commarea, children: [{ name: state, pic: 'X', conds: [[n.unique('FIRST-TIME'), "'1'"], [n.unique('MAP-SENT'), "'2'"]] as Array<[string, string]> }, { name: n.ws('saved', 'key'), pic: 'X(10)' }] };
  p.ws.push(ca);
  const resp = n.ws('response');
  p.ws.push({ name: resp, pic: 'S9(8)', usage: 'COMP', value: fig(ctx, 'zero') });
  const msg = n.ws('message');
  p.ws.push({ name: msg, pic: 'X(60)', value: fig(ctx, 'space') });
  p.linkage.push({ name: 'DFHCOMMAREA', pic: 'X(11)' });
  const send = addPara(ctx, { name: n.para('send', 'map'), comment: 'SEND THE MAP TO THE TERMINAL', body: [`MOVE ${msg} TO MSGO`, { head: ['EXEC CICS SEND', `MAP('${map}')`, `MAPSET('${mapset}')`, `FROM(${map}O)`, rng.pick(['ERASE', 'DATAONLY', 'ERASE FREEKB'])], parts: [], end: 'END-EXEC' }] });
  const fileRead: Stmt[] = [{ head: ['EXEC CICS READ', `FILE('${n.word(entity).slice(0, 8)}')`, `INTO(${n.ws('record', 'area').replace(/^(.*)$/, (m) => (p.ws.push({ name: m, pic: 'X(200)' }), m))})`, `RIDFLD(KEYI)`.replace('KEYI', fieldsIn.includes('KEY') ? 'KEYI' : `${fieldsIn[0]}I`), `RESP(${resp})`], parts: [], end: 'END-EXEC' }, evaluate(resp, [['DFHRESP(NORMAL)', [`MOVE 'RECORD FOUND' TO ${msg}`]], ['DFHRESP(NOTFND)', [`MOVE 'RECORD NOT FOUND' TO ${msg}`]]], [`MOVE 'FILE ERROR' TO ${msg}`])];
  const receive = addPara(ctx, {
    name: n.para('receive', 'map'),
    comment: 'RECEIVE THE MAP AND ACT ON THE KEY PRESSED',
    body: [
      evaluate('EIBAID', [['DFHPF3', [{ head: ['EXEC CICS SEND TEXT', `FROM(${msg})`, 'ERASE'], parts: [], end: 'END-EXEC' }, { head: 'EXEC CICS RETURN', parts: [], end: 'END-EXEC' }]], ['DFHCLEAR', [`MOVE 'SCREEN CLEARED' TO ${msg}`]], ['DFHENTER', [{ head: ['EXEC CICS RECEIVE', `MAP('${map}')`, `MAPSET('${mapset}')`, `INTO(${map}I)`, `RESP(${resp})`], parts: [], end: 'END-EXEC' }, ifs(`${resp} = DFHRESP(MAPFAIL)`, [`MOVE 'NO DATA ENTERED' TO ${msg}`], fileRead)]]], [`MOVE 'INVALID KEY PRESSED' TO ${msg}`]),
      p.perform(send),
    ],
  });
  const state1 = (ca.children[0]!.conds as Array<[string, string]>)[0]![0];
  ctx.main.push(ifs('EIBCALEN = 0', [`MOVE LOW-VALUES TO ${map}O`, `MOVE 'ENTER A KEY' TO ${msg}`, p.perform(send)], [`MOVE DFHCOMMAREA TO ${commarea}`, p.perform(receive)]));
  ctx.main.push(`SET ${state1} TO TRUE`);
  ctx.main.push({ head: ['EXEC CICS RETURN', `TRANSID('${trans}')`, `COMMAREA(${commarea})`, ...(rng.chance(0.5) ? [`LENGTH(LENGTH OF ${commarea})`] : [])], parts: [], end: 'END-EXEC' });
}

/** Renders data items as a copybook in the program's layout. */
export function copybookText(ctx: Ctx, items: DataItem[], name: string): string {
  const m = new ProgramModel(name, ctx.style, ctx.rng.fork(7));
  m.ws = items;
  const lines = m.toLines(false);
  const start = lines.findIndex((l) => l.kind === 'a' && l.text === 'WORKING-STORAGE SECTION.');
  const end = lines.findIndex((l) => l.kind === 'a' && l.text.startsWith('PROCEDURE DIVISION'));
  const body = lines.slice(start + 1, end);
  const header = ctx.style.comments === 'none' ? [] : [{ kind: 'comment' as const, text: ` COPYBOOK ${name}` }];
  return render([...header, ...body], { ...ctx.style, freeDirective: false }, name);
}

/** A record layout placed in a copybook with a :TAG: prefix and brought in by COPY ... REPLACING. */
export function copybookRecord(ctx: Ctx, entity: Entity = ctx.rng.pick(ENTITIES)): EntityRecord {
  const { n, rng, p } = ctx;
  const tag = rng.pick([':PFX:', ':TAG:', ':X:']);
  const rec = entityRecord(ctx, entity, `${tag}-`, `${tag}-${n.word(entity).slice(0, 6)}-REC`);
  const copyName = n.unique(`${n.word(entity).replace(/-/g, '').slice(0, 5)}${rng.pick(['REC', 'CPY', 'LAY', 'R'])}${rng.int(1, 9)}`.slice(0, 8));
  ctx.copybooks.set(copyName, copybookText(ctx, [rec.item], copyName));
  const real = n.unique(rng.pick(['WS', 'W', 'IN', 'OUT', n.word(entity).slice(0, 4)]));
  p.wsRaw.push({ kind: 'a', text: `COPY ${copyName} REPLACING ==${tag}== BY ==${real}==.` });
  const fix = (s: string) => s.replaceAll(tag, real);
  const fields = rec.fields.map((f) => ({ ...f, name: fix(f.name), conds: f.conds?.map(([a, b]) => [fix(a), b] as [string, string]) }));
  const find = (f?: (typeof rec.fields)[number]) => (f ? fields[rec.fields.indexOf(f)] : undefined);
  return { ...rec, item: { ...rec.item, name: fix(rec.item.name) }, fields, key: find(rec.key)!, name: find(rec.name), amounts: rec.amounts.map((a) => find(a)!), date: find(rec.date), status: find(rec.status), qty: find(rec.qty), code: find(rec.code) };
}

/** A called subprogram with LINKAGE SECTION and PROCEDURE DIVISION USING, nested or following in the same source. */
export function callSubprogram(ctx: Ctx, makeBody: (sub: Ctx) => Stmt[]): Stmt[] {
  const { n, rng, p, style } = ctx;
  const subId = n.unique(rng.pick(['CALC', 'EDIT', 'VALID', 'FMT', 'CHK', 'UTIL', 'CONV']) + rng.pick(['RTN', 'SUB', 'PGM', '']) + String(rng.int(1, 99)).padStart(2, '0'));
  const sub = new ProgramModel(subId, style, rng.fork(11));
  const subCtx: Ctx = { ...ctx, p: sub, init: [], main: [], term: [], shared: {} };
  const parm = n.unique(rng.pick(['LS-PARMS', 'LK-AREA', 'LINK-PARMS', 'L-PARAMETERS']));
  const inAmt = n.unique(parm.slice(0, 2) + '-IN-AMOUNT');
  const outAmt = n.unique(parm.slice(0, 2) + '-OUT-AMOUNT');
  const rc = n.unique(parm.slice(0, 2) + '-RETURN-CODE');
  sub.linkage.push({ name: parm, children: [{ name: inAmt, pic: 'S9(9)V99' }, { name: outAmt, pic: 'S9(9)V99' }, { name: rc, pic: '99', conds: [[n.unique(parm.slice(0, 2) + '-OK'), '00'], [n.unique(parm.slice(0, 2) + '-FAILED'), '01 THRU 99']] }] });
  sub.using = [parm];
  const work = makeBody(subCtx);
  const factor = n.unique('WS-FACTOR');
  sub.ws.push({ name: factor, pic: '9V99', value: `${rng.int(1, 2)}.${rng.int(10, 99)}` });
  subCtx.main.push(`MOVE 0 TO ${rc}`, ...work, { head: `COMPUTE ${outAmt} ROUNDED = ${inAmt} * ${factor}`, parts: [['ON SIZE ERROR', [`MOVE 8 TO ${rc}`]]], end: 'END-COMPUTE' }, rng.chance(0.7) ? 'GOBACK' : 'EXIT PROGRAM');
  sub.paragraphs.unshift({ name: n.para('sub', 'main'), body: subCtx.main });
  const callerParm = n.ws('call', 'parameters');
  const cIn = n.ws('call', 'in', 'amount');
  const cOut = n.ws('call', 'out', 'amount');
  const cRc = n.ws('call', 'return', 'code');
  p.ws.push({ name: callerParm, children: [{ name: cIn, pic: 'S9(9)V99', value: fig(ctx, 'zero') }, { name: cOut, pic: 'S9(9)V99', value: fig(ctx, 'zero') }, { name: cRc, pic: '99', value: fig(ctx, 'zero') }] });
  const progVar = rng.chance(0.3) ? n.ws('program', 'name') : null;
  if (progVar) p.ws.push({ name: progVar, pic: 'X(8)', value: `'${subId}'` });
  if (rng.chance(0.5)) {
    sub.isCommon = rng.chance(0.3);
    p.nested.push(sub);
  } else p.following.push(sub);
  return [`MOVE ${rng.int(1, 9999)}.${rng.int(10, 99)} TO ${cIn}`, { head: `CALL ${progVar ?? `'${subId}'`} USING ${rng.chance(0.3) ? 'BY REFERENCE ' : ''}${callerParm}`, parts: [['ON EXCEPTION', [`DISPLAY 'CANNOT CALL ${subId}'`]]], end: 'END-CALL' }, ifs(`${cRc} NOT = 0`, [`DISPLAY '${subId} RETURNED ' ${cRc}`])];
}

/** Ranks the main loop variant of a copybook-heavy batch program: records from COPY, work via performs. */
export function copybookDriven(ctx: Ctx): Stmt[] {
  const rec = copybookRecord(ctx);
  const { n, p } = ctx;
  const amt = rec.amounts[0];
  const out: Stmt[] = [`INITIALIZE ${rec.item.name}`, `MOVE ${rec.key.numeric ? ctx.rng.int(1, 99999) : `'${n.word(rec.entity).slice(0, 3)}${ctx.rng.int(100, 999)}'`} TO ${rec.key.name}`];
  if (amt) out.push(`ADD ${ctx.rng.int(1, 999)} TO ${amt.name}`);
  if (rec.status?.conds) out.push(`SET ${rec.status.conds[0]![0]} TO TRUE`);
  out.push(`DISPLAY ${rec.item.name}`);
  const para = addPara(ctx, { name: n.para('build', rec.entity), comment: `BUILD A ${n.word(rec.entity)} RECORD FROM THE COPYBOOK LAYOUT`, body: out });
  void performInline;
  return [p.perform(para)];
}
