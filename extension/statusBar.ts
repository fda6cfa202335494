/** The status bar item: the language server's state now, the model's later. */
import * as vscode from 'vscode';
import type { ServerPhase } from '../server/protocol';

export type ClientState = ServerPhase | 'restarting' | 'stopped';

const icons: Record<ClientState, string> = {
  starting: '$(loading~spin)',
  ready: '$(check)',
  error: '$(error)',
  restarting: '$(sync~spin)',
  stopped: '$(circle-slash)',
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cobolAssist.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'COBOL Assist';
    this.item.command = 'cobolAssist.showStatus';
    this.show('starting');
    this.item.show();
  }

  show(state: ClientState, detail?: string): void {
    this.item.text = `${icons[state]} COBOL`;
    this.item.tooltip = `COBOL Assist: language server ${state}${detail ? ` (${detail})` : ''}`;
    this.item.backgroundColor = state === 'error'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
