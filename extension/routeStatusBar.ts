/**
 * The router's status bar item: which model gave the current suggestion
 * (local or remote), and a warning while the remote model fails. Hidden
 * while no remote endpoint is set and the router stays local. Opens the
 * router statistics.
 */
import * as vscode from 'vscode';
import type { RouteStatus } from '../server/protocol';

export class RouteStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cobolAssist.route', vscode.StatusBarAlignment.Right, 98);
  status: RouteStatus | undefined;

  constructor() {
    this.item.name = 'COBOL Assist Router';
    this.item.command = 'cobolAssist.showRouterStatistics';
  }

  show(status: RouteStatus): void {
    this.status = status;
    if (status.remote === 'off') {
      this.item.hide();
      return;
    }
    const source = status.lastSource === 'remote' ? '$(cloud) remote' : status.lastSource === 'local' ? '$(device-desktop) local' : '$(cloud) ready';
    this.item.text = status.remote === 'failing' ? '$(warning) local only' : status.remote === 'unknown' ? '$(loading~spin) remote' : source;
    this.item.tooltip = `Router mode ${status.mode}. ${status.message}`;
    this.item.backgroundColor = status.remote === 'failing' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
