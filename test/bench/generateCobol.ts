/**
 * A deterministic generator of valid, varied fixed-format COBOL programs and
 * their copybooks, for the front-end benchmark and the linear-time property
 * test. The same seed always yields the same text, and GnuCOBOL
 * (`cobc -fsyntax-only -I <copybook folder>`) accepts every program it writes.
 *
 * The programs look like real batch code: working storage built from groups
 * with PIC X/9/S9 COMP/COMP-3 items, OCCURS … INDEXED BY tables, REDEFINES,
 * 88-level conditions, copybooks (plain, nested, and templates expanded with
 * REPLACING LEADING), and many paragraphs of MOVE/ADD/COMPUTE/IF/EVALUATE/
 * PERFORM VARYING/STRING/CALL statements with periods and scope terminators.
 * Columns 73-80 carry an identification tag on every line, as they do in
 * mainframe sources. Every copybook declares one item named `MK…-MARK`
 * found nowhere else, so a benchmark can tell when an index holds them all.
 */

export interface GeneratedProgram {
  /** File name of the program, e.g. `GENP0001.cbl`. */
  fileName: string;
  text: string;
  lineCount: number;
}

export interface GeneratedCopybook {
  /** File name of the copybook, e.g. `GC00010001.cpy`. */
  fileName: string;
  text: string;
  lineCount: number;
}

export interface GeneratedSources {
  programs: GeneratedProgram[];
  /** Every copybook the programs COPY; all go into one folder. */
  copybooks: GeneratedCopybook[];
}

export interface GenerateOptions {
  /** Seed of the pseudo-random choices. */
  seed: number;
  /** Lines of program text to write (copybook lines not counted); the result has at least this many. */
  programLines: number;
  /** Program number, used in PROGRAM-ID and every generated name, so programs never clash. */
  programNumber?: number;
}

/** Mulberry32: a tiny, fast, well-distributed 32-bit PRNG; enough for test data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes fixed-format lines: sequence number, indicator, code padded to column 72, an identification tag. */
class FixedWriter {
  private readonly lines: string[] = [];
  constructor(private readonly tag: string) {}

  /** A line whose code starts in Area A (column 8) when `indent` is 0, else `indent` columns further. */
  code(text: string, indent = 4): void {
    this.emit(' ', ' '.repeat(indent) + text);
  }

  comment(text: string): void {
    this.emit('*', ' ' + text);
  }

  blank(): void {
    this.emit(' ', '');
  }

  private emit(indicator: string, code: string): void {
    if (code.length > 65) throw new Error(`generator bug: code past column 72: ${code}`);
    const sequence = String((this.lines.length + 1) * 10 % 1_000_000).padStart(6, '0');
    this.lines.push(sequence + indicator + code.padEnd(65) + this.tag);
  }

  get count(): number {
    return this.lines.length;
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** One working-storage group and the names the procedure division may use from it. */
interface Group {
  alpha: string;
  numeric: string;
  packed: string;
  binary: string;
  table: string;
  element: string;
  index: string;
  flag: string;
  yes: string;
  no: string;
  redefined: string;
  /** Group name, used to qualify `alpha` which every group shares a suffix with. */
  name: string;
}

/** A template copybook whose names are specialised by COPY … REPLACING LEADING ==TPL== BY ==prefix==. */
const templateCopybook = (name: string, suffix: string, program: number): GeneratedCopybook => {
  const w = new FixedWriter(`T${String(program).padStart(7, '0')}`);
  w.comment('Record template: names start with TPL, replaced on COPY.');
  w.code('01  TPL-REC.', 0);
  w.code('05  TPL-KEY          PIC 9(8).');
  w.code('05  TPL-NAME         PIC X(30).');
  w.code('05  TPL-AMOUNT       PIC S9(9)V99 COMP-3.');
  w.code('05  TPL-STATUS       PIC X.');
  w.code('    88  TPL-ACTIVE   VALUE "A".');
  w.code('    88  TPL-CLOSED   VALUE "C".');
  w.code(`01  MKT${suffix}-MARK     PIC X.`, 0);
  return { fileName: `${name}.cpy`, text: w.toString(), lineCount: w.count };
};

/**
 * Generates one program of at least `programLines` lines and the copybooks it
 * needs. Names carry the program number, so many programs share one copybook
 * folder without collisions.
 */
export function generateProgram(options: GenerateOptions): GeneratedSources {
  const rand = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const int = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));
  const number = options.programNumber ?? 1;
  const id = String(number).padStart(4, '0');
  const programId = `GENP${id}`;
  const w = new FixedWriter(`GP${id}`.padEnd(8, '0').slice(0, 8));
  const copybooks: GeneratedCopybook[] = [];

