/**
 * Batch features: sequential files with FILE STATUS checks, report writing with
 * edited pictures and page breaks, control breaks, indexed (VSAM-style) files
 * with random access, and SORT with input/output procedures.
 */
import { addPara, entityRecord, fig, type Ctx, type EntityRecord } from './context';
import { ENTITIES } from './names';
import { evaluate, ifs, performInline, type DataItem, type Stmt } from './program';

export interface SeqFile {
  file: string;
  status: string;
  eof: string;
  rec: EntityRecord;
  readPara: string;
  readCount: string;
}

function ddname(ctx: Ctx, base: string): string {
  const w = ctx.n.word(base).replace(/-/g, '').slice(0, 4);
  return ctx.rng.pick([`${w}IN`, `${w}FILE`, `${w}01`, `DD${w}`, `${w}MAST`]).slice(0, 8);
}

function statusItem(ctx: Ctx, base: string): { status: string; ok: string; eof?: string; item: DataItem } {
  const { n, rng } = ctx;
  const status = rng.chance(0.5) ? n.ws(base, 'status') : n.unique(`FS-${n.word(base)}`);
  const ok = n.unique(`${status}-OK`.replace(/^WS-/, ''));
  const eof = n.unique(`${status}-EOF`.replace(/^WS-/, ''));
  return { status, ok, eof, item: { name: status, pic: 'XX', value: "'00'", conds: [[ok, "'00'"], [eof, "'10'"]] } };
}

/** Input file read loop: OPEN, priming read, READ ... AT END, status checks. */
export function inputFile(ctx: Ctx, entity = ctx.rng.pick(ENTITIES)): SeqFile {
  const { n, rng, p, style } = ctx;
  const file = n.unique(rng.pick([`${n.word(entity)}-FILE`, `${n.word(entity)}-IN`, `IN-${n.word(entity)}-FILE`, `${n.word(entity).slice(0, 4)}FILE`.slice(0, 8), 'INPUT-FILE']));
  const prefix = n.recordPrefix(entity, 'input');
  const rec = entityRecord(ctx, entity, prefix, n.unique(file.replace(/-?FILE$/, '') + '-REC'));
  const st = statusItem(ctx, entity);
  const org = rng.pick(['LINE SEQUENTIAL', 'SEQUENTIAL', 'SEQUENTIAL']);
  p.files.push({
    select: [`SELECT ${file} ASSIGN TO ${rng.chance(0.3) ? `'${ddname(ctx, entity).toLowerCase()}.dat'` : ddname(ctx, entity)}`, ...(rng.chance(0.7) ? [`ORGANIZATION IS ${org}`] : []), ...(rng.chance(0.4) ? ['ACCESS MODE IS SEQUENTIAL'] : []), `FILE STATUS IS ${st.status}.`],
    fd: [`FD  ${file}`, ...(org !== 'LINE SEQUENTIAL' && rng.chance(0.5) ? ['RECORDING MODE IS F', 'BLOCK CONTAINS 0 RECORDS'] : []), ...(rng.chance(0.3) ? ['LABEL RECORDS ARE STANDARD'] : [])].map((l, i, a) => (i === a.length - 1 ? l + '.' : l)),
    record: rec.item,
  });
  const eofName = n.ws('end', 'of', n.word(entity) === 'ITEM' ? 'input' : entity, style.flagSuffix);
  const eofCond = n.unique(rng.pick([`END-OF-${n.word(entity)}`, `${n.word(entity)}-EOF`, `NO-MORE-${n.word(entity)}S`]));
  p.ws.push(st.item);
  p.ws.push({ name: eofName, pic: 'X', value: "'N'", conds: [[eofCond, "'Y'"]] });
  const readCount = n.ws(entity, 'read', 'count');
  p.ws.push({ name: readCount, pic: rng.pick(['9(7)', 'S9(7)', '9(9)']), usage: rng.chance(0.5) ? style.binStyle : undefined, value: fig(ctx, 'zero') });
  ctx.init.push(`OPEN INPUT ${file}`);
  ctx.init.push(ifs(`NOT ${st.ok}`, [`DISPLAY 'OPEN FAILED ${file} STATUS ' ${st.status}`, `MOVE 16 TO RETURN-CODE`, 'STOP RUN'].slice(0, rng.chance(0.5) ? 3 : 2)));
  ctx.term.push(`CLOSE ${file}`);
  const readStyle = rng.int(0, 2);
  let readBody: Stmt[];
  if (readStyle === 0) {
    readBody = [{ head: `READ ${file}`, parts: [['AT END', [`SET ${eofCond} TO TRUE`]], ['NOT AT END', [`ADD 1 TO ${readCount}`]]], end: 'END-READ' }];
  } else if (readStyle === 1) {
    readBody = [`READ ${file}`, evaluate(st.status, [["'00'", [`ADD 1 TO ${readCount}`]], ["'10'", [`SET ${eofCond} TO TRUE`]]], [`DISPLAY 'READ ERROR ON ${file}: ' ${st.status}`, `SET ${eofCond} TO TRUE`])];
  } else {
    readBody = [{ head: `READ ${file}`, parts: [['AT END', [`MOVE 'Y' TO ${eofName}`]]], end: 'END-READ' }, ifs(`${st.ok}`, [`ADD 1 TO ${readCount}`], [ifs(`NOT ${st.eof}`, [`DISPLAY 'READ ERROR ' ${st.status}`, `MOVE 'Y' TO ${eofName}`])])];
  }
  const readPara = addPara(ctx, { name: n.para('read', entity), comment: `READ THE NEXT ${n.word(entity)} RECORD`, body: readBody });
  ctx.init.push(p.perform(readPara));
  ctx.term.push(`DISPLAY '${n.word(entity)} RECORDS READ: ' ${readCount}`);
  return { file, status: st.status, eof: eofCond, rec, readPara, readCount };
}

