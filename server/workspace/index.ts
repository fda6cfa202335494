/**
 * The workspace layer (see workspace.ts): documents, analyses, the workspace
 * index, copybook lookup and settings, in front-end types. May import
 * `server/cobol` and `server/settings.ts`; never LSP, never `vscode`.
 */
export { Workspace } from './workspace';
export type { FileChange, WorkspaceOptions } from './workspace';
export { MemoryDocuments } from './openDocuments';
export type { OpenDocument, OpenDocuments } from './openDocuments';
export { isCobolFile } from './workspaceIndexer';
