/**
 * Composes one program from randomised building blocks: an archetype (batch
 * file update, report, DB2 extract, CICS transaction, called subprogram, sort,
 * copybook-driven) picks which features to combine; the style decides how it
 * looks. Returns the program text and any copybooks it needs.
 */
import { addPara, type Ctx } from './context';
import { accumulateTable, codeTable, dateMoney, decisions, stringHandling, validation } from './features-logic';
import { controlBreak, indexedMaster, inputFile, outputFile, processLoop, report, sortStep } from './features-batch';
import { callSubprogram, cicsTransaction, copybookDriven, copybookRecord, sqlCursor } from './features-online';
import { ENTITIES, Namer } from './names';
import { ProgramModel, type Stmt } from './program';
import { render } from './render';
import { Rng } from './rng';
import { drawStyle } from './style';

export type Archetype = 'batch' | 'report' | 'sql' | 'cics' | 'subprogram' | 'sort' | 'copybook' | 'update';

export interface GeneratedProgram {
  id: string;
  archetype: Archetype;
  text: string;
  copybooks: Map<string, string>;
  /** True when the text holds EXEC SQL / EXEC CICS blocks (validated after neutralising them). */
  hasExec: boolean;
  free: boolean;
}

const AUTHORS = ['J SMITH', 'R. JONES', 'M GARCIA', 'SYSTEMS GROUP', 'A PATEL', 'K. MUELLER', 'DATA CENTER', 'T NGUYEN', 'L. ROSSI', 'B OKAFOR'];

export function generateProgram(seed: number): GeneratedProgram {
  const rng = new Rng(seed);
  const style = drawStyle(rng);
  const n = new Namer(style, rng);
  const archetype = rng.weighted<Archetype>([['batch', 5], ['report', 3], ['sql', 3], ['cics', 2], ['subprogram', 2], ['sort', 1], ['copybook', 2], ['update', 2]]);
  const prefix = rng.pick(['PGM', 'CB', 'AR', 'GL', 'PR', 'HR', 'IN', 'CL', 'PY', 'OE', 'AP', 'LN', 'FIN', 'BAT']);
  const id = n.unique(rng.chance(0.6) ? `${prefix}${String(rng.int(1, 999)).padStart(3, '0')}${rng.pick(['', 'B', 'R', 'U', 'X'])}` : `${prefix}-${rng.pick(['UPDATE', 'EXTRACT', 'REPORT', 'POST', 'EDIT', 'LOAD', 'CALC', 'INQ'])}`);
  const p = new ProgramModel(id, style, rng);
  const ctx: Ctx = { p, n, rng, style, copybooks: new Map(), init: [], main: [], term: [], online: archetype === 'cics', shared: {} };
  header(ctx, archetype);
  if (style.identExtras) {
    p.ident.push(`AUTHOR. ${rng.pick(AUTHORS)}.`);
    if (rng.chance(0.6)) p.ident.push(`INSTALLATION. ${rng.pick(['HEAD OFFICE', 'DATA CENTER', 'BRANCH SYSTEMS'])}.`);
    p.ident.push(`DATE-WRITTEN. ${rng.pick(['01/15/1989', '1994-03-02', 'MARCH 1997', '12/01/2003', '06/30/1985'])}.`);
  }
  if (rng.chance(0.15) && archetype !== 'cics') p.specialNames.push(rng.pick(['DECIMAL-POINT IS COMMA', 'C01 IS TOP-OF-PAGE', 'CLASS VALID-CODE IS "A" THRU "Z"']));
  if (p.specialNames[0] === 'DECIMAL-POINT IS COMMA') p.specialNames[0] = 'C01 IS TOP-OF-PAGE';

  const perRecord: Stmt[] = [];
  const extras = (choices: Array<() => Stmt[]>, k: number) => {
    for (const f of rng.sample(choices, k)) perRecord.push(...f());
  };
  switch (archetype) {
    case 'batch':
    case 'update':
    case 'report': {
      const src = inputFile(ctx);
      if (rng.chance(0.5)) perRecord.push(...validation(ctx, src.rec));
      if (archetype === 'update') perRecord.push(...indexedMaster(ctx, src));
      if (archetype === 'report') {
        if (rng.chance(0.5)) perRecord.push(...controlBreak(ctx, src));
        perRecord.push(...report(ctx, src));
      }
      extras([() => decisions(ctx, src.rec), () => dateMoney(ctx, src.rec), () => stringHandling(ctx, src.rec), () => codeTable(ctx, src.rec.code?.name), () => accumulateTable(ctx, src.rec), () => (rng.chance(0.5) ? outputFile(ctx, src).write : controlBreak(ctx, src))], rng.int(1, 3));
      if (archetype === 'batch' && rng.chance(0.4)) perRecord.push(...callSubprogram(ctx, (sub) => dateMoney(sub)));
      processLoop(ctx, src, perRecord);
      break;
    }
    case 'sql': {
      ctx.main.push(...sqlCursor(ctx));
      extras([() => dateMoney(ctx), () => decisions(ctx), () => stringHandling(ctx)], rng.int(0, 2));
      ctx.main.push(...perRecord.splice(0));
      break;
    }
    case 'cics':
      cicsTransaction(ctx);
      break;
    case 'subprogram': {
      const parm = n.unique(rng.pick(['LS-REQUEST', 'LK-PARMS', 'LINKAGE-AREA', 'L-INPUT']));
      const rec = copybookRecordOrInline(ctx);
      p.linkage.push({ name: parm, children: [{ name: n.unique(parm + '-FUNCTION'), pic: 'X', conds: [[n.unique('FUNC-ADD'), "'A'"], [n.unique('FUNC-CHG'), "'C'"], [n.unique('FUNC-INQ'), "'I'"]] }, { name: n.unique(parm + '-RC'), pic: 'S9(4)', usage: 'COMP' }] });
      p.using = [parm];
      extras([() => dateMoney(ctx), () => stringHandling(ctx), () => codeTable(ctx), () => decisions(ctx), () => accumulateTable(ctx)], rng.int(2, 3));
      ctx.main.push(`MOVE 0 TO ${parm}-RC`.replace(`${parm}-RC`, p.linkage[0]!.children![1]!.name), ...perRecord.splice(0));
      void rec;
      break;
    }
    case 'sort':
      sortStep(ctx);
      extras([() => codeTable(ctx), () => dateMoney(ctx), () => stringHandling(ctx)], rng.int(1, 2));
      ctx.main.push(...perRecord.splice(0));
      break;
    case 'copybook': {
      ctx.main.push(...copybookDriven(ctx));
      if (rng.chance(0.5)) ctx.main.push(...copybookDriven(ctx));
      extras([() => dateMoney(ctx), () => decisions(ctx), () => stringHandling(ctx), () => codeTable(ctx)], rng.int(1, 2));
      if (rng.chance(0.5)) ctx.main.push(...callSubprogram(ctx, (sub) => stringHandling(sub)));
      ctx.main.push(...perRecord.splice(0));
      break;
    }
  }
  assembleMain(ctx, archetype);
  const text = render(p.toLines(), style, id);
  return { id, archetype, text, copybooks: ctx.copybooks, hasExec: archetype === 'sql' || archetype === 'cics', free: style.layout === 'free' };
}

