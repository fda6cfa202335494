/**
 * The status bar items: the language server's state, and the model's (name,
 * device, loading / ready / error / off) in an item of its own that opens
 * the model picker.
 */
import * as vscode from 'vscode';
import type { ModelState, ModelStatus, ServerPhase } from '../server/protocol';

export type ClientState = ServerPhase | 'restarting' | 'stopped';

const icons: Record<ClientState, string> = {
  starting: '$(loading~spin)',
  ready: '$(check)',
  error: '$(error)',
  restarting: '$(sync~spin)',
  stopped: '$(circle-slash)',
};

const modelIcons: Record<ModelState, string> = {
  off: '$(circle-slash)',
  loading: '$(loading~spin)',
  ready: '$(hubot)',
  error: '$(warning)',
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cobolAssist.status', vscode.StatusBarAlignment.Right, 100);
  private readonly modelItem = vscode.window.createStatusBarItem('cobolAssist.model', vscode.StatusBarAlignment.Right, 99);
  /** The model's last reported status. */
  model: ModelStatus | undefined;

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

  showModel(status: ModelStatus): void {
    this.model = status;
    const name = status.modelName ?? status.modelId;
    this.modelItem.name = 'COBOL Assist model';
    this.modelItem.command = 'cobolAssist.selectModel';
    this.modelItem.text = `${modelIcons[status.state]} ${status.modelId}${status.state === 'ready' && status.device ? ` (${status.device})` : ''}`;
    this.modelItem.tooltip = describeModel(status) + (status.state === 'ready' ? '' : `\nModel: ${name}`) + '\nClick to select a model.';
    this.modelItem.backgroundColor = status.state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.modelItem.show();
  }

  dispose(): void {
    this.item.dispose();
    this.modelItem.dispose();
  }
}

/** One sentence about the model, for the tooltip and the status command. */
export function describeModel(status: ModelStatus): string {
  const name = status.modelName ?? status.modelId;
  switch (status.state) {
    case 'ready':
      // A ready model's message says which settings were lowered to fit the machine or the model.
      return `Model ${name} ready on ${status.device ?? 'cpu'} (${status.threads ?? '?'} thread(s), context ${status.contextSize ?? '?'}, loaded in ${status.loadMs ?? '?'} ms).${status.message ? ` ${status.message}` : ''}`;
    case 'loading':
      return `Model ${name} loading.`;
    case 'error':
      return `Model ${name} failed: ${status.message ?? 'unknown error'}`;
    case 'off':
      return `Model off${status.message ? ` (${status.message})` : ''}.`;
  }
}
