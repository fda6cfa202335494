/**
 * Validation of programs with EXEC SQL / EXEC CICS blocks, which GnuCOBOL
 * cannot compile without a precompiler: checks the blocks' structure (every
 * EXEC closed by END-EXEC, every :host-variable declared in the program), then
 * produces a compilable twin — blocks replaced by CONTINUE (procedure) or
 * blanks (data), SQLCA / EIB / DFHAID stubs added — for `cobc -fsyntax-only`.
 */

export interface ExecCheck {
  ok: boolean;
  problems: string[];
  /** The program with EXEC blocks neutralised, for cobc. */
  compilable: string;
}

const STUBS = [
  '       01  SQLCA.',
  '           05  SQLCAID     PIC X(8).',
  '           05  SQLCABC     PIC S9(9) COMP-5.',
  '           05  SQLCODE     PIC S9(9) COMP-5.',
  '           05  SQLERRM     PIC X(72).',
  '           05  SQLSTATE    PIC X(5).',
  '       01  DFHEIBLK.',
  '           05  EIBCALEN    PIC S9(4) COMP.',
  '           05  EIBAID      PIC X.',
  '           05  EIBTRNID    PIC X(4).',
  '           05  EIBRESP     PIC S9(8) COMP.',
  '           05  EIBRESP2    PIC S9(8) COMP.',
  '           05  EIBTRMID    PIC X(4).',
  '           05  EIBTIME     PIC S9(7) COMP-3.',
  '           05  EIBDATE     PIC S9(7) COMP-3.',
  '           05  EIBTASKN    PIC S9(7) COMP-3.',
  '           05  EIBCPOSN    PIC S9(4) COMP.',
  '           05  EIBFN       PIC X(2).',
  '           05  EIBRCODE    PIC X(6).',
  '           05  EIBDS       PIC X(8).',
  '           05  EIBREQID    PIC X(8).',
];

/** Stub for CICS' DFHAID copybook (attention identifiers). */
export const DFHAID_STUB = ['DFHENTER', 'DFHCLEAR', 'DFHPA1', 'DFHPF1', 'DFHPF2', 'DFHPF3', 'DFHPF4', 'DFHPF5', 'DFHPF6', 'DFHPF7', 'DFHPF8', 'DFHPF12']
  .map((n, i) => `       01  ${n.padEnd(10)} PIC X VALUE '${String.fromCharCode(48 + i)}'.`)
  .join('\n') + '\n';

/** `copybookText`: the copybooks the program may COPY, where host variables can be declared too. */
export function checkExec(text: string, free: boolean, copybookText = ''): ExecCheck {
  const lines = text.split('\n');
  const problems: string[] = [];
  const codeStart = free ? 0 : 7;
  const codeEnd = (l: string) => (free ? l.length : Math.min(l.length, 72));
  const isComment = (l: string) => (free ? /^\s*\*>/.test(l) : l.length > 6 && (l[6] === '*' || l[6] === '/'));
  let inProcedure = false;
  let wsLine = -1;
  const hostVars = new Set<string>();
  const outside: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isComment(line)) continue;
    const code = line.slice(codeStart, codeEnd(line));
    if (/\bPROCEDURE\s+DIVISION\b/i.test(code)) inProcedure = true;
    if (/\bWORKING-STORAGE\s+SECTION\b/i.test(code) && wsLine < 0) wsLine = i;
    const m = /\bEXEC\s+(SQL|CICS)\b/i.exec(code);
    if (!m) {
      outside.push(code);
      continue;
    }
    // Collect the block up to END-EXEC.
    let j = i;
    let block = code.slice(m.index);
    while (!/\bEND-EXEC\b/i.test(block) && j + 1 < lines.length) {
      j++;
      if (isComment(lines[j]!)) continue;
      block += ' ' + lines[j]!.slice(codeStart, codeEnd(lines[j]!));
    }
    if (!/\bEND-EXEC\b/i.test(block)) {
      problems.push(`line ${i + 1}: EXEC without END-EXEC`);
      break;
    }
    for (const hv of block.matchAll(/:([A-Za-z][A-Za-z0-9-]*)/g)) hostVars.add(hv[1]!.toUpperCase());
    const period = /\bEND-EXEC\s*\./i.test(block);
    const before = line.slice(0, codeStart) + code.slice(0, m.index);
    // EXEC SQL INCLUDE member is the precompiler's COPY: keep the member's declarations.
    const include = /^EXEC\s+SQL\s+INCLUDE\s+([A-Z0-9-]+)/i.exec(block);
    const member = include && !/^SQLCA$|^SQLDA$/i.test(include[1]!) ? include[1]! : null;
    const replacement = inProcedure ? 'CONTINUE' + (period ? '.' : '') : member ? `COPY ${member}.` : '';
    lines[i] = before + replacement;
    for (let k = i + 1; k <= j; k++) lines[k] = free ? '' : lines[k]!.slice(0, 6);
    i = j;
  }
  const declared = (outside.join('\n') + '\n' + copybookText).toUpperCase();
  for (const hv of hostVars) {
    if (!new RegExp(`\\b\\d\\d\\s+${hv.replace(/-/g, '\\-')}\\b`).test(declared)) problems.push(`host variable :${hv} is not declared`);
  }
  if (wsLine >= 0) lines.splice(wsLine + 1, 0, ...STUBS);
  else problems.push('no WORKING-STORAGE SECTION for the SQLCA / EIB stubs');
  const compilable = lines.join('\n').replace(/DFHRESP\s*\(\s*[A-Z]+\s*\)/gi, '0');
  return { ok: problems.length === 0, problems, compilable };
}
