/**
 * The agent engine: plan → approval → execute, enforced here in code.
 *
 * - Nothing but `read` tools and pure proposals (a dry run, to show which
 *   files the plan touches) runs before the user approves the plan; `execute`
 *   tools and the apply step only run in the `executing` state, which only
 *   an `approve` decision enters.
 * - A step whose change reaches a file the approved plan did not list stops
 *   execution and asks for approval of the revised plan.
 * - Applying is one WorkspaceEdit handed to the host (the editor's refactor
 *   preview); before it, exactly the listed files are snapshotted.
 * - Budgets (steps, model tokens, wall time, cost) are checked before every
 *   dispatch; the same tool call with the same arguments 3 times asks the
 *   user, 5 times stops.
 * - Stop aborts the task's signal (tools kill their processes, model calls
 *   end) and the task settles at once, without waiting for them.
 * - One task at a time: a second start is refused with the running goal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActivityLog } from './activityLog';
import type { AgentWorkspace } from './agentWorkspace';
import { readSamples } from './cobolToolchain';
import type { AgentDecision, AgentEvent, Goal, PlanView, TaskState } from './events';
import { terminalStates } from './events';
import { builtinPlan, describeGoal } from './goals';
import { parsePlan, type Plan } from './plan';
import type { Planner } from './planner';
import { mergeChanges, type ProposedChange, TaskRefused } from './proposedChange';
import { toolsByName } from './tools';
import { PathRefused } from './workspaceFiles';

export interface Budgets {
  maxSteps: number;
  maxModelTokens: number;
  maxWallMs: number;
  maxCostUsd: number;
}

export const defaultBudgets: Budgets = { maxSteps: 30, maxModelTokens: 20_000, maxWallMs: 10 * 60_000, maxCostUsd: 0.5 };

export interface AgentHost {
  /** A fresh view of the workspace for a task. */
  workspace(): Promise<AgentWorkspace>;
  /** Shows the change in the editor's refactor preview; resolves with whether the user applied it. */
  applyEdit(change: ProposedChange, label: string): Promise<{ applied: boolean; reason?: string }>;
  planner(): Planner | undefined;
  preferences(): string[];
  budgets(): Budgets;
  log: ActivityLog;
  emit(event: AgentEvent): void;
}

class Stopped extends Error {}

type EventBody = AgentEvent extends infer E ? (E extends AgentEvent ? Omit<E, 'taskId' | 'seq' | 'time'> : never) : never;

