/**
 * The remote model's API key: kept in VS Code SecretStorage (the OS
 * keychain), set and cleared by command, and handed to the language server
 * in its environment when it starts (never in settings, never as an LSP
 * message, never in the log). Changing the key restarts the server.
 */
import * as vscode from 'vscode';

const secretName = 'cobolAssist.remote.apiKey';

export function readRemoteApiKey(context: vscode.ExtensionContext): Thenable<string | undefined> {
  return context.secrets.get(secretName);
}

export function remoteApiKeyCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, restartServer: () => Promise<void>): Record<string, () => unknown> {
  return {
    'cobolAssist.setRemoteApiKey': async () => {
      const key = await vscode.window.showInputBox({
        title: 'COBOL Assist: Remote API Key',
        prompt: 'The key for cobolAssist.remote.endpoint. Stored in VS Code\'s secret storage, never in settings.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => (/\s/.test(value.trim()) ? 'A key has no spaces inside.' : undefined),
      });
      if (key === undefined) return;
      if (key.trim() === '') {
        await context.secrets.delete(secretName);
      } else {
        await context.secrets.store(secretName, key.trim());
      }
      log.info(key.trim() ? 'Remote API key stored in secret storage; restarting the language server to use it.' : 'Remote API key removed.');
      await restartServer();
    },
    'cobolAssist.clearRemoteApiKey': async () => {
      await context.secrets.delete(secretName);
      log.info('Remote API key removed from secret storage; restarting the language server.');
      await restartServer();
    },
  };
}