function copybookRecordOrInline(ctx: Ctx): void {
  if (ctx.rng.chance(0.5)) copybookRecord(ctx, ctx.rng.pick(ENTITIES));
}

function header(ctx: Ctx, archetype: Archetype): void {
  const { p, rng, style } = ctx;
  if (style.header === 'none' || style.comments === 'none') return;
  const purpose: Record<Archetype, string[]> = {
    batch: ['DAILY BATCH PROCESSING OF THE INPUT FILE', 'EDIT AND POST TRANSACTIONS', 'NIGHTLY EXTRACT AND VALIDATION'],
    update: ['APPLY TRANSACTIONS TO THE MASTER FILE', 'MASTER FILE UPDATE BY KEY'],
    report: ['PRINT THE MONTHLY REPORT', 'PRODUCE THE EXCEPTION LISTING', 'SUMMARY REPORT WITH CONTROL TOTALS'],
    sql: ['READ ROWS FROM DB2 AND UPDATE BALANCES', 'DB2 CURSOR EXTRACT'],
    cics: ['ONLINE INQUIRY TRANSACTION', 'PSEUDO-CONVERSATIONAL MAINTENANCE SCREEN'],
    subprogram: ['CALLED ROUTINE: COMPUTE AND EDIT FIELDS', 'COMMON SUBROUTINE FOR CALCULATIONS'],
    sort: ['SORT THE WORK RECORDS AND LIST THEM', 'SORT WITH INPUT AND OUTPUT PROCEDURES'],
    copybook: ['BUILD RECORDS FROM SHARED LAYOUTS', 'RECORD LAYOUT CONVERSION'],
  };
  const bar = style.comments === 'dash' ? '-'.repeat(60) : '*'.repeat(60);
  p.headerComments.push(bar, ` PROGRAM:  ${p.id}`, ` PURPOSE:  ${rng.pick(purpose[archetype])}`);
  if (style.header === 'full') {
    p.headerComments.push(` AUTHOR:   ${rng.pick(AUTHORS)}`, '', ' MODIFICATION HISTORY:');
    for (let i = 0; i < rng.int(1, 4); i++) p.headerComments.push(`   ${String(rng.int(1, 12)).padStart(2, '0')}/${String(rng.int(1, 28)).padStart(2, '0')}/${rng.int(1985, 2023)}  ${rng.pick(['INITIAL VERSION', 'Y2K DATE EXPANSION', 'ADDED STATUS CHECKS', 'NEW REPORT COLUMNS', 'FIX ROUNDING', 'TICKET ' + rng.int(1000, 9999)])}`);
  }
  p.headerComments.push(bar);
}

function assembleMain(ctx: Ctx, archetype: Archetype): void {
  const { p, n, rng, style } = ctx;
  const paras = p.paragraphs.splice(0);
  const mainBody: Stmt[] = [];
  let initName: string | undefined;
  if (ctx.init.length > 0) {
    initName = n.para(rng.pick(['initialize', 'init', 'start', 'housekeeping']));
    mainBody.push(p.perform(initName));
  }
  mainBody.push(...ctx.main);
  let termName: string | undefined;
  if (ctx.term.length > 0) {
    termName = n.para(rng.pick(['terminate', 'end', 'wrap', 'close']), rng.pick(['run', 'files', 'up', 'program']));
    mainBody.push(p.perform(termName));
  }
  if (archetype === 'cics') mainBody.push('GOBACK');
  else if (archetype === 'subprogram' || p.using.length > 0) mainBody.push(rng.pick(['GOBACK', 'EXIT PROGRAM', 'GOBACK']));
  else mainBody.push(style.stopWord);
  const mainName = n.para(rng.pick(['main', 'mainline', 'control', 'main']), rng.pick(['logic', 'procedure', 'process', 'para']));
  p.paragraphs.push({ name: mainName, comment: 'MAIN CONTROL', body: mainBody });
  if (initName) addPara(ctx, { name: initName, comment: 'OPEN FILES AND SET UP', body: ctx.init });
  p.paragraphs.push(...paras);
  if (termName) addPara(ctx, { name: termName, comment: 'CLOSE FILES AND SHOW TOTALS', body: ctx.term });
}