  // Roughly 15% of the lines are data, the rest procedure code.
  const groupCount = Math.max(4, Math.round(options.programLines / 220));
  const copyCount = Math.max(2, Math.round(options.programLines / 2500));

  w.code('IDENTIFICATION DIVISION.', 0);
  w.code(`PROGRAM-ID. ${programId}.`, 0);
  w.code('AUTHOR. BENCHMARK GENERATOR, SEED ' + options.seed + '.', 0);
  w.comment(`Generated program ${programId}: deterministic, valid, varied.`);
  w.code('ENVIRONMENT DIVISION.', 0);
  w.code('CONFIGURATION SECTION.', 0);
  w.code('DATA DIVISION.', 0);
  w.code('WORKING-STORAGE SECTION.', 0);
  w.code('01  WS-COUNTER           PIC 9(9) COMP VALUE 0.', 0);
  w.code('01  WS-TOTAL             PIC S9(11)V99 COMP-3 VALUE 0.', 0);
  w.code('01  WS-TEXT              PIC X(80) VALUE SPACES.', 0);
  w.code('01  WS-POINTER           PIC 9(4) COMP VALUE 1.', 0);

  // Copybooks: a plain record copybook that itself COPYs a nested one, and a
  // template expanded with REPLACING LEADING; each copy contributes fields.
  const copiedRecords: { key: string; name: string; amount: string; active: string }[] = [];
  for (let c = 1; c <= copyCount; c++) {
    const suffix = `${id}${String(c).padStart(3, '0')}`;
    if (c % 2 === 1) {
      const nested = `GN${suffix}`;
      const outer = `GC${suffix}`;
      const n = new FixedWriter(`N${suffix}`.slice(0, 8));
      n.code(`05  CN${suffix}-ADDR.`);
      n.code(`10  CN${suffix}-STREET  PIC X(40).`, 8);
      n.code(`10  CN${suffix}-ZIP     PIC 9(5).`, 8);
      n.code(`05  MKN${suffix}-MARK   PIC X.`);
      copybooks.push({ fileName: `${nested}.cpy`, text: n.toString(), lineCount: n.count });
      const o = new FixedWriter(`C${suffix}`.slice(0, 8));
      o.comment(`Customer record ${c} of program ${programId}.`);
      o.code(`01  CR${suffix}-REC.`, 0);
      o.code(`05  CR${suffix}-KEY     PIC 9(8).`);
      o.code(`05  CR${suffix}-NAME    PIC X(30).`);
      o.code(`05  CR${suffix}-AMOUNT  PIC S9(9)V99 COMP-3.`);
      o.code(`05  CR${suffix}-STATUS  PIC X.`);
      o.code(`    88  CR${suffix}-ACTIVE VALUE "A".`);
      o.code(`COPY ${nested}.`);
      o.code(`01  MKC${suffix}-MARK     PIC X.`, 0);
      copybooks.push({ fileName: `${outer}.cpy`, text: o.toString(), lineCount: o.count });
      w.code(`COPY ${outer}.`, 0);
      copiedRecords.push({
        key: `CR${suffix}-KEY`,
        name: `CR${suffix}-NAME`,
        amount: `CR${suffix}-AMOUNT`,
        active: `CR${suffix}-ACTIVE`,
      });
    } else {
      const template = `GT${suffix}`;
      copybooks.push(templateCopybook(template, suffix, number * 1000 + c));
      const prefix = `TP${suffix}`;
      w.code(`COPY ${template} REPLACING LEADING ==TPL== BY ==${prefix}==.`, 0);
      copiedRecords.push({
        key: `${prefix}-KEY`,
        name: `${prefix}-NAME`,
        amount: `${prefix}-AMOUNT`,
        active: `${prefix}-ACTIVE`,
      });
    }
  }