export class AgentTask {
  state: TaskState = 'planning';
  readonly startedAt = Date.now();
  private seq = 0;
  private readonly abort = new AbortController();
  private pendingDecision: ((decision: AgentDecision) => void) | undefined;
  private stopResolve!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stopResolve = resolve));
  private modelTokens = 0;
  private costUsd = 0;
  private steps = 0;
  private waitedMs = 0;
  private readonly callCounts = new Map<string, number>();
  /** Settles when the task has reached a final state. */
  readonly finished: Promise<void>;

  constructor(
    readonly taskId: string,
    readonly goal: Goal,
    private readonly host: AgentHost,
  ) {
    this.emit({ type: 'goal', text: describeGoal(goal), goal });
    this.finished = this.run();
  }

  /** A decision from the user; false when the task is not waiting for one (stop is always accepted). */
  decide(decision: AgentDecision): boolean {
    if (decision === 'stop') {
      this.stop('Stopped by the user.');
      return true;
    }
    const waiting = this.pendingDecision;
    if (!waiting) return false;
    const valid = this.state === 'awaitingApproval' ? decision === 'approve' || decision === 'reject' : this.state === 'awaitingDecision' && decision === 'continue';
    if (!valid) return false;
    this.pendingDecision = undefined;
    waiting(decision);
    return true;
  }

  stop(reason: string): void {
    if (terminalStates.includes(this.state)) return;
    this.abort.abort();
    this.setState('stopped', reason);
    this.stopResolve();
  }

  private emit(body: EventBody): void {
    const event = { ...body, taskId: this.taskId, seq: this.seq++, time: new Date().toISOString() } as AgentEvent;
    try {
      this.host.log.append(this.taskId, event);
    } catch (error) {
      // The log is for the user; a full disk must not lose the live panel too.
      this.host.emit({ type: 'error', message: `The activity log could not be written: ${(error as Error).message}`, taskId: this.taskId, seq: this.seq++, time: event.time });
    }
    this.host.emit(event);
  }

  private setState(state: TaskState, message?: string): void {
    if (terminalStates.includes(this.state)) return;
    this.state = state;
    this.emit({ type: 'state', state, ...(message ? { message } : {}) });
  }

  /** Races a promise against Stop, so Stop never waits for a tool or a model. */
  private async guard<T>(promise: Promise<T>): Promise<T> {
    if (this.abort.signal.aborted) throw new Stopped();
    const result = await Promise.race([promise, this.stopped.then(() => Promise.reject(new Stopped()))]);
    if (this.abort.signal.aborted) throw new Stopped();
    return result;
  }

  private async waitForDecision(): Promise<AgentDecision> {
    const asked = Date.now();
    try {
      return await this.guard(new Promise<AgentDecision>((resolve) => (this.pendingDecision = resolve)));
    } finally {
      this.waitedMs += Date.now() - asked; // the wall-time budget counts the agent's time, not the user's
    }
  }

  private checkBudgets(what: string): void {
    const budgets = this.host.budgets();
    const problems: string[] = [];
    if (this.steps >= budgets.maxSteps) problems.push(`${budgets.maxSteps} steps`);
    if (this.modelTokens >= budgets.maxModelTokens) problems.push(`${budgets.maxModelTokens} model tokens`);
    if (Date.now() - this.startedAt - this.waitedMs >= budgets.maxWallMs) problems.push(`${Math.round(budgets.maxWallMs / 1000)} s`);
    if (this.costUsd >= budgets.maxCostUsd) problems.push(`$${budgets.maxCostUsd.toFixed(2)}`);
    if (problems.length) throw new TaskRefused(`Budget reached before ${what}: ${problems.join(', ')} (settings cobolAssist.agent.budget.*).`);
  }

  private async run(): Promise<void> {
    let workspace: AgentWorkspace;
    try {
      workspace = await this.guard(this.host.workspace());
      const plan = await this.makePlan(workspace);
      let view = await this.dryRun(workspace, plan, 0);
      this.emit({ type: 'plan', plan: view });
      if (!(await this.approved(view))) return;
      this.setState('executing');
      const proposed: ProposedChange[] = [];
      const results: { tool: string; failed: boolean; data: unknown }[] = [];
      for (let index = 0; index < plan.steps.length; index++) {
        const step = plan.steps[index];
        const tool = toolsByName.get(step.tool)!;
        this.checkBudgets(`step ${index + 1}`);
        await this.loopBreaker(step.tool, step.args);
        if (this.state !== 'executing') throw new Error(`A ${tool.privilege} tool may only run in an approved plan.`);
        this.steps++;
        this.emit({ type: 'toolCall', step: index + 1, tool: tool.name, privilege: tool.privilege, args: step.args });
        const started = Date.now();
        const result = await this.guard(tool.run(step.args, { workspace, signal: this.abort.signal, proposed }));
        this.emit({ type: 'toolResult', step: index + 1, tool: tool.name, ok: !result.failed, summary: result.summary, ms: Date.now() - started });
        results.push({ tool: tool.name, failed: result.failed === true, data: result.data });
        if (result.change) {
          const outside = result.change.files.filter((file) => !view.files.includes(file.file));
          if (outside.length > 0) {
            // The workspace changed since the plan was shown: the plan is different now; ask again.
            view = { ...view, files: [...view.files, ...outside.map((file) => file.file)].sort(), revision: view.revision + 1 };
            this.emit({ type: 'question', text: `Step ${index + 1} now also changes ${outside.map((file) => file.file).join(', ')}, which the approved plan did not list. Approve the revised plan?` });
            this.emit({ type: 'plan', plan: view });
            if (!(await this.approved(view))) return;
            this.setState('executing');
          }
          proposed.push(result.change);
        }
        if (result.failed) {
          this.finish(workspace, proposed, results, false);
          this.setState('failed', `Step ${index + 1} (${tool.name}) failed: ${result.summary}. Nothing was written.`);
          return;
        }
      }
      await this.apply(workspace, view, proposed, results);
    } catch (error) {
      if (error instanceof Stopped || this.abort.signal.aborted) return; // stop() already logged the state
      const message = error instanceof TaskRefused || error instanceof PathRefused ? error.message : `Internal error: ${(error as Error)?.message ?? String(error)}`;
      this.emit({ type: 'error', message });
      this.setState('failed', `${message} Nothing was written.`);
    } finally {
      this.pendingDecision = undefined;
      if (!terminalStates.includes(this.state)) this.setState('failed', 'The task ended unexpectedly. Nothing was written.');
    }
  }

  private async approved(view: PlanView): Promise<boolean> {
    this.setState('awaitingApproval');
    const decision = await this.waitForDecision();
    this.emit({ type: 'decision', decision, revision: view.revision });
    if (decision === 'approve') return true;
    this.setState('rejected', 'Plan rejected. Nothing was written.');
    return false;
  }

  private async loopBreaker(tool: string, args: Record<string, unknown>): Promise<void> {
    const key = `${tool}\u0000${JSON.stringify(args)}`;
    const count = (this.callCounts.get(key) ?? 0) + 1;
    this.callCounts.set(key, count);
    if (count >= 5) throw new TaskRefused(`${tool} was called 5 times with the same arguments: the agent is looping, so it stopped.`);
    if (count === 3) {
      this.emit({ type: 'question', text: `${tool} is about to run a third time with the same arguments. Continue?` });
      this.setState('awaitingDecision');
      const decision = await this.waitForDecision();
      this.emit({ type: 'decision', decision });
      this.setState('executing');
    }
  }

  private async makePlan(workspace: AgentWorkspace): Promise<Plan> {
    if (this.goal.kind !== 'freeform') {
      // A dry run of the proposal decides which samples the change reaches.
      const plan = builtinPlan(this.goal, []);
      const proposeStep = plan.steps.find((step) => toolsByName.get(step.tool)?.privilege === 'propose')!;
      const change = await this.guard(toolsByName.get(proposeStep.tool)!.run(proposeStep.args, { workspace, signal: this.abort.signal, proposed: [] }));
      const affected = new Set([...(change.change?.affectedPrograms ?? []), ...(change.change?.files.map((file) => file.file) ?? [])]);
      const samples = readSamples(workspace).filter((sample) => [sample.program, ...sample.link].some((file) => affected.has(file)));
      return builtinPlan(this.goal, samples.map((sample) => sample.name));
    }
    const planner = this.host.planner();
    if (!planner) throw new TaskRefused('Free-form goals need a planning model: configure cobolAssist.agent.planner.endpoint and .model (an OpenAI-compatible endpoint), or load a local model, or use a built-in task.');
    this.checkBudgets('the planning call');
    const started = Date.now();
    const request = { goal: this.goal.text, files: workspace.files.cobolFiles().map((file) => file.relative), preferences: this.host.preferences() };
    let answer;
    try {
      answer = await this.guard(planner.plan(request, this.abort.signal));
    } catch (error) {
      if (error instanceof Stopped || this.abort.signal.aborted) throw error;
      this.emit({ type: 'modelCall', model: planner.model, purpose: 'plan', promptTokens: 0, completionTokens: 0, ms: Date.now() - started, costUsd: 0, ok: false, error: (error as Error).message });
      throw new TaskRefused(`The planning model failed: ${(error as Error).message}`);
    }
    this.modelTokens += answer.promptTokens + answer.completionTokens;
    this.costUsd += answer.costUsd;
    this.emit({ type: 'modelCall', model: answer.model, purpose: 'plan', promptTokens: answer.promptTokens, completionTokens: answer.completionTokens, ms: Date.now() - started, costUsd: answer.costUsd, ok: true });
    const checked = parsePlan(answer.text, workspace.files);
    if (!checked.ok) throw new TaskRefused(`The model's plan was rejected: ${checked.reason}`);
    return checked.plan;
  }

  /** The plan as shown: each step's privilege, and the files its proposals touch (proposals only read). */
  private async dryRun(workspace: AgentWorkspace, plan: Plan, revision: number): Promise<PlanView> {
    const files = new Set<string>();
    const undecided: string[] = [];
    for (const step of plan.steps) {
      const tool = toolsByName.get(step.tool)!;
      if (tool.privilege !== 'propose') continue;
      const result = await this.guard(tool.run(step.args, { workspace, signal: this.abort.signal, proposed: [] }));
      for (const file of result.change?.files ?? []) files.add(file.file);
      undecided.push(...(result.change?.undecided ?? []));
    }
    return {
      goal: plan.goal,
      steps: plan.steps.map((step) => ({ ...step, privilege: toolsByName.get(step.tool)!.privilege })),
      files: [...files].sort(),
      estimatedModelCalls: 0,
      estimatedCostUsd: 0,
      planningModelCalls: this.goal.kind === 'freeform' ? 1 : 0,
      planningCostUsd: this.costUsd,
      undecided,
      revision,
    };
  }

  private async apply(workspace: AgentWorkspace, view: PlanView, proposed: ProposedChange[], results: { tool: string; failed: boolean; data: unknown }[]): Promise<void> {
    if (proposed.length === 0) {
      this.finish(workspace, proposed, results, true);
      this.setState('done', 'The plan proposed no change; nothing to write.');
      return;
    }
    const change = mergeChanges(proposed);
    const listed = new Set(view.files);
    const unlisted = change.files.filter((file) => !listed.has(file.file));
    if (unlisted.length) throw new TaskRefused(`The change reaches ${unlisted.map((file) => file.file).join(', ')}, not in the approved plan; nothing was written.`);
    this.checkBudgets('applying');
    this.setState('applying');
    const folder = this.host.log.snapshotFolder(this.taskId);
    for (const file of change.files) {
      const target = path.join(folder, ...file.file.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, workspace.textOfAbsolute(file.absolute) ?? '');
    }
    fs.writeFileSync(path.join(folder, 'files.json'), JSON.stringify(change.files.map((file) => ({ file: file.file, absolute: file.absolute }))));
    this.emit({ type: 'snapshot', files: change.files.map((file) => file.file), folder });
    const outcome = await this.guard(this.host.applyEdit(change, `COBOL Assist: ${view.goal}`));
    this.emit({ type: 'edit', files: change.files.map((file) => ({ file: file.file, edits: file.edits.length })), summary: change.summary, applied: outcome.applied, ...(outcome.reason ? { reason: outcome.reason } : {}) });
    this.finish(workspace, outcome.applied ? proposed : [], results, true);
    this.setState(outcome.applied ? 'done' : 'rejected', outcome.applied ? `Applied to ${change.files.length} file(s).` : `The edit was not applied${outcome.reason ? `: ${outcome.reason}` : ''}. Nothing was written.`);
  }

  private finish(_workspace: AgentWorkspace, written: ProposedChange[], results: { tool: string; failed: boolean; data: unknown }[], _ok: boolean): void {
    const compiles = results.filter((result) => result.tool === 'compileCheck');
    const samples = results.filter((result) => result.tool === 'runSample');
    const change = written.length ? mergeChanges(written) : undefined;
    this.emit({
      type: 'result',
      summary: change?.summary ?? 'Nothing written.',
      filesTouched: change?.files.map((file) => file.file) ?? [],
      compiles: compiles.length ? compiles.every((result) => !result.failed) : null,
      outputSame: samples.length ? samples.every((result) => !result.failed) : null,
      undecided: written.flatMap((item) => item.undecided),
      wallMs: Date.now() - this.startedAt,
    });
  }
}

export class AgentEngine {
  private current: AgentTask | undefined;
  private counter = 0;

  constructor(private readonly host: AgentHost) {}

  start(goal: Goal): AgentTask {
    if (this.current && !terminalStates.includes(this.current.state)) {
      throw new TaskRefused(`A task is already running: "${describeGoal(this.current.goal)}". Stop it or wait for it to finish.`);
    }
    const taskId = `${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${(++this.counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    this.current = new AgentTask(taskId, goal, this.host);
    return this.current;
  }

  task(taskId: string): AgentTask | undefined {
    return this.current?.taskId === taskId ? this.current : undefined;
  }

  /** The window is closing or the server shuts down: the running task stops; its log says so. */
  stopAll(reason: string): void {
    this.current?.stop(reason);
  }
}