/** Output file of the same or another entity, written per processed record. */
export function outputFile(ctx: Ctx, src: SeqFile): { file: string; write: Stmt[] } {
  const { n, rng, p } = ctx;
  const file = n.unique(rng.pick([`${n.word(src.rec.entity)}-OUT`, 'OUTPUT-FILE', `${n.word(src.rec.entity)}-EXTRACT`, 'OUT-FILE']));
  const st = statusItem(ctx, 'output');
  const recName = n.unique(file.replace(/-?FILE$/, '') + '-REC');
  const fields = src.rec.fields.filter((f) => f.kind !== 'status').slice(0, rng.int(2, 5));
  const prefix = n.recordPrefix(src.rec.entity, 'out');
  const children: DataItem[] = fields.map((f) => ({ name: n.prefixed(prefix, f.name.replace(/^[A-Z0-9]+-/, '').toLowerCase()), pic: f.kind === 'date' ? '9(8)' : f.pic }));
  children.push({ name: 'FILLER', pic: `X(${rng.int(2, 20)})` });
  p.files.push({ select: [`SELECT ${file} ASSIGN TO ${ddname(ctx, 'output')}`, `FILE STATUS IS ${st.status}.`], fd: [`FD  ${file}.`], record: { name: recName, children } });
  p.ws.push(st.item);
  const written = n.ws('records', 'written');
  p.ws.push({ name: written, pic: '9(7)', value: fig(ctx, 'zero') });
  ctx.init.push(`OPEN OUTPUT ${file}`);
  ctx.term.push(`CLOSE ${file}`);
  ctx.term.push(`DISPLAY 'RECORDS WRITTEN: ' ${written}`);
  const moves: Stmt[] = fields.map((f, i) => `MOVE ${f.name} TO ${children[i]!.name}`);
  const write: Stmt[] = [...(rng.chance(0.5) ? [`MOVE ${fig(ctx, 'space')} TO ${recName}`] : []), ...moves, `WRITE ${recName}`, ifs(`${st.status} NOT = '00'`, [`DISPLAY 'WRITE ERROR ' ${st.status}`]), `ADD 1 TO ${written}`];
  return { file, write };
}

/** The main processing loop over an input file; `process` are the per-record statements. */
export function processLoop(ctx: Ctx, src: SeqFile, process: Stmt[]): void {
  const { n, rng, p } = ctx;
  const proc = addPara(ctx, { name: n.para('process', src.rec.entity), comment: `PROCESS ONE ${n.word(src.rec.entity)} RECORD`, body: [...process, p.perform(src.readPara)] });
  if (rng.chance(0.6)) ctx.main.push(p.perform(proc, `UNTIL ${src.eof}`));
  else ctx.main.push(performInline(`UNTIL ${src.eof}`, [p.perform(proc)]));
}

