/**
 * Ghost text: an InlineCompletionItemProvider that asks the language server
 * (`cobolAssist/inlineCompletion`) and honours VS Code's cancellation token;
 * the manual trigger command; the pause setting and its status-bar toggle;
 * "Show Completion Statistics"; and the events the local metrics count
 * (shown, accepted, rejected, retained 30 s later).
 *
 * Thin: nothing here understands COBOL. The server answers in \n line
 * breaks; a CRLF document gets CRLF.
 */
import * as vscode from 'vscode';
import {
  type CompletionEvent,
  completionEventNotification,
  completionStatisticsRequest,
  inlineCompletionRequest,
} from '../server/protocol';
import type { ServerClient } from './serverClient';

const enabledSetting = 'inlineCompletions.enabled';
/** Continue's rules: shown for less than this is not "shown"; not accepted within rejectAfterMs is "rejected". */
const shownAfterMs = 250;
const rejectAfterMs = 10_000;
const retainedAfterMs = 30_000;

interface Pending {
  id: string;
  shownTimer: NodeJS.Timeout;
  rejectTimer: NodeJS.Timeout | undefined;
}

export function registerInlineCompletions(context: vscode.ExtensionContext, server: ServerClient, log: vscode.LogOutputChannel): Record<string, (...args: unknown[]) => unknown> {
  let pending: Pending | undefined;
  const send = (event: CompletionEvent) => {
    void server.running?.sendNotification(completionEventNotification, event).catch(() => undefined);
  };
  const settle = () => {
    if (!pending) return;
    clearTimeout(pending.shownTimer); // replaced before it counted as shown
    pending = undefined;
  };

  const provider: vscode.InlineCompletionItemProvider = {
    async provideInlineCompletionItems(document, position, inlineContext, token) {
      if (!vscode.workspace.getConfiguration('cobolAssist').get<boolean>(enabledSetting, true)) return undefined;
      const client = server.running;
      if (!client) return undefined;
      settle();
      const manual = inlineContext.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
      // With the suggest widget open, VS Code shows only ghost text that extends its selected item:
      // complete after that item, as if it were inserted.
      const selected = inlineContext.selectedCompletionInfo;
      const usable = selected && selected.range.isSingleLine && selected.range.end.isEqual(position) ? selected : undefined;
      let answer;
      try {
        answer = await client.sendRequest(inlineCompletionRequest, {
          textDocument: { uri: document.uri.toString() },
          position: { line: position.line, character: position.character },
          trigger: manual ? 'manual' : 'automatic',
          ...(usable ? { selectedCompletion: { text: usable.text, replaceFromCharacter: usable.range.start.character } } : {}),
        }, token);
      } catch {
        return undefined; // cancelled, or the server restarting: no suggestion, never a popup
      }
      if (!answer.text || token.isCancellationRequested) {
        if (manual && answer.reason) log.info(`No suggestion: ${answer.reason}`);
        return undefined;
      }
      const text = (usable ? usable.text : '') + (document.eol === vscode.EndOfLine.CRLF ? answer.text.replace(/\n/g, '\r\n') : answer.text);
      const range = usable ? usable.range : new vscode.Range(position, position);
      const id = answer.id;
      const entry: Pending = {
        id,
        shownTimer: setTimeout(() => {
          send({ id, kind: 'shown' });
          entry.rejectTimer = setTimeout(() => {
            if (pending === entry) pending = undefined;
            send({ id, kind: 'rejected' });
          }, rejectAfterMs);
        }, shownAfterMs),
        rejectTimer: undefined,
      };
      pending = entry;
      return [new vscode.InlineCompletionItem(text, range, {
        title: 'Accepted',
        command: 'cobolAssist.completionAccepted',
        arguments: [id, document.uri.toString(), document.offsetAt(range.start), text],
      })];
    },
  };
  context.subscriptions.push(vscode.languages.registerInlineCompletionItemProvider({ language: 'cobol' }, provider));

  const pause = vscode.window.createStatusBarItem('cobolAssist.inlineCompletions', vscode.StatusBarAlignment.Right, 98);
  pause.name = 'COBOL Assist completions';
  pause.command = 'cobolAssist.toggleInlineCompletions';
  const showPause = () => {
    const enabled = vscode.workspace.getConfiguration('cobolAssist').get<boolean>(enabledSetting, true);
    pause.text = enabled ? '$(sparkle) AI' : '$(debug-pause) AI paused';
    pause.tooltip = enabled ? 'COBOL Assist inline completions are on. Click to pause.' : 'COBOL Assist inline completions are paused. Click to resume.';
    pause.show();
  };
  showPause();
  context.subscriptions.push(pause, vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(`cobolAssist.${enabledSetting}`)) showPause();
  }));

  return {
    'cobolAssist.triggerInlineCompletion': () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger'),
    'cobolAssist.toggleInlineCompletions': async () => {
      const configuration = vscode.workspace.getConfiguration('cobolAssist');
      const enabled = configuration.get<boolean>(enabledSetting, true);
      await configuration.update(enabledSetting, !enabled, vscode.ConfigurationTarget.Global);
      if (enabled) void vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
    },
    'cobolAssist.completionAccepted': (...args: unknown[]) => {
      const [id, uri, offset, text] = args as [string, string, number, string];
      if (pending?.id === id) {
        clearTimeout(pending.shownTimer);
        if (pending.rejectTimer) clearTimeout(pending.rejectTimer);
        pending = undefined;
      }
      send({ id, kind: 'accepted', characters: text.length });
      // Accepted and retained: how much of it is still there 30 s later.
      const timer = setTimeout(() => {
        const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri);
        if (!document) return;
        const start = document.positionAt(offset);
        const now = document.getText(new vscode.Range(start, document.positionAt(offset + text.length + 40)));
        send({ id, kind: 'retained', characters: retainedCharacters(text, now) });
      }, retainedAfterMs);
      context.subscriptions.push({ dispose: () => clearTimeout(timer) });
    },
    'cobolAssist.showCompletionStatistics': async () => {
      const client = server.running;
      if (!client) {
        void vscode.window.showInformationMessage('COBOL Assist: the language server is not running.');
        return;
      }
      const stats = await client.sendRequest(completionStatisticsRequest);
      const percent = (x: number) => `${Math.round(x * 1000) / 10} %`;
      const summary = `COBOL Assist completions: ${stats.suggestions} suggested, ${stats.shown} shown, ${stats.accepted} accepted (${percent(stats.acceptRate)}), ${stats.rejected} rejected; ${stats.acceptedCharacters} characters accepted, ${percent(stats.retainedShare)} retained after 30 s; ${stats.cacheHits} from cache, ${stats.fromDocument} from elsewhere in the document; latency p50 ${stats.latencyP50Ms} ms, p95 ${stats.latencyP95Ms} ms.`;
      log.info(summary);
      log.info(`Stage medians (ms): ${JSON.stringify(stats.stageP50Ms)}; by model: ${JSON.stringify(stats.byModel)}; no suggestion because: ${JSON.stringify(stats.noSuggestionReasons)}. Stored on this machine only.`);
      void vscode.window.showInformationMessage(summary, 'Show Details').then((choice) => {
        if (choice) log.show(true);
      });
    },
  };
}

/** Characters of `accepted` still at the start of `now` (the same text, or as much of it as survived). */
export function retainedCharacters(accepted: string, now: string): number {
  if (now.startsWith(accepted)) return accepted.length;
  let same = 0;
  while (same < accepted.length && same < now.length && accepted[same] === now[same]) same++;
  return same;
}
