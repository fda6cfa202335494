/**
 * The agent panel's host side: one webview panel beside the editor, whose
 * page (dist/agentPanel.js) is rebuilt from the events the extension keeps
 * each time it loads, so hiding, moving or reopening the panel restores it.
 * The page runs with a strict content security policy: its own script only.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { AgentEvent, PreferenceNote } from '../server/agentProtocol';

export interface PanelRequests {
  decide(decision: 'approve' | 'reject' | 'stop' | 'continue'): void;
  notes(action: { action: 'add'; text: string } | { action: 'edit'; id: string; text: string } | { action: 'delete'; id: string }): void;
  ready(): void;
}

export class AgentPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly requests: PanelRequests,
  ) {}

  /** Opens the panel (or brings it forward) without taking focus from the editor unless asked. */
  show(preserveFocus = true): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel('cobolAssist.agent', 'COBOL Assist Agent', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
    });
    this.panel = panel;
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((message: { type: string; decision?: string; action?: string; id?: string; text?: string; command?: string }) => {
      if (message.type === 'ready') this.requests.ready();
      else if (message.type === 'decide' && ['approve', 'reject', 'stop', 'continue'].includes(message.decision ?? '')) this.requests.decide(message.decision as 'approve');
      else if (message.type === 'notes' && message.action) this.requests.notes(message as never);
      else if (message.type === 'command' && message.command?.startsWith('cobolAssist.agent.')) void vscode.commands.executeCommand(message.command);
    }, undefined, this.disposables);
    panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  reset(events: AgentEvent[], notes: PreferenceNote[]): void {
    void this.panel?.webview.postMessage({ type: 'reset', events, notes });
  }

  event(event: AgentEvent): void {
    void this.panel?.webview.postMessage({ type: 'event', event });
  }

  notes(notes: PreferenceNote[]): void {
    void this.panel?.webview.postMessage({ type: 'notes', notes });
  }

  notice(text: string): void {
    void this.panel?.webview.postMessage({ type: 'notice', text });
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'agentPanel.js'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'unsafe-inline'; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>COBOL Assist Agent</title>
<style>
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
  h2 { font-size: 1.1em; margin: 12px 0 4px; }
  .muted { color: var(--vscode-descriptionForeground); }
  #actions { display: flex; gap: 8px; margin: 8px 0; flex-wrap: wrap; }
  #log { list-style: none; padding: 4px 8px; margin: 0; max-height: 40vh; overflow: auto; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); border: 1px solid var(--vscode-panel-border); }
  #log:focus { outline: 1px solid var(--vscode-focusBorder); }
  .event-error { color: var(--vscode-errorForeground); }
  #notes { list-style: none; padding: 0; }
  #notes li { display: flex; gap: 6px; margin: 4px 0; }
  #notes vscode-textfield, #new-note { flex: 1; }
  .row { display: flex; gap: 6px; }
</style>
</head>
<body>
<h2>Goal</h2>
<p id="goal"></p>
<p>State: <vscode-badge id="state">idle</vscode-badge> <span id="notice" class="muted" role="status"></span></p>
<div id="actions" role="toolbar" aria-label="Decisions">
  <vscode-button id="approve" disabled title="Approve the plan (Alt+A)">Approve</vscode-button>
  <vscode-button id="reject" secondary disabled title="Reject the plan (Alt+R)">Reject</vscode-button>
  <vscode-button id="continue" secondary disabled title="Continue after a question (Alt+C)">Continue</vscode-button>
  <vscode-button id="stop" secondary disabled title="Stop the task now (Alt+S)">Stop</vscode-button>
</div>
<h2>Plan</h2>
<section id="plan" aria-label="Plan"></section>
<h2>Activity log</h2>
<ol id="log" tabindex="0" role="log" aria-live="polite" aria-label="Activity log"></ol>
<h2>Result</h2>
<p id="result" role="status"></p>
<div class="row">
  <vscode-button id="past-tasks" secondary>Past tasks…</vscode-button>
  <vscode-button id="export-log" secondary>Export log…</vscode-button>
  <vscode-button id="restore" secondary>Restore files…</vscode-button>
</div>
<h2>Preferences for later tasks</h2>
<ul id="notes" aria-label="Preference notes"></ul>
<div class="row">
  <vscode-textfield id="new-note" placeholder="What should the agent do differently next time?" aria-label="New preference note"></vscode-textfield>
  <vscode-button id="add-note" secondary>Add</vscode-button>
</div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