  const groups: Group[] = [];
  for (let g = 1; g <= groupCount; g++) {
    const p = `W${g}`;
    const group: Group = {
      name: `${p}-GROUP`,
      alpha: `${p}-ALPHA`,
      redefined: `${p}-ALPHA-NUM`,
      numeric: `${p}-NUMBER`,
      packed: `${p}-PACKED`,
      binary: `${p}-BINARY`,
      table: `${p}-TABLE`,
      element: `${p}-ELEM`,
      index: `${p}-IX`,
      flag: `${p}-FLAG`,
      yes: `${p}-YES`,
      no: `${p}-NO`,
    };
    groups.push(group);
    const size = int(4, 30);
    const occurs = int(2, 20);
    w.code(`01  ${group.name}.`, 0);
    w.code(`05  ${group.alpha}      PIC X(${size}) VALUE SPACES.`);
    w.code(`05  ${group.redefined} REDEFINES ${group.alpha}.`);
    w.code(`10  FILLER          PIC X(${size}).`, 8);
    w.code(`05  ${group.numeric}    PIC 9(${int(3, 9)}) VALUE ${int(0, 99)}.`);
    w.code(`05  ${group.packed}     PIC S9(${int(5, 13)})V99 COMP-3 VALUE 0.`);
    w.code(`05  ${group.binary}     PIC S9(${int(4, 9)}) ${pick(['COMP', 'BINARY', 'COMP-5'])} VALUE 0.`);
    w.code(`05  ${group.table}      OCCURS ${occurs} TIMES`);
    w.code(`INDEXED BY ${group.index}.`, 12);
    w.code(`10  ${group.element}  PIC X(${int(2, 12)}).`, 8);
    w.code(`10  FILLER        PIC 9(3) COMP-3.`, 8);
    w.code(`05  ${group.flag}       PIC X VALUE "N".`);
    w.code(`88  ${group.yes}    VALUE "Y".`, 8);
    w.code(`88  ${group.no}     VALUE "N" " ".`, 8);
    if (g % 5 === 0) w.comment(`End of group block ${g}.`);
  }

  w.code('PROCEDURE DIVISION.', 0);
  w.code('MAIN-PROCEDURE.', 0);
  // The main paragraph PERFORMs the first paragraphs; the rest are reached by forward PERFORMs or not at all.
  const linesPerParagraph = 24;
  const estimatedParagraphs = Math.ceil((options.programLines - w.count) / (linesPerParagraph + 1));
  const mainCalls = Math.max(1, Math.min(estimatedParagraphs, 40));
  for (let p = 1; p <= mainCalls; p++) w.code(`PERFORM P${id}-${String(p).padStart(5, '0')}`);
  w.code('STOP RUN.');

