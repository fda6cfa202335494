/**
 * The LSP side of fixed-format typing (`server/cobol/fixedFormatTyping.ts`):
 * answers `cobolAssist/layoutAfterEdit`, `cobolAssist/toggleComment` and
 * `cobolAssist/sourceFormat` (for the column guides) from the open document's text. The extension sends these after the user's
 * edits and applies the answer only to the version it was computed for.
 */
import type { Connection, TextDocuments, TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { detectSourceFormat, formatsByLine, layoutAfterChange, type LineEdit, splitLines, toggleComment, type TypingDocument } from '../cobol';
import { layoutAfterEditRequest, sourceFormatRequest, toggleCommentRequest } from '../protocol';
import type { Settings } from '../settings';

/** How long a request waits for the document version it names (the didChange is on its way). */
const versionWaitMs = 300;

export function registerFixedFormatEditing(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settingsFor: (uri: string) => Promise<Settings>,
): void {
  // The extension may send its request before the client's didChange for the same edit: wait briefly for that version.
  const waiting = new Set<{ uri: string; version: number; done: () => void }>();
  documents.onDidChangeContent(({ document }) => {
    for (const waiter of waiting) if (waiter.uri === document.uri && document.version >= waiter.version) waiter.done();
  });
  const versionOf = (uri: string, version: number): Promise<TextDocument | undefined> => {
    const document = documents.get(uri);
    if (!document || document.version >= version) return Promise.resolve(document);
    return new Promise((resolve) => {
      const waiter = {
        uri,
        version,
        done: () => {
          clearTimeout(timer);
          waiting.delete(waiter);
          resolve(documents.get(uri));
        },
      };
      const timer = setTimeout(waiter.done, versionWaitMs);
      waiting.add(waiter);
    });
  };

  const typingDocument = async (uri: string, version: number): Promise<TypingDocument | undefined> => {
    const document = await versionOf(uri, version);
    if (!document || document.version !== version) return undefined;
    const { sourceFormat } = await settingsFor(uri);
    const lines = splitLines(document.getText());
    const formats = formatsByLine(lines, sourceFormat === 'auto' ? detectSourceFormat(lines) : sourceFormat);
    return { lineCount: lines.length, line: (index) => lines[index] ?? '', format: (index) => formats[index] ?? 'fixed' };
  };

  connection.onRequest(layoutAfterEditRequest, async ({ uri, version, change }) => {
    const document = await typingDocument(uri, version);
    if (!document) return null;
    const result = layoutAfterChange(document, change);
    return { edits: result.edits.map(toTextEdit), ...(result.cursor ? { cursor: result.cursor } : {}), ...(result.message ? { message: result.message } : {}) };
  });

  connection.onRequest(sourceFormatRequest, async ({ uri }) => {
    const document = documents.get(uri);
    if (!document) return null;
    const typing = await typingDocument(uri, document.version);
    if (!typing) return null;
    const fixedLines: { start: number; end: number }[] = [];
    for (let line = 0; line < typing.lineCount; line++) {
      if (typing.format(line) !== 'fixed') continue;
      const last = fixedLines[fixedLines.length - 1];
      if (last && last.end === line - 1) last.end = line;
      else fixedLines.push({ start: line, end: line });
    }
    return { fixedLines };
  });

  connection.onRequest(toggleCommentRequest, async ({ uri, version, startLine, endLine }) => {
    const document = await typingDocument(uri, version);
    if (!document) return [];
    return toggleComment(document, startLine, endLine)?.map(toTextEdit) ?? null;
  });
}

function toTextEdit(edit: LineEdit): TextEdit {
  return { range: { start: { line: edit.line, character: edit.start }, end: { line: edit.line, character: edit.end } }, newText: edit.text };
}
