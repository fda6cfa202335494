/**
 * Column guides for fixed-format COBOL, drawn only where the server reads a
 * line in fixed format: the sequence area (columns 1-6) and the
 * identification area (73-80) are shaded, with a rule at column 73. Editor
 * rulers cannot differ per file, so the extension no longer sets them for
 * COBOL: free-format files get no guides.
 */
import * as vscode from 'vscode';
import { sourceFormatRequest } from '../server/protocol';
import type { ServerClient } from './serverClient';

const sequenceArea = vscode.window.createTextEditorDecorationType({
  backgroundColor: 'rgba(128, 128, 128, 0.12)',
  opacity: '0.7',
});
const identificationArea = vscode.window.createTextEditorDecorationType({
  backgroundColor: 'rgba(128, 128, 128, 0.12)',
  opacity: '0.7',
  borderWidth: '0 0 0 1px',
  borderStyle: 'solid',
  borderColor: new vscode.ThemeColor('editorRuler.foreground'),
});
/** Beyond this many lines the guides cover only the visible part, refreshed on scroll. */
const wholeDocumentLimit = 5_000;

export function registerColumnGuides(client: ServerClient): vscode.Disposable[] {
  const timers = new Map<vscode.TextEditor, NodeJS.Timeout>();

  const refresh = async (editor: vscode.TextEditor) => {
    const { document } = editor;
    if (document.languageId !== 'cobol') return;
    const result = await client.request(sourceFormatRequest, { uri: document.uri.toString() });
    if (!result) return;
    const visible = document.lineCount > wholeDocumentLimit ? editor.visibleRanges : [new vscode.Range(0, 0, document.lineCount, 0)];
    const sequence: vscode.Range[] = [];
    const identification: vscode.Range[] = [];
    for (const { start, end } of result.fixedLines) {
      for (const range of visible) {
        for (let line = Math.max(start, range.start.line); line <= Math.min(end, range.end.line, document.lineCount - 1); line++) {
          const length = document.lineAt(line).text.length;
          if (length > 0) sequence.push(new vscode.Range(line, 0, line, Math.min(length, 6)));
          if (length > 72) identification.push(new vscode.Range(line, 72, line, length));
        }
      }
    }
    editor.setDecorations(sequenceArea, sequence);
    editor.setDecorations(identificationArea, identification);
  };

  const schedule = (editor: vscode.TextEditor | undefined, delayMs = 150) => {
    if (!editor || editor.document.languageId !== 'cobol') return;
    clearTimeout(timers.get(editor));
    timers.set(editor, setTimeout(() => {
      timers.delete(editor);
      void refresh(editor);
    }, delayMs));
  };

  // The server may start after the first editor shows: try again shortly.
  for (const delay of [300, 2000]) setTimeout(() => vscode.window.visibleTextEditors.forEach((editor) => schedule(editor, 0)), delay);
  return [
    sequenceArea,
    identificationArea,
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((editor) => schedule(editor, 0))),
    vscode.workspace.onDidChangeTextDocument((event) => vscode.window.visibleTextEditors.filter((editor) => editor.document === event.document).forEach((editor) => schedule(editor))),
    vscode.window.onDidChangeTextEditorVisibleRanges((event) => {
      if (event.textEditor.document.lineCount > wholeDocumentLimit) schedule(event.textEditor);
    }),
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  ];
}
