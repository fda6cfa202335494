/**
 * The agent in the extension: commands that start tasks from the editor
 * (rename, widen, extract from the cursor or selection; a free-form goal),
 * the panel, the apply step (the server's change shown in VS Code's refactor
 * preview, every entry needing confirmation; files that had no unsaved edits
 * are saved after applying, so the change reaches the disk and stays
 * undoable), past tasks, log export, restore and the planner's API key in
 * SecretStorage. Understands no COBOL: the server's engine decides everything.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  type AgentEvent,
  agentApplyEditRequest,
  agentPreferencesRequest,
  agentRestoreRequest,
  agentTask,
  agentTasksRequest,
  type Goal,
  type PreferenceNote,
} from '../server/agentProtocol';
import { AgentPanel } from './agentPanel';
import type { ServerClient } from './serverClient';

const apiKeySecret = 'cobolAssist.agent.plannerApiKey';

export class AgentController implements vscode.Disposable {
  private events: AgentEvent[] = [];
  private notes: PreferenceNote[] = [];
  /** An apply step is showing its refactor preview. */
  private previewOpen = false;
  private readonly panel: AgentPanel;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: ServerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.panel = new AgentPanel(context.extensionUri, {
      ready: () => this.panel.reset(this.events, this.notes),
      decide: (decision) => void this.decide(decision),
      notes: (change) => void this.changeNotes(change),
    });
    server.onClient((client) => this.attach(client));
  }

  commands(): Record<string, () => unknown> {
    return {
      'cobolAssist.agent.showPanel': () => this.showPanel(),
      'cobolAssist.agent.renameSymbol': () => this.startFromEditor('rename'),
      'cobolAssist.agent.widenField': () => this.startFromEditor('widen'),
      'cobolAssist.agent.extractParagraph': () => this.startFromEditor('extract'),
      'cobolAssist.agent.freeform': () => this.startFreeform(),
      'cobolAssist.agent.approve': () => this.decide('approve'),
      'cobolAssist.agent.reject': () => this.decide('reject'),
      'cobolAssist.agent.stop': () => this.decide('stop'),
      'cobolAssist.agent.pastTasks': () => this.pastTasks(),
      'cobolAssist.agent.exportLog': () => this.exportLog(),
      'cobolAssist.agent.restore': () => this.restore(),
      'cobolAssist.agent.setPlannerApiKey': () => this.setApiKey(),
    };
  }

  private attach(client: LanguageClient): void {
    client.onNotification(agentTask.event, (event) => {
      if (event.seq === 0 || this.events[0]?.taskId !== event.taskId) this.events = [];
      this.events.push(event);
      this.panel.event(event);
      if (event.type === 'state' && event.message && ['failed', 'stopped'].includes(event.state)) this.log.warn(`Agent: ${event.message}`);
      // Stop while the preview is open: discard it, so a stopped task cannot still be applied.
      if (event.type === 'state' && event.state === 'stopped' && this.previewOpen) void vscode.commands.executeCommand('refactorPreview.discard');
    });
    client.onRequest(agentApplyEditRequest, (params) => this.applyEdit(params));
  }

  private async showPanel(): Promise<void> {
    await this.refreshNotes();
    this.panel.show(false);
  }

  private client(): LanguageClient {
    const client = this.server.running;
    if (!client) throw new Error('The COBOL Assist language server is not running.');
    return client;
  }

  private async start(goal: Goal): Promise<void> {
    await this.refreshNotes();
    this.panel.show();
    try {
      const plannerApiKey = goal.kind === 'freeform' ? await this.context.secrets.get(apiKeySecret) : undefined;
      const { taskId } = await this.client().sendRequest(agentTask.start, { goal, ...(plannerApiKey ? { plannerApiKey } : {}) });
      this.log.info(`Agent task ${taskId} started.`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.panel.notice(message);
      void vscode.window.showWarningMessage(`COBOL Assist agent: ${message}`);
    }
  }

  private async startFromEditor(kind: 'rename' | 'widen' | 'extract'): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const folder = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
    if (!editor || !folder) {
      void vscode.window.showWarningMessage('COBOL Assist agent: open a COBOL file of the workspace first.');
      return;
    }
    const file = vscode.workspace.asRelativePath(editor.document.uri, false);
    if (kind === 'extract') {
      const { start, end } = editor.selection;
      const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
      const paragraph = await vscode.window.showInputBox({ title: `Extract lines ${start.line + 1}-${lastLine + 1} into a paragraph`, prompt: 'New paragraph name', validateInput: cobolName });
      if (paragraph) await this.start({ kind: 'extract', file, fromLine: start.line + 1, toLine: lastLine + 1, paragraph });
      return;
    }
    const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[A-Za-z0-9][A-Za-z0-9-]*/);
    const name = range && editor.document.getText(range);
    if (!name) {
      void vscode.window.showWarningMessage('COBOL Assist agent: put the cursor on a name.');
      return;
    }
    if (kind === 'rename') {
      const newName = await vscode.window.showInputBox({ title: `Rename ${name.toUpperCase()} everywhere`, prompt: 'New name', value: name, validateInput: cobolName });
      if (newName) await this.start({ kind: 'rename', file, name, newName });
    } else {
      const picture = await vscode.window.showInputBox({ title: `Widen ${name.toUpperCase()}`, prompt: 'New PICTURE, e.g. 9(10) or X(40)' });
      if (picture) await this.start({ kind: 'widen', file, name, picture: picture.replace(/^PIC(TURE)?\s+/i, '') });
    }
  }

  private async startFreeform(): Promise<void> {
    const text = await vscode.window.showInputBox({ title: 'COBOL Assist agent', prompt: 'What should the agent do? It shows its plan before it changes anything.' });
    if (text?.trim()) await this.start({ kind: 'freeform', text: text.trim() });
  }

  private async decide(decision: 'approve' | 'reject' | 'stop' | 'continue'): Promise<void> {
    const taskId = this.events[0]?.taskId;
    if (!taskId) return;
    try {
      const answer = await this.client().sendRequest(agentTask.decide, { taskId, decision });
      if (!answer.accepted && answer.message) this.panel.notice(answer.message);
    } catch (error) {
      this.panel.notice(String(error));
    }
  }

  private async applyEdit(params: { label: string; files: { uri: string; file: string; edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] }[] }): Promise<{ applied: boolean; reason?: string }> {
    const edit = new vscode.WorkspaceEdit();
    const wasDirty = new Set(vscode.workspace.textDocuments.filter((document) => document.isDirty).map((document) => document.uri.toString()));
    for (const file of params.files) {
      const uri = vscode.Uri.parse(file.uri);
      const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: true, label: file.file, description: params.label };
      for (const change of file.edits) {
        const range = new vscode.Range(change.range.start.line, change.range.start.character, change.range.end.line, change.range.end.character);
        edit.replace(uri, range, change.newText, metadata);
      }
    }
    this.previewOpen = true;
    let applied: boolean;
    try {
      applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
    } finally {
      this.previewOpen = false;
    }
    if (!applied) return { applied: false, reason: 'discarded (or nothing confirmed) in the refactor preview' };
    for (const file of params.files) {
      if (wasDirty.has(vscode.Uri.parse(file.uri).toString())) continue; // the user's own unsaved edits stay theirs to save
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === vscode.Uri.parse(file.uri).toString());
      if (document?.isDirty) await document.save();
    }
    return { applied: true };
  }

  private async refreshNotes(): Promise<void> {
    try {
      this.notes = await this.client().sendRequest(agentPreferencesRequest, { action: 'list' });
      this.panel.notes(this.notes);
    } catch {
      // Server not up yet: the notes come with the next refresh.
    }
  }

  private async changeNotes(change: { action: 'add'; text: string } | { action: 'edit'; id: string; text: string } | { action: 'delete'; id: string }): Promise<void> {
    try {
      this.notes = await this.client().sendRequest(agentPreferencesRequest, change);
      this.panel.notes(this.notes);
    } catch (error) {
      this.panel.notice(error instanceof Error ? error.message : String(error));
    }
  }

  private async pickTask(title: string): Promise<string | undefined> {
    const { tasks } = await this.client().sendRequest(agentTasksRequest, {});
    if (tasks.length === 0) {
      void vscode.window.showInformationMessage('COBOL Assist agent: no tasks yet in this workspace.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(tasks.map((task) => ({ label: task.goal, description: `${task.state} · ${task.startedAt.replace('T', ' ').slice(0, 19)}`, taskId: task.taskId })), { title });
    return picked?.taskId;
  }

  private async pastTasks(): Promise<void> {
    const taskId = await this.pickTask('Past agent tasks');
    if (!taskId) return;
    const { events } = await this.client().sendRequest(agentTasksRequest, { taskId });
    this.events = events;
    await this.refreshNotes();
    this.panel.show(false);
    this.panel.reset(this.events, this.notes);
  }

  private async exportLog(): Promise<void> {
    const taskId = this.events[0]?.taskId ?? (await this.pickTask('Export which task log?'));
    if (!taskId) return;
    const { events } = await this.client().sendRequest(agentTasksRequest, { taskId });
    const target = await vscode.window.showSaveDialog({ title: 'Export the agent activity log', defaultUri: vscode.Uri.file(`cobol-assist-agent-${taskId}.jsonl`), filters: { 'JSON lines': ['jsonl'] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(events.map((event) => JSON.stringify(event)).join('\n') + '\n'));
    void vscode.window.showInformationMessage(`COBOL Assist agent: log exported to ${target.fsPath}.`);
  }

  private async restore(): Promise<void> {
    const taskId = await this.pickTask('Restore the files a task changed (only those files)');
    if (!taskId) return;
    try {
      const answer = await this.client().sendRequest(agentRestoreRequest, { taskId });
      void vscode.window.showInformationMessage(`COBOL Assist agent: ${answer.message}`);
    } catch (error) {
      void vscode.window.showWarningMessage(`COBOL Assist agent: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async setApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({ title: 'API key of the agent planner endpoint', password: true, prompt: 'Kept in VS Code SecretStorage; empty removes it.' });
    if (key === undefined) return;
    if (key) await this.context.secrets.store(apiKeySecret, key);
    else await this.context.secrets.delete(apiKeySecret);
  }

  dispose(): void {
    this.panel.dispose();
  }
}

function cobolName(value: string): string | undefined {
  return /^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(value) && value.length <= 30 ? undefined : '1-30 letters, digits and hyphens, with a letter, not starting or ending with a hyphen.';
}
