/**
 * Connects the agent engine (`server/agent/`) to LSP: the long-running task
 * messages of `agentProtocol.ts`, the activity log and preferences in the
 * extension's workspace storage (passed as `initializationOptions.agentStorage`),
 * and the apply step as a request to the extension, which shows the change in
 * VS Code's refactor preview. Stops the running task when the server shuts down.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Connection, ResponseError } from 'vscode-languageserver/node';
import { ActivityLog } from '../agent/activityLog';
import { AgentWorkspace } from '../agent/agentWorkspace';
import { defaultAgentSettings, parseAgentSettings, type AgentSettings } from '../agent/agentSettings';
import { AgentEngine } from '../agent/engine';
import { LocalPlanner, RemotePlanner } from '../agent/planner';
import type { ModelHost } from '../model/modelHost';
import { Preferences } from '../agent/preferences';
import { TaskRefused, type ProposedChange } from '../agent/proposedChange';
import { restoreChange } from '../agent/restore';
import { agentApplyEditRequest, agentPreferencesRequest, agentRestoreRequest, agentTask, agentTasksRequest } from '../agentProtocol';
import type { Workspace } from '../workspace';

export interface AgentService {
  initialize(initializationOptions: unknown): void;
  configurationChanged(): void;
  dispose(): void;
}

export function registerAgentService(connection: Connection, workspace: Workspace, modelHost: ModelHost, clientHasConfiguration: () => boolean): AgentService {
  let storage = path.join(os.tmpdir(), 'cobol-assist-agent');
  let log: ActivityLog | undefined;
  let preferences: Preferences | undefined;
  let settings: AgentSettings = defaultAgentSettings;
  let plannerApiKey = '';
  const readSettings = () => {
    if (!clientHasConfiguration()) return;
    void connection.workspace.getConfiguration('cobolAssist.agent').then((raw) => (settings = parseAgentSettings(raw)), () => undefined);
  };
  const activityLog = () => (log ??= new ActivityLog(storage));
  const notes = () => (preferences ??= new Preferences(storage));

  const applyEdit = async (change: ProposedChange, label: string) => {
    const files = change.files.map((file) => ({ uri: pathToFileURL(file.absolute).href, file: file.file, edits: file.edits }));
    try {
      return await connection.sendRequest(agentApplyEditRequest, { label, files });
    } catch (error) {
      return { applied: false, reason: `the editor did not apply it (${(error as Error).message})` };
    }
  };

  const engine = new AgentEngine({
    workspace: () => AgentWorkspace.open(workspace),
    applyEdit,
    // Remote preferred for planning when configured; else the local model on the background lane.
    planner: () => {
      if (settings.planner.endpoint && settings.planner.model) {
        return new RemotePlanner({ baseURL: settings.planner.endpoint, apiKey: plannerApiKey || 'none', model: settings.planner.model, pricePer1k: settings.planner.pricePer1k });
      }
      const status = modelHost.status;
      return status.state === 'ready' ? new LocalPlanner(status.modelName ?? status.modelId, (request) => modelHost.complete(request)) : undefined;
    },
    preferences: () => notes().list().map((note) => note.text),
    budgets: () => settings.budgets,
    get log() {
      return activityLog();
    },
    emit: (event) => void connection.sendNotification(agentTask.event, event),
  });

  connection.onRequest(agentTask.start, async ({ goal, plannerApiKey: key }) => {
    if (!goal || typeof goal !== 'object' || !['rename', 'widen', 'extract', 'freeform'].includes((goal as { kind?: string }).kind ?? '')) {
      return new ResponseError(1, 'Unknown agent goal.');
    }
    plannerApiKey = typeof key === 'string' ? key : '';
    try {
      return { taskId: engine.start(goal).taskId };
    } catch (error) {
      return new ResponseError(1, error instanceof TaskRefused ? error.message : `The agent could not start: ${(error as Error).message}`);
    }
  });
  connection.onRequest(agentTask.decide, ({ taskId, decision }) => {
    const task = engine.task(taskId);
    if (!task) return { accepted: false, message: 'That task is no longer running.' };
    const accepted = task.decide(decision);
    return accepted ? { accepted } : { accepted, message: `The task is ${task.state}; '${decision}' does not apply now.` };
  });
  connection.onRequest(agentTasksRequest, ({ taskId }) => ({ tasks: activityLog().list(), events: taskId ? activityLog().read(taskId) : [] }));
  connection.onRequest(agentPreferencesRequest, (params) => {
    try {
      switch (params.action) {
        case 'add':
          return notes().add(params.text);
        case 'edit':
          return notes().edit(params.id, params.text);
        case 'delete':
          return notes().remove(params.id);
        default:
          return notes().list();
      }
    } catch (error) {
      return new ResponseError(1, (error as Error).message);
    }
  });
  connection.onRequest(agentRestoreRequest, async ({ taskId }) => {
    try {
      const change = restoreChange(activityLog(), await AgentWorkspace.open(workspace), taskId);
      if (change.files.length === 0) return { restored: [], message: 'The files already hold what the task found; nothing to restore.' };
      const outcome = await applyEdit(change, change.summary);
      const files = change.files.map((file) => file.file);
      return { restored: outcome.applied ? files : [], message: outcome.applied ? `Restored ${files.join(', ')}.` : `Not restored${outcome.reason ? `: ${outcome.reason}` : ''}.` };
    } catch (error) {
      return new ResponseError(1, (error as Error).message);
    }
  });

  return {
    initialize(initializationOptions) {
      const folder = (initializationOptions as { agentStorage?: unknown } | undefined)?.agentStorage;
      if (typeof folder === 'string' && path.isAbsolute(folder)) storage = folder;
      log = undefined;
      preferences = undefined;
    },
    configurationChanged: readSettings,
    dispose() {
      engine.stopAll('The language server shut down (VS Code closed or restarted) mid-task. Nothing more was written.');
    },
  };
}
