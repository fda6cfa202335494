/** Conversions between the front end's types and LSP's. Only `server/lsp/` knows LSP. */
import { Diagnostic as LspDiagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic, Severity } from '../cobol/diagnostic';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(diagnostic: Diagnostic): LspDiagnostic {
  return {
    range: diagnostic.range,
    severity: severities[diagnostic.severity],
    code: diagnostic.code,
    source: 'cobol-assist',
    message: diagnostic.message,
  };
}
