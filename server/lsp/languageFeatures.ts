/**
 * The COBOL language features on an LSP connection: diagnostics (published
 * into copybooks too), outline, workspace symbols, definition, declaration,
 * references, highlights, hover, completion, rename and folding, plus the
 * background workspace index kept current through watched-file events.
 * `server.ts` creates this once and forwards the document life cycle.
 */
import * as path from 'node:path';
import {
  type ClientCapabilities,
  CodeActionKind,
  type Connection,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type InitializeParams,
  ResponseError,
  type ServerCapabilities,
  SymbolKind,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../cobol';
import type { Settings } from '../settings';
import { Workspace } from '../workspace';
import { runCobc } from './cobcCheck';
import { codeActions, explainMissingCopybooks } from './codeActions';
import { complete } from './completion';
import { completionListFor, nameRangeBefore } from './completionRange';
import { toLspDiagnostic } from './convert';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { documentSymbols, foldingRanges } from './documentSymbols';
import { definitionFromPrograms, referencesFromPrograms } from './copybookReferences';
import { definition, highlights, hover, type NavigationContext, references, symbolAt } from './navigationFeatures';
import { prepareRename, rename } from './rename';
import { guarded } from './guarded';
import { lspDocuments } from './lspDocuments';
import { UriMapper } from './uris';

export interface LanguageFeatures {
  capabilities: ServerCapabilities;
  initialize(params: InitializeParams): void;
  initialized(): void;
  /** Analyses an open document and publishes its diagnostics (called by the debounced scheduler). */
  validate(uri: string): Promise<void>;
  opened(uri: string): void;
  closed(uri: string): void;
  /** A document was saved: runs cobc on it when the settings ask for that. */
  saved(uri: string): Promise<void>;
  /** Open documents that copy the file at `uri` and must be re-analysed when it changes. */
  dependents(uri: string): string[];
  /** The workspace layer the features answer from (the completion engine and the agent use it too). */
  workspace: Workspace;
  uris: UriMapper;
}

const symbolKinds: Record<string, SymbolKind> = {
  program: SymbolKind.Module, data: SymbolKind.Field, condition: SymbolKind.EnumMember, index: SymbolKind.Variable,
  file: SymbolKind.File, paragraph: SymbolKind.Method, section: SymbolKind.Class, 'special-name': SymbolKind.Constant,
};

export function createLanguageFeatures(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settingsFor: (uri: string) => Promise<Settings>,
  reschedule: (uri: string) => void,
): LanguageFeatures {
  const uris = new UriMapper();
  const workspace = new Workspace({ documents: lspDocuments(documents, uris), settingsFor: (id) => settingsFor(uris.toUri(id)) });
  const log = (message: string) => connection.console.error(message);
  const publisher = new DiagnosticsPublisher((uri, diagnostics, version) => {
    void connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
  });
  let client: ClientCapabilities = {};
  const cobcRuns = new Map<string, number>();
  let cobcProblemReported = false;

  /** The analysis a request works on; requests never wait for the debounce. */
  const contextFor = async (uri: string): Promise<NavigationContext | undefined> => {
    const id = uris.toId(uri);
    const analysis = await workspace.analysis(id);
    return analysis ? { analysis, uri, id, uris } : undefined;
  };

  const publish = (uri: string, analysis: Analysis, version: number) => {
    const byTarget = new Map<string, ReturnType<typeof toLspDiagnostic>[]>();
    for (const diagnostic of analysis.diagnostics) {
      const target = diagnostic.file === analysis.id ? uri : uris.toUri(diagnostic.file);
      let list = byTarget.get(target);
      if (!list) byTarget.set(target, (list = []));
      list.push(toLspDiagnostic(diagnostic));
    }
    if (!byTarget.has(uri)) byTarget.set(uri, []);
    explainMissingCopybooks(analysis, byTarget.get(uri)!, uri, workspace.index, (id) => uris.toUri(id));
    publisher.update(uri, byTarget, version);
  };

  connection.onDocumentSymbol(guarded(log, 'Document symbols', [], async ({ textDocument }) => {
    const context = await contextFor(textDocument.uri);
    return context ? documentSymbols(context.analysis) : [];
  }));
  connection.onFoldingRanges(guarded(log, 'Folding ranges', [], async ({ textDocument }) => {
    const context = await contextFor(textDocument.uri);
    return context ? foldingRanges(context.analysis) : [];
  }));
  connection.onDefinition(guarded(log, 'Definition', [], async ({ textDocument, position }) => {
    const context = await contextFor(textDocument.uri);
    if (!context) return [];
    const found = definition(context, position, workspace.index);
    if (found.length > 0 || !context.analysis.fragment) return found;
    // A copybook on its own (PROCEDURE DIVISION code, say) uses names its programs declare.
    const settings = await settingsFor(textDocument.uri);
    return definitionFromPrograms(context.id, position, workspace.index, (programId) => workspace.analyseFile(programId, settings), (id) => uris.toUri(id));
  }));
  connection.onDeclaration(guarded(log, 'Declaration', [], async ({ textDocument, position }) => {
    const context = await contextFor(textDocument.uri);
    return context ? definition(context, position, workspace.index) : [];
  }));
  connection.onReferences(guarded(log, 'References', [], async ({ textDocument, position, context: options }) => {
    const context = await contextFor(textDocument.uri);
    if (!context) return [];
    const found = references(context, position, options.includeDeclaration);
    const target = context.analysis.fragment ? symbolAt(context, position)?.symbol : undefined;
    if (!target || target.declaration.file !== 0) return found;
    // A copybook on its own: its names are used by the programs that copy it.
    const settings = await settingsFor(textDocument.uri);
    const fromPrograms = referencesFromPrograms(context.id, target, workspace.index, (programId) => workspace.analyseFile(programId, settings), (id) => uris.toUri(id));
    return [...found, ...fromPrograms];
  }));
  connection.onDocumentHighlight(guarded(log, 'Highlights', [], async ({ textDocument, position }) => {
    const context = await contextFor(textDocument.uri);
    return context ? highlights(context, position) : [];
  }));
  connection.onHover(guarded(log, 'Hover', null, async ({ textDocument, position }) => {
    const context = await contextFor(textDocument.uri);
    return context ? (hover(context, position) ?? null) : null;
  }));
  connection.onCompletion(guarded(log, 'Completion', [], ({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    const lineText = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
    const text = lineText.replace(/\r?\n$/, '');
    // The last analysis is good enough for names and keeps completion instant while typing.
    const items = complete(workspace.latestAnalysis(uris.toId(textDocument.uri)), text, position.line, position.character);
    const editRangeDefault = client.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange') === true;
    return completionListFor(items, nameRangeBefore(text, position.line, position.character), editRangeDefault);
  }));
  connection.onCodeAction(guarded(log, 'Code actions', [], async ({ textDocument, context: { diagnostics } }) => {
    const context = await contextFor(textDocument.uri);
    const document = documents.get(textDocument.uri);
    if (!context || !document) return [];
    const settings = await settingsFor(textDocument.uri);
    return codeActions({ analysis: context.analysis, uri: textDocument.uri, text: document.getText(), format: settings.sourceFormat, index: workspace.index, roots: workspace.roots, copybookPaths: settings.copybookPaths }, diagnostics);
  }));
  connection.onPrepareRename(guarded(log, 'Prepare rename', null, async ({ textDocument, position }) => {
    const context = await contextFor(textDocument.uri);
    if (!context) return null;
    const result = prepareRename(context, position);
    if (result instanceof ResponseError) throw result;
    return result;
  }));
  connection.onRenameRequest(guarded(log, 'Rename', null, async ({ textDocument, position, newName }) => {
    const context = await contextFor(textDocument.uri);
    if (!context) return null;
    const settings = await settingsFor(textDocument.uri);
    const result = rename(context, position, newName, {
      text: (id) => workspace.text(id),
      format: settings.sourceFormat,
      // A name declared in a copybook is also used by the other programs that copy it: rename it there too.
      usesElsewhere: (symbol) => {
        const copybookId = context.analysis.files[symbol.declaration.file]?.id;
        if (!copybookId || (symbol.declaration.file === 0 && !context.analysis.fragment)) return [];
        return referencesFromPrograms(copybookId, symbol, workspace.index, (programId) =>
          programId === context.id ? undefined : workspace.analyseFile(programId, settings), (id) => uris.toUri(id));
      },
    });
    if (result instanceof ResponseError) throw result;
    return result;
  }));
  connection.onWorkspaceSymbol(guarded(log, 'Workspace symbols', [], ({ query }) =>
    workspace.index.search(query).map((symbol) => ({
      name: symbol.name,
      kind: symbolKinds[symbol.kind] ?? SymbolKind.Variable,
      location: { uri: uris.toUri(symbol.file), range: symbol.range },
      ...(symbol.container ? { containerName: symbol.container } : {}),
    })),
  ));
  connection.onDidChangeWatchedFiles(({ changes }) => {
    const affected = workspace.filesChanged(changes.map((change) => ({ id: uris.toId(change.uri), deleted: change.type === FileChangeType.Deleted })));
    for (const id of affected) reschedule(uris.toUri(id));
  });

  return {
    capabilities: {
      documentSymbolProvider: { label: 'COBOL' },
      workspaceSymbolProvider: true,
      definitionProvider: true,
      declarationProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      hoverProvider: true,
      // Not '-': a hyphen continues a COBOL name, so the list keeps filtering on the whole name.
      completionProvider: { triggerCharacters: [' '] },
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      foldingRangeProvider: true,
    },
    workspace,
    uris,
    initialize(params) {
      client = params.capabilities;
      const folders = params.workspaceFolders?.map((folder) => uris.toId(folder.uri)) ?? (params.rootUri ? [uris.toId(params.rootUri)] : []);
      workspace.setRoots(folders);
    },
    initialized() {
      if (client.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{cbl,CBL,cob,COB,cobol,COBOL,cpy,CPY,copy,COPY}' }, { globPattern: '**/copybooks/**' }],
        });
      }
      void workspace.startIndexing();
    },
    async validate(uri) {
      const document = documents.get(uri);
      if (!document) return;
      const version = document.version;
      const settings = await settingsFor(uri);
      const current = documents.get(uri);
      if (!current || current.version !== version) return; // superseded by a newer edit
      const id = uris.toId(uri);
      const analysis = workspace.analysisWith(id, settings);
      if (!analysis) return;
      publish(uri, analysis, version);
      workspace.documentAnalysed(id);
    },
    opened(uri) {
      uris.opened(uri);
    },
    async saved(uri) {
      const settings = await settingsFor(uri);
      const file = uris.toId(uri);
      const source = `cobc:${uri}`;
      if (!settings.cobcEnabled || !path.isAbsolute(file)) {
        publisher.remove(source);
        return;
      }
      const run = (cobcRuns.get(uri) ?? 0) + 1;
      cobcRuns.set(uri, run);
      const analysis = workspace.analysisWith(file, settings);
      const free = analysis?.files[0]?.format === 'free';
      const result = await runCobc({ command: settings.cobcPath, file, includeFolders: workspace.copybookFolders(file, settings), free, timeoutMs: 20_000 });
      if (cobcRuns.get(uri) !== run || !documents.get(uri)) return; // saved again, or closed, meanwhile
      if (!result.ok) {
        if (!cobcProblemReported) connection.window.showWarningMessage(`COBOL Assist: ${result.reason}`);
        cobcProblemReported = true;
        return;
      }
      const byTarget = new Map<string, ReturnType<typeof toLspDiagnostic>[]>();
      for (const message of result.messages) {
        const target = message.file === file ? uri : uris.toUri(message.file);
        const lineText = documents.get(target)?.getText({ start: { line: message.line, character: 0 }, end: { line: message.line + 1, character: 0 } }) ?? '';
        const start = Math.max(0, lineText.search(/\S/));
        const end = Math.max(start + 1, lineText.replace(/\s+$/, '').length);
        (byTarget.get(target) ?? byTarget.set(target, []).get(target)!).push({
          range: { start: { line: message.line, character: start }, end: { line: message.line, character: end } },
          severity: message.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
          code: `cobc/${message.severity}`,
          source: 'cobc',
          message: message.message,
        });
      }
      publisher.update(source, byTarget, undefined);
    },
    closed(uri) {
      cobcRuns.delete(uri);
      publisher.remove(`cobc:${uri}`);
      workspace.closed(uris.toId(uri));
      publisher.remove(uri);
      uris.closed(uri);
    },
    dependents(uri) {
      return workspace.dependents(uris.toId(uri)).map((id) => uris.toUri(id));
    },
  };
}

