/**
 * The documents an editor (or a command, or the agent) holds open, keyed by
 * the front end's file ids (a file path, or any URI for unsaved text). Their
 * text wins over the disk: unsaved edits count everywhere, copybooks included.
 *
 * The language server adapts LSP's `TextDocuments` to this interface
 * (`server/lsp/lspDocuments.ts`); the command line and tests use
 * `MemoryDocuments`.
 */

export interface OpenDocument {
  readonly id: string;
  /** Grows with every change; an analysis is kept per version. */
  readonly version: number;
  getText(): string;
}

export interface OpenDocuments {
  get(id: string): OpenDocument | undefined;
  /** Ids of every open document. */
  ids(): string[];
}

/** Open documents held in memory (command line, tests, the agent's proposed edits). */
export class MemoryDocuments implements OpenDocuments {
  private readonly documents = new Map<string, { text: string; version: number }>();

  /** Opens or changes a document; its version goes up by one. */
  set(id: string, text: string): void {
    const version = (this.documents.get(id)?.version ?? 0) + 1;
    this.documents.set(id, { text, version });
  }

  delete(id: string): void {
    this.documents.delete(id);
  }

  get(id: string): OpenDocument | undefined {
    const document = this.documents.get(id);
    return document && { id, version: document.version, getText: () => document.text };
  }

  ids(): string[] {
    return [...this.documents.keys()];
  }
}
