/**
 * Names a program uses without declaring them, because the runtime, a
 * precompiler or a product's own copybooks supply them: the SQL
 * communication and descriptor areas (DB2), the CICS EXEC interface block
 * and DFH copybooks, the IMS DL/I interface block (DIB…), IBM MQ's CMQ…
 * copybooks, and the copybooks GnuCOBOL installs beside cobc (screenio,
 * xfhfcd: COB-… names). A program "speaks" such a vocabulary when it holds the
 * matching EXEC blocks, or when it copies one of the product's copybooks
 * that is not in the copybook paths (shops rarely keep them beside their
 * code); only then are those names taken as defined.
 */
import { cicsRegisters, sqlRegisters } from './reservedWords';

export type SuppliedVocabulary = 'SQL' | 'CICS' | 'DLI' | 'MQ' | 'GNUCOBOL';

/** Fields of the SQL descriptor area (EXEC SQL INCLUDE SQLDA). */
const sqldaFields = new Set('SQLDA SQLDAID SQLDABC SQLN SQLD SQLVAR SQLTYPE SQLLEN SQLDATA SQLIND SQLNAME SQLVAR2'.split(' '));

/** The DL/I interface block (EXEC DLI) and the user interface block of CALL "CBLTDLI" programs. */
const dliNames = new Set(
  'DLIUIB DIBVER DIBSTAT DIBSEGM DIBSEGLV DIBKFBL DIBDBDNM DIBDBORG DIBDSTAT DIBDDNM DIBERRXT DIBFLAG DIBLVL DIBRSV1 DIBRSV2 DIBRSV3 UIBPCBAL UIBRCODE UIBFCTR UIBDLTR'.split(' '),
);

const cicsCopybooks = new Set(['DFHAID', 'DFHBMSCA', 'DFHEIBLK', 'DFHATTR', 'DFHMSRCA']);
const sqlCopybooks = new Set(['SQLCA', 'SQLDA']);

/** The vocabulary a copybook belongs to when the product supplies it (found or not), else undefined. */
export function systemCopybookVocabulary(name: string): SuppliedVocabulary | undefined {
  const upper = name.toUpperCase();
  if (cicsCopybooks.has(upper)) return 'CICS';
  if (sqlCopybooks.has(upper)) return 'SQL';
  if (/^CMQ[A-Z0-9]*$/.test(upper)) return 'MQ';
  if (upper === 'DLIUIB') return 'DLI';
  if (upper === 'SCREENIO' || upper === 'XFHFCD' || upper === 'XFHFCD3') return 'GNUCOBOL';
  return undefined;
}

export const vocabularyProducts: Record<SuppliedVocabulary, string> = { SQL: 'the DB2 precompiler', CICS: 'CICS', DLI: 'IMS', MQ: 'IBM MQ', GNUCOBOL: 'GnuCOBOL' };

/** Whether `name` (upper case) is supplied in a program that speaks these vocabularies. */
export function isSuppliedName(name: string, vocabularies: ReadonlySet<string>): boolean {
  if (vocabularies.has('SQL') && (sqlRegisters.has(name) || sqldaFields.has(name))) return true;
  // CICS programs use the DFH names of the copybooks CICS supplies (DFHAID, DFHBMSCA) without shipping them.
  if (vocabularies.has('CICS') && (cicsRegisters.has(name) || name.startsWith('DFH'))) return true;
  if (vocabularies.has('DLI') && dliNames.has(name)) return true;
  // MQ's copybooks declare MQ-prefixed constants and structure fields (MQCC-OK, MQOD-OBJECTNAME, MQMD, …).
  if (vocabularies.has('MQ') && name.startsWith('MQ')) return true;
  // GnuCOBOL's screenio.cpy: COB-COLOR-…, COB-SCR-…, COB-ALLOW-… and the like.
  if (vocabularies.has('GNUCOBOL') && name.startsWith('COB-')) return true;
  return false;
}