/** A printed report: headings, detail line with edited pictures, page break, totals. */
export function report(ctx: Ctx, src: SeqFile): Stmt[] {
  const { n, rng, p } = ctx;
  const file = n.unique(rng.pick(['REPORT-FILE', 'PRINT-FILE', 'RPT-FILE', 'PRTFILE']));
  const line = n.unique(rng.pick(['PRINT-LINE', 'REPORT-LINE', 'PRT-REC', 'RPT-REC']));
  const width = rng.pick([132, 133, 80, 120]);
  p.files.push({ select: [`SELECT ${file} ASSIGN TO ${rng.pick(['PRINTER', 'RPTOUT', 'SYSPRINT', 'REPORT1'])}.`], fd: [`FD  ${file}.`], record: { name: line, pic: `X(${width})` } });
  const lineCount = n.ws('line', 'count');
  const pageCount = n.ws('page', 'count');
  const maxLines = rng.pick([55, 60, 50, 56]);
  p.ws.push({ name: n.ws('report', 'counters'), children: [{ name: lineCount, pic: '99', value: String(maxLines + 1), usage: rng.chance(0.4) ? ctx.style.binStyle : undefined }, { name: pageCount, pic: '9(4)', value: fig(ctx, 'zero') }] });
  const hdr1 = n.ws('heading', '1');
  const hdrPage = n.ws('heading', 'page');
  const title = `${n.word(src.rec.entity)} ${rng.pick(['LISTING', 'REPORT', 'SUMMARY', 'REGISTER', 'EXCEPTIONS'])}`;
  p.ws.push({ name: hdr1, children: [{ name: 'FILLER', pic: 'X(10)', value: `'${rng.pick(['RPT', 'PGM', 'REPORT'])}${rng.int(100, 999)}'` }, { name: 'FILLER', pic: `X(${title.length + 10})`, value: `'${title}'` }, { name: 'FILLER', pic: 'X(6)', value: "'PAGE '" }, { name: hdrPage, pic: 'ZZZ9' }] });
  const detail = n.ws('detail', 'line');
  const dfields = src.rec.fields.filter((f) => f.kind !== 'status').slice(0, 4);
  const dchildren: DataItem[] = [];
  const moves: Stmt[] = [];
  for (const f of dfields) {
    const name = n.prefixed('DL-', f.name.replace(/^[A-Z0-9]+-/, '').toLowerCase());
    let pic = f.pic;
    if (f.kind === 'amount') pic = rng.pick(['ZZZ,ZZZ,ZZ9.99-', '$$$,$$$,$$9.99', '-ZZZ,ZZZ,ZZ9.99', 'ZZ,ZZZ,ZZ9.99CR', '$$,$$$,$$9.99-']);
    else if (f.kind === 'qty') pic = rng.pick(['ZZ,ZZ9-', 'ZZZZ9', '-ZZ,ZZ9']);
    else if (f.kind === 'date') pic = rng.pick(['9999/99/99', '99/99/9999', 'X(10)']);
    else if (f.kind === 'rate') pic = 'Z9.9999';
    else if (f.kind === 'key' && f.numeric) pic = rng.pick([f.pic, 'Z(9)9']);
    dchildren.push({ name, pic }, { name: 'FILLER', pic: `X(${rng.int(1, 4)})`, value: fig(ctx, 'space') });
    if (f.kind === 'date' && pic === 'X(10)') moves.push(`STRING ${f.name}(1:4) '-' ${f.name}(5:2) '-' ${f.name}(7:2)`, ['DELIMITED BY SIZE INTO ' + name]);
    else moves.push(`MOVE ${f.name} TO ${name}`);
  }
  p.ws.push({ name: detail, children: dchildren });
  let totalStmt: Stmt[] = [];
  const amount = src.rec.amounts[0];
  if (amount) {
    const total = n.ws('report', 'total', 'amount');
    const totalEd = n.ws('total', 'edited');
    p.ws.push({ name: total, pic: 'S9(11)V99', usage: ctx.style.compStyle === 'DISPLAY' ? undefined : ctx.style.compStyle, value: fig(ctx, 'zero') });
    p.ws.push({ name: n.ws('total', 'line'), children: [{ name: 'FILLER', pic: 'X(20)', value: "'REPORT TOTAL'" }, { name: totalEd, pic: 'Z,ZZZ,ZZZ,ZZ9.99-' }] });
    moves.push(`ADD ${amount.name} TO ${total}`);
    totalStmt = [`MOVE ${total} TO ${totalEd}`, `WRITE ${line} FROM ${p.ws[p.ws.length - 1]!.name} AFTER ADVANCING 2 LINES`];
  }
  const headPara = addPara(ctx, {
    name: n.para('print', 'heading'),
    comment: 'NEW PAGE AND HEADINGS',
    body: [`ADD 1 TO ${pageCount}`, `MOVE ${pageCount} TO ${hdrPage}`, `WRITE ${line} FROM ${hdr1} AFTER ADVANCING PAGE`, `MOVE ${rng.pick(['SPACES', 'SPACE'])} TO ${line}`, `WRITE ${line} AFTER ADVANCING 1 LINE`, `MOVE ${rng.pick([2, 3, 4])} TO ${lineCount}`],
  });
  const detailPara = addPara(ctx, {
    name: n.para('print', 'detail'),
    comment: 'FORMAT AND PRINT ONE DETAIL LINE',
    body: [ifs(`${lineCount} > ${maxLines}`, [p.perform(headPara)]), ...moves, `WRITE ${line} FROM ${detail} AFTER ADVANCING 1 LINE`, `ADD 1 TO ${lineCount}`],
  });
  ctx.init.push(`OPEN OUTPUT ${file}`);
  ctx.term.unshift(...totalStmt);
  ctx.term.push(`CLOSE ${file}`);
  return [p.perform(detailPara)];
}

