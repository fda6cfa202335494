/**
 * The Getting Started walkthrough's commands: open the sample program (an
 * untitled copy of the bundled walkthrough/SAMPLE.cbl, so nothing is written
 * to the workspace), and the `cobolAssist.agentAvailable` context key that
 * shows the agent step only when the agent's commands exist.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';

export function registerGettingStarted(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable[] {
  void vscode.commands.getCommands(true).then((commands) =>
    vscode.commands.executeCommand('setContext', 'cobolAssist.agentAvailable', commands.includes('cobolAssist.agent.showPanel')),
  );
  return [
    vscode.commands.registerCommand('cobolAssist.openSample', async () => {
      try {
        const content = await readFile(context.asAbsolutePath('walkthrough/SAMPLE.cbl'), 'utf8');
        const document = await vscode.workspace.openTextDocument({ language: 'cobol', content });
        await vscode.window.showTextDocument(document);
      } catch (error) {
        log.error(`Opening the sample program: ${String(error)}`);
        void vscode.window.showErrorMessage(`COBOL Assist: could not open the sample program (${String(error)}).`);
      }
    }),
  ];
}
