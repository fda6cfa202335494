/**
 * LSP's open documents as the workspace layer's `OpenDocuments`, keyed by
 * file id (see uris.ts for the id of a URI).
 */
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OpenDocuments } from '../workspace';
import type { UriMapper } from './uris';

export function lspDocuments(documents: TextDocuments<TextDocument>, uris: UriMapper): OpenDocuments {
  return {
    get(id) {
      const document = documents.get(uris.toUri(id));
      return document && { id, version: document.version, getText: () => document.getText() };
    },
    ids: () => documents.all().map((document) => uris.toId(document.uri)),
  };
}