/** Control-break totals on a code or key field. */
export function controlBreak(ctx: Ctx, src: SeqFile): Stmt[] {
  const { n, p, rng } = ctx;
  const keyField = src.rec.code ?? src.rec.status ?? src.rec.key;
  const amount = src.rec.amounts[0];
  const prev = n.ws('previous', keyField.kind === 'code' ? 'code' : 'key');
  const groupTotal = n.ws('group', 'total');
  const groupCount = n.ws('group', 'count');
  p.ws.push({ name: n.ws('break', 'fields'), children: [{ name: prev, pic: keyField.pic.startsWith('9') ? keyField.pic : 'X(10)', value: keyField.pic.startsWith('9') ? fig(ctx, 'zero') : 'LOW-VALUES' }, { name: groupTotal, pic: 'S9(11)V99', value: fig(ctx, 'zero') }, { name: groupCount, pic: '9(7)', value: fig(ctx, 'zero') }] });
  const firstSw = n.ws('first', 'record', ctx.style.flagSuffix);
  const firstCond = n.unique(rng.pick(['FIRST-RECORD', 'FIRST-TIME', 'IS-FIRST-REC']));
  p.ws.push({ name: firstSw, pic: 'X', value: "'Y'", conds: [[firstCond, "'Y'"]] });
  const breakPara = addPara(ctx, {
    name: n.para('group', 'break'),
    comment: 'END OF A GROUP: SHOW ITS TOTALS AND RESET',
    body: [`DISPLAY 'GROUP ' ${prev} ' COUNT ' ${groupCount}${amount ? ` ' TOTAL ' ${groupTotal}` : ''}`, `MOVE ${fig(ctx, 'zero')} TO ${groupTotal} ${groupCount}`],
  });
  ctx.term.unshift(ifs(`NOT ${firstCond}`, [p.perform(breakPara)]));
  return [
    ifs(`${firstCond}`, [`MOVE ${keyField.name} TO ${prev}`, `MOVE 'N' TO ${firstSw}`], [ifs(`${keyField.name} NOT = ${prev}`, [p.perform(breakPara), `MOVE ${keyField.name} TO ${prev}`])]),
    `ADD 1 TO ${groupCount}`,
    ...(amount ? [`ADD ${amount.name} TO ${groupTotal}`] : []),
  ];
}

