/**
 * Commands that the server's quick fixes run where an edit is not enough:
 * adding a copybook folder to `cobolAssist.copybookPaths` writes the setting
 * of the workspace folder that holds the document (the server never writes
 * settings). The change reaches the server as a configuration change, which
 * re-analyses the open programs.
 */
import * as vscode from 'vscode';

export function registerQuickFixCommands(log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('cobolAssist.addCopybookPath', async (uri: string, folder: string) => {
      if (typeof uri !== 'string' || typeof folder !== 'string') return;
      const resource = vscode.Uri.parse(uri);
      const configuration = vscode.workspace.getConfiguration('cobolAssist', resource);
      const current = configuration.get<string[]>('copybookPaths') ?? [];
      if (current.includes(folder)) return;
      const target = vscode.workspace.getWorkspaceFolder(resource) ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global;
      await configuration.update('copybookPaths', [...current, folder], target);
      log.info(`Added '${folder}' to cobolAssist.copybookPaths.`);
      void vscode.window.setStatusBarMessage(`COBOL Assist: copybook folder '${folder}' added`, 5000);
    }),
  ];
}
