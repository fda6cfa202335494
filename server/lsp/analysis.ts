/**
 * What the server computes for one document. The single entry point from the
 * LSP layer into the COBOL front end, so later stages (copybooks, parser,
 * semantic index) plug in here without touching the LSP wiring.
 */
import type { Diagnostic } from '../cobol/diagnostic';
import { checkLayout, detectSourceFormat, splitLines } from '../cobol/sourceFormat';
import type { Settings } from '../settings';

export function analyseDocument(text: string, settings: Settings): Diagnostic[] {
  const lines = splitLines(text);
  const format = settings.sourceFormat === 'auto' ? detectSourceFormat(lines) : settings.sourceFormat;
  return checkLayout(lines, { format, checkSequenceArea: settings.checkSequenceArea });
}