/** An indexed master file updated by key: READ with INVALID KEY, REWRITE, WRITE, START/READ NEXT. */
export function indexedMaster(ctx: Ctx, src: SeqFile | undefined): Stmt[] {
  const { n, rng, p } = ctx;
  const entity = src?.rec.entity ?? rng.pick(ENTITIES);
  const file = n.unique(rng.pick([`${n.word(entity)}-MASTER`, `${n.word(entity)}-MAST`, `${n.word(entity)}-VSAM`, 'MASTER-FILE']));
  const prefix = n.recordPrefix(entity, 'master');
  const rec = entityRecord(ctx, entity, prefix, n.unique(file + '-REC'));
  const st = statusItem(ctx, 'master');
  const access = rng.pick(['DYNAMIC', 'RANDOM', 'DYNAMIC']);
  p.files.push({
    select: [`SELECT ${file} ASSIGN TO ${ddname(ctx, entity + 'm')}`, 'ORGANIZATION IS INDEXED', `ACCESS MODE IS ${access}`, `RECORD KEY IS ${rec.key.name}`, `FILE STATUS IS ${st.status}.`],
    fd: [`FD  ${file}.`],
    record: rec.item,
  });
  p.ws.push(st.item);
  ctx.init.push(`OPEN I-O ${file}`);
  ctx.term.push(`CLOSE ${file}`);
  const notFound = n.ws('not', 'found', 'count');
  const updated = n.ws('updated', 'count');
  p.ws.push({ name: notFound, pic: '9(5)', value: fig(ctx, 'zero') }, { name: updated, pic: '9(5)', value: fig(ctx, 'zero') });
  const keySrc = src ? src.rec.key.name : n.ws('search', 'key');
  if (!src) p.ws.push({ name: keySrc, pic: rec.key.pic, value: rec.key.numeric ? fig(ctx, 'zero') : fig(ctx, 'space') });
  const amt = rec.amounts[0]!;
  const srcAmt = src?.rec.amounts[0];
  const update: Stmt[] = [srcAmt ? (rng.chance(0.5) ? `ADD ${srcAmt.name} TO ${amt.name}` : { head: `COMPUTE ${amt.name} = ${amt.name} + ${srcAmt.name}`, parts: [['ON SIZE ERROR', [`DISPLAY 'OVERFLOW ON KEY ' ${rec.key.name}`]]], end: 'END-COMPUTE' }) : `MOVE ${fig(ctx, 'zero')} TO ${amt.name}`];
  if (rec.date && rng.chance(0.5)) update.push(`MOVE FUNCTION CURRENT-DATE(1:8) TO ${rec.date.name}`);
  update.push({ head: `REWRITE ${rec.item.name}`, parts: [['INVALID KEY', [`DISPLAY 'REWRITE FAILED ' ${st.status}`]], ['NOT INVALID KEY', [`ADD 1 TO ${updated}`]]], end: 'END-REWRITE' });
  const para = addPara(ctx, {
    name: n.para('update', 'master'),
    comment: `APPLY THE CHANGE TO THE ${n.word(entity)} MASTER`,
    body: [`MOVE ${keySrc} TO ${rec.key.name}`, { head: `READ ${file}`, parts: [['INVALID KEY', [`ADD 1 TO ${notFound}`, ...(rng.chance(0.5) ? [`DISPLAY 'NOT ON FILE: ' ${keySrc}`] : [])]], ['NOT INVALID KEY', update]], end: 'END-READ' }],
  });
  ctx.term.push(`DISPLAY 'UPDATED ' ${updated} ' NOT FOUND ' ${notFound}`);
  if (access === 'DYNAMIC' && rng.chance(0.5)) {
    const browseEnd = n.ws('browse', 'end');
    p.ws.push({ name: browseEnd, pic: 'X', value: "'N'" });
    const browse = addPara(ctx, {
      name: n.para('browse', 'master'),
      comment: 'LIST THE MASTER FILE FROM THE START KEY',
      body: [
        `MOVE LOW-VALUES TO ${rec.key.name}`,
        { head: `START ${file} KEY IS NOT LESS THAN ${rec.key.name}`, parts: [['INVALID KEY', [`MOVE 'Y' TO ${browseEnd}`]]], end: 'END-START' },
        performInline(`UNTIL ${browseEnd} = 'Y'`, [{ head: `READ ${file} NEXT RECORD`, parts: [['AT END', [`MOVE 'Y' TO ${browseEnd}`]], ['NOT AT END', [`DISPLAY ${rec.key.name}${rec.name ? ' ' + rec.name.name : ''}`]]], end: 'END-READ' }]),
      ],
    });
    ctx.term.unshift(p.perform(browse));
  }
  return [p.perform(para)];
}