  const statement = (indent: number, remaining: number): number => {
    const g = pick(groups);
    const h = pick(groups);
    const record = pick(copiedRecords);
    const kind = int(0, 12);
    switch (kind) {
      case 0:
        w.code(`MOVE "${pick(['ABC', 'XYZ', 'LOAD', 'OK'])}" TO ${g.alpha}`, indent);
        return 1;
      case 1:
        w.code(`ADD ${int(1, 99)} TO ${g.numeric} ${h.binary}`, indent);
        return 1;
      case 2:
        w.code(`COMPUTE ${g.packed} = ${h.packed} * ${int(2, 9)}`, indent);
        w.code(`+ ${g.binary} - ${record.amount}`, indent + 4);
        return 2;
      case 3:
        if (remaining < 5) return statement(indent, remaining);
        w.code(`IF ${g.numeric} > ${int(1, 500)} AND ${h.yes}`, indent);
        w.code(`MOVE ${h.alpha} TO ${record.name}`, indent + 3);
        w.code('ELSE', indent);
        w.code(`SUBTRACT 1 FROM ${g.binary}`, indent + 3);
        w.code('END-IF', indent);
        return 5;
      case 4:
        if (remaining < 3) return statement(indent, remaining);
        w.code(`PERFORM VARYING ${g.index} FROM 1 BY 1`, indent);
        w.code(`UNTIL ${g.index} > ${int(1, 2)}`, indent + 4);
        w.code(`MOVE SPACES TO ${g.element} (${g.index})`, indent + 3);
        w.code('END-PERFORM', indent);
        return 4;
      case 5:
        if (remaining < 6) return statement(indent, remaining);
        w.code('EVALUATE TRUE', indent);
        w.code(`WHEN ${g.yes}`, indent + 3);
        w.code(`SET ${g.no} TO TRUE`, indent + 6);
        w.code(`WHEN ${record.active}`, indent + 3);
        w.code(`DISPLAY "ACTIVE " ${record.key}`, indent + 6);
        w.code('WHEN OTHER', indent + 3);
        w.code(`MOVE ZERO TO ${g.numeric}`, indent + 6);
        w.code('END-EVALUATE', indent);
        return 8;
      case 6:
        if (remaining < 4) return statement(indent, remaining);
        w.code('MOVE 1 TO WS-POINTER', indent);
        w.code(`STRING ${g.alpha} DELIMITED BY SPACE`, indent);
        w.code(`"-" DELIMITED BY SIZE`, indent + 7);
        w.code('INTO WS-TEXT WITH POINTER WS-POINTER', indent + 7);
        w.code('END-STRING', indent);
        return 5;
      case 7:
        w.code(`DISPLAY "${g.name} " ${g.alpha} " " ${g.numeric}`, indent);
        return 1;
      case 8:
        w.code(`MOVE ${g.alpha} OF ${g.name} TO WS-TEXT`, indent);
        return 1;
      case 9:
        w.code(`CALL "SUBPGM${int(1, 9)}" USING ${g.name} ${record.key}`, indent);
        w.code('END-CALL', indent);
        return 2;
      case 10:
        w.code(`ADD ${record.amount} TO WS-TOTAL`, indent);
        w.code(`ON SIZE ERROR MOVE 0 TO WS-TOTAL`, indent + 3);
        w.code('END-ADD', indent);
        return 3;
      case 11:
        w.code(`INITIALIZE ${g.table} (1)`, indent);
        return 1;
      default:
        w.code(`ADD 1 TO WS-COUNTER`, indent);
        w.code(`MOVE WS-COUNTER TO ${g.numeric}`, indent);
        return 2;
    }
  };

  // Paragraphs until the target is reached (the END PROGRAM line counts too),
  // and at least every paragraph that something PERFORMs.
  let performsNext = false;
  for (let p = 1; p <= mainCalls || performsNext || w.count < options.programLines - 1; p++) {
    const name = `P${id}-${String(p).padStart(5, '0')}`;
    w.code(`${name}.`, 0);
    if (p % 7 === 0) w.comment(`Paragraph ${p}: generated statements.`);
    let written = 0;
    while (written < linesPerParagraph - 2) written += statement(4, linesPerParagraph - 2 - written);
    // Paragraphs call forward, never backward: the program is well-founded (no recursion).
    performsNext = rand() < 0.3;
    if (performsNext) w.code(`PERFORM P${id}-${String(p + 1).padStart(5, '0')}`);
    w.code('.', 4);
  }
  w.code(`END PROGRAM ${programId}.`, 0);

  return {
    programs: [{ fileName: `${programId}.cbl`, text: w.toString(), lineCount: w.count }],
    copybooks,
  };
}

/** Several programs of about `linesPerProgram` lines each, totalling at least `totalLines` program lines. */
export function generateWorkspace(seed: number, totalLines: number, linesPerProgram: number): GeneratedSources {
  const result: GeneratedSources = { programs: [], copybooks: [] };
  let lines = 0;
  for (let n = 1; lines < totalLines; n++) {
    const one = generateProgram({ seed: seed + n, programLines: linesPerProgram, programNumber: n });
    result.programs.push(...one.programs);
    result.copybooks.push(...one.copybooks);
    lines += one.programs[0].lineCount;
  }
  return result;
}
