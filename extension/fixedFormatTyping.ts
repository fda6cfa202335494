/**
 * Keeps fixed-format columns while the user types: after each edit of a
 * COBOL document in the active editor (a keystroke, Enter, a paste) it asks
 * the server for the edits that keep columns 73-80 in place, and applies
 * them to that same version only, in the same undo step. Also the fixed-format
 * toggle comment (`*` in column 7), bound to Ctrl+/ for COBOL. The column
 * rules live in the server (`server/cobol/fixedFormatTyping.ts`); this file
 * only forwards edits and applies answers.
 */
import * as vscode from 'vscode';
import { layoutAfterEditRequest, type LayoutAfterEditResult, toggleCommentRequest } from '../server/protocol';
import type { ServerClient } from './serverClient';

export function registerFixedFormatTyping(client: ServerClient, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const warned = new Set<string>();
  type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
  const signature = (range: Range, text: string) => `${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}:${text}`;

  /**
   * Our own edits in flight, recognised by their changes when they arrive
   * rather than by a flag held while the editor answers: a keystroke in that
   * time must not be mistaken for ours. `settle` runs when ours is seen applied.
   */
  const ownEdits: { keys: string; settle: () => void }[] = [];
  const keysOf = (changes: readonly { range: Range; text: string }[]) => changes.map((change) => signature(change.range, change.text)).sort().join('|');
  const isOwn = (event: vscode.TextDocumentChangeEvent) => {
    const keys = keysOf(event.contentChanges);
    const index = ownEdits.findIndex((own) => own.keys === keys);
    if (index < 0) return false;
    const [own] = ownEdits.splice(index, 1);
    own.settle();
    return true;
  };

  /**
   * Keystrokes on one line whose layout edit is not applied yet. Each request
   * carries all of them (only their start and lengths matter to the column
   * rules); when its edit is seen applied, the keystrokes it covered are
   * settled, and keystrokes typed meanwhile stay for the next request. So an
   * answer dropped for an older version loses nothing, and none is counted twice.
   */
  interface Batch {
    line: number;
    start: number;
    inserted: number;
    removed: number;
  }
  const pending = new Map<string, Batch>();

  const onChange = async (event: vscode.TextDocumentChangeEvent) => {
    const { document } = event;
    if (document.languageId !== 'cobol' || event.contentChanges.length === 0 || isOwn(event)) return;
    if (event.reason !== undefined || event.contentChanges.length !== 1) return;
    const editor = vscode.window.activeTextEditor;
    if (editor?.document !== document) return; // an edit from elsewhere (rename, an agent) already fits the layout
    const [change] = event.contentChanges;
    const key = document.uri.toString();
    const { start, end } = change.range;
    let sent = { range: { start: change.range.start, end: change.range.end }, text: change.text };
    let settle = () => {};
    if (start.line === end.line && !/[\r\n]/.test(change.text)) {
      const previous = pending.get(key);
      const batch: Batch = previous && previous.line === start.line ? previous : { line: start.line, start: start.character, inserted: 0, removed: 0 };
      batch.start = Math.min(batch.start, start.character);
      batch.inserted += change.text.length;
      batch.removed += end.character - start.character;
      pending.set(key, batch);
      const covered = { inserted: batch.inserted, removed: batch.removed };
      sent = { range: { start: new vscode.Position(batch.line, batch.start), end: new vscode.Position(batch.line, batch.start + batch.removed) }, text: 'x'.repeat(batch.inserted) };
      settle = () => {
        batch.inserted -= covered.inserted;
        batch.removed -= covered.removed;
        if (batch.inserted === 0 && batch.removed === 0 && pending.get(key) === batch) pending.delete(key);
      };
    } else {
      pending.delete(key);
    }
    const version = document.version;
    const result = await client.request(layoutAfterEditRequest, { uri: key, version, change: sent });
    log.trace(`layout after edit v${version} (document now v${document.version}): ${JSON.stringify(result)}`);
    if (!result || document.version !== version || vscode.window.activeTextEditor !== editor) return;
    if (result.edits.length === 0) settle(); // nothing to fix for these keystrokes
    await apply(editor, result, version, settle);
    if (result.message) {
      vscode.window.setStatusBarMessage(`$(warning) ${result.message}`, 10_000);
      const said = `${key}:${result.message}`;
      if (!warned.has(said)) {
        warned.add(said);
        void vscode.window.showWarningMessage(`COBOL Assist: ${result.message}`);
      }
    }
  };

  const apply = async (editor: vscode.TextEditor, result: LayoutAfterEditResult, version: number, settle: () => void) => {
    if (result.edits.length > 0) {
      const own = { keys: keysOf(result.edits.map((edit) => ({ range: edit.range, text: edit.newText }))), settle };
      ownEdits.push(own);
      const done = await editor.edit(
        (builder) => {
          for (const edit of result.edits) builder.replace(toRange(edit.range), edit.newText);
        },
        { undoStopBefore: false, undoStopAfter: false },
      );
      const index = ownEdits.indexOf(own);
      if (index >= 0) ownEdits.splice(index, 1); // not seen applied (the document moved on): its keystrokes stay pending
      if (!done || editor.document.version !== version + 1) return;
    }
    if (result.cursor) {
      const position = new vscode.Position(result.cursor.line, result.cursor.character);
      editor.selection = new vscode.Selection(position, position);
    }
  };

  const toggleLineComment = async (): Promise<unknown> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'cobol') return vscode.commands.executeCommand('editor.action.commentLine');
    const { document } = editor;
    const version = document.version;
    const ranges = editor.selections.map((selection) => {
      // A selection ending at the start of a line does not include that line, as in VS Code's own toggle.
      const endLine = !selection.isEmpty && selection.end.character === 0 ? selection.end.line - 1 : selection.end.line;
      return { startLine: selection.start.line, endLine: Math.max(selection.start.line, endLine) };
    });
    const answers = await Promise.all(ranges.map((range) => client.request(toggleCommentRequest, { uri: document.uri.toString(), version, ...range })));
    if (answers.some((answer) => answer === null) || answers.some((answer) => answer === undefined)) {
      return vscode.commands.executeCommand('editor.action.commentLine'); // free format, or no server: the editor's `*>`
    }
    if (document.version !== version) return;
    // A comment toggle is not typing: its change is a multi-change or column-7 edit the layout rules leave alone.
    const seen = new Set<number>();
    await editor.edit((builder) => {
      for (const edits of answers) {
        for (const edit of edits ?? []) {
          if (seen.has(edit.range.start.line)) continue; // overlapping selections
          seen.add(edit.range.start.line);
          builder.replace(toRange(edit.range), edit.newText);
        }
      }
    });
    return undefined;
  };

  return [
    vscode.workspace.onDidChangeTextDocument((event) => void onChange(event)),
    vscode.commands.registerCommand('cobolAssist.toggleLineComment', toggleLineComment),
  ];
}

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
