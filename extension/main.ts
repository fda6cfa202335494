/**
 * The extension's entry point: creates the log, the status bar and the
 * language client, and registers every command from one table.
 */
import * as vscode from 'vscode';
import { ServerClient } from './serverClient';
import { modelCommands } from './modelCommands';
import { remoteApiKeyCommands } from './remoteApiKey';
import { routerStatisticsCommand } from './routerStatistics';
import { RouteStatusBar } from './routeStatusBar';
import { registerFixedFormatTyping } from './fixedFormatTyping';
import { registerQuickFixCommands } from './quickFixCommands';
import { registerGettingStarted } from './gettingStarted';
import { registerColumnGuides } from './columnGuides';
import { StatusBar, describeModel } from './statusBar';
import { routeStatusNotification } from '../server/protocol';
import { AgentController } from './agentController';
import { registerInlineCompletions } from './inlineCompletions';

let serverClient: ServerClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activatedAt = Date.now();
  const log = vscode.window.createOutputChannel('COBOL Assist', { log: true });
  const statusBar = new StatusBar();
  const client = new ServerClient(context, log, statusBar, activatedAt);
  serverClient = client;
  const routeStatusBar = new RouteStatusBar();
  client.onDidCreateClient((languageClient) => languageClient.onNotification(routeStatusNotification, (status) => routeStatusBar.show(status)));
  const agent = new AgentController(context, client, log);
  context.subscriptions.push(log, statusBar, routeStatusBar, agent);

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'cobolAssist.showStatus': async () => {
      const status = await client.status();
      const model = statusBar.model;
      // The toast shows one line of about 60 characters: the facts a user checks, with the full account in the log.
      const short = status
        ? `COBOL Assist: server ${status.phase} (${client.activationMs ?? '?'} ms)${model ? `, model ${model.state}${model.state === 'ready' && model.device ? ` on ${model.device}` : ''}` : ''}.`
        : 'COBOL Assist: the language server is not running.';
      const full = status
        ? `COBOL Assist ${status.version}: language server ${status.phase}, ready ${client.activationMs ?? '?'} ms after activation, ${status.openDocuments} COBOL document(s) open.${model ? ` ${describeModel(model)}` : ''}`
        : short;
      log.info(full);
      const choice = await vscode.window.showInformationMessage(short, 'Show Log');
      if (choice === 'Show Log') log.show();
    },
    'cobolAssist.restartServer': () => client.restart(),
    'cobolAssist.showLog': () => log.show(),
    ...modelCommands(context, log),
    ...remoteApiKeyCommands(context, log, () => client.restart()),
    'cobolAssist.showRouterStatistics': routerStatisticsCommand(client, log),
    ...agent.commands(),
    ...registerInlineCompletions(context, client, log),
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
  context.subscriptions.push(...registerFixedFormatTyping(client, log), ...registerQuickFixCommands(log), ...registerGettingStarted(context, log), ...registerColumnGuides(client));

  await client.start();
}

export async function deactivate(): Promise<void> {
  await serverClient?.dispose();
  serverClient = undefined;
}