/** SORT with INPUT and OUTPUT PROCEDUREs (RELEASE / RETURN), or USING / GIVING. */
export function sortStep(ctx: Ctx): void {
  const { n, rng, p } = ctx;
  const entity = rng.pick(ENTITIES);
  const sortFile = n.unique(rng.pick(['SORT-FILE', 'SORT-WORK', 'SRT-FILE', 'SD-FILE']));
  const prefix = n.unique(rng.pick(['SR', 'SW', 'SRT', 'SD'])) + '-';
  const rec = entityRecord(ctx, entity, prefix, n.unique(sortFile.replace(/-?FILE$/, '') + '-REC'));
  p.files.push({ select: [`SELECT ${sortFile} ASSIGN TO ${rng.pick(['SORTWK1', 'SORTWORK', 'SRTWK01'])}.`], fd: [`SD  ${sortFile}.`], record: rec.item });
  const keys = [rec.code, rec.key].filter((f): f is NonNullable<typeof f> => f !== undefined);
  const sortKeys = keys.map((k, i) => `ON ${i === 0 && rng.chance(0.3) ? 'DESCENDING' : 'ASCENDING'} KEY ${k.name}`);
  const table = n.ws(entity, 'input', 'table');
  const count = n.ws('sort', 'count');
  const idx = n.ws('sort', 'sub');
  p.ws.push({ name: count, pic: '9(4)', value: fig(ctx, 'zero') }, { name: idx, pic: '9(4)', usage: ctx.style.binStyle });
  const amt = rec.amounts[0]!;
  const entryKey = n.ws('table', 'key');
  const entryAmt = n.ws('table', 'amount');
  p.ws.push({ name: table, children: [{ name: n.ws('table', 'entry'), occurs: 'OCCURS 50 TIMES', children: [{ name: entryKey, pic: rec.key.pic }, { name: entryAmt, pic: 'S9(7)V99' }] }] });
  const sortEnd = n.ws('sort', 'end');
  p.ws.push({ name: sortEnd, pic: 'X', value: "'N'" });
  const inProc = addPara(ctx, {
    name: n.para('sort', 'input'),
    comment: 'RELEASE THE RECORDS TO BE SORTED',
    body: [performInline(`VARYING ${idx} FROM 1 BY 1 UNTIL ${idx} > ${count}`, [`MOVE ${fig(ctx, 'space')} TO ${rec.item.name}`, `MOVE ${entryKey}(${idx}) TO ${rec.key.name}`, `MOVE ${entryAmt}(${idx}) TO ${amt.name}`, `RELEASE ${rec.item.name}`])],
  }, false);
  const outProc = addPara(ctx, {
    name: n.para('sort', 'output'),
    comment: 'RETURN THE SORTED RECORDS',
    body: [`MOVE 'N' TO ${sortEnd}`, performInline(`UNTIL ${sortEnd} = 'Y'`, [{ head: `RETURN ${sortFile}`, parts: [['AT END', [`MOVE 'Y' TO ${sortEnd}`]], ['NOT AT END', [`DISPLAY ${rec.key.name} ' ' ${amt.name}`]]], end: 'END-RETURN' }])],
  }, false);
  const target = (name: string) => (ctx.style.useSections ? `${name}-SECTION` : name);
  ctx.main.push([`SORT ${sortFile}`, ...sortKeys, `INPUT PROCEDURE IS ${target(inProc)}`, `OUTPUT PROCEDURE IS ${target(outProc)}`]);
  ctx.init.push(`MOVE ${rng.int(3, 40)} TO ${count}`);
}
