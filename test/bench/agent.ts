/**
 * `npm run bench:agent`: the figures of issue 10.
 * - For each built-in task (rename, widen, extract) on the sample workspace
 *   and on a generated real-style workspace of 24 programs sharing
 *   copybooks: wall time (start to applied, approval given at once), the
 *   plan-to-approval overhead (start until the plan waits for approval),
 *   files touched, whether the affected programs compile (cobc, checked by
 *   the task and again on disk after applying), and whether the samples'
 *   output stayed identical.
 * - Stop latency: 20 stops at random moments of a rename on the generated
 *   workspace (planning, compiling, running samples): time from Stop until the
 *   task has settled and until its child processes are gone; p50/p95/max;
 *   files written after a stop (must be 0).
 * Prints the figures and writes bench-results/agent.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { AgentEngine } from '../../server/agent/engine';
import type { AgentEvent, Goal } from '../../server/agent/events';
import { defaultSettings } from '../../server/settings';
import { isState, testHost } from '../unit/agent/engineHost';
import { copyWorkspace, sharedWorkspaceAt, temporaryFolder } from '../unit/agent/workspaceCopy';
import { writeAgentWorkspace } from './agentWorkspace';

const root = resolve(process.argv[2] ?? process.cwd());
const sampleWorkspace = join(root, 'test', 'fixtures', 'workspace');
const settings = { ...defaultSettings, copybookPaths: ['copybooks'] };
const log = (line: string) => console.log(line);

interface TaskFigure {
  name: string;
  workspace: string;
  wallMs: number;
  planToApprovalMs: number;
  filesTouched: number;
  files: string[];
  compiles: boolean | null;
  compilesOnDisk: boolean;
  outputSame: boolean | null;
  undecided: number;
  state: string;
}

function cobcOnDisk(folder: string, programs: string[]): boolean {
  return programs.every((program) => {
    try {
      execFileSync('cobc', ['-fsyntax-only', '-I', join(folder, 'copybooks'), join(folder, program)], { cwd: folder, stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  });
}

async function runTask(source: string, workspaceName: string, name: string, goal: Goal): Promise<TaskFigure> {
  const folder = copyWorkspace(source);
  const host = testHost(await sharedWorkspaceAt(folder, settings));
  const engine = new AgentEngine(host);
  const started = performance.now();
  const task = engine.start(goal);
  await Promise.race([host.next(isState('awaitingApproval')), task.finished]);
  const planToApprovalMs = performance.now() - started;
  task.decide('approve');
  await task.finished;
  const wallMs = performance.now() - started;
  const result = host.events.find((event) => event.type === 'result') as Extract<AgentEvent, { type: 'result' }> | undefined;
  const error = host.events.find((event) => event.type === 'error') as Extract<AgentEvent, { type: 'error' }> | undefined;
  if (task.state !== 'done') log(`  ${name}: ${task.state}${error ? ` — ${error.message}` : ''}`);
  const programs = readdirSync(folder).filter((file) => /\.cbl$/i.test(file));
  return {
    name,
    workspace: workspaceName,
    wallMs: Math.round(wallMs),
    planToApprovalMs: Math.round(planToApprovalMs),
    filesTouched: result?.filesTouched.length ?? 0,
    files: result?.filesTouched ?? [],
    compiles: result?.compiles ?? null,
    compilesOnDisk: cobcOnDisk(folder, programs),
    outputSame: result?.outputSame ?? null,
    undecided: host.events.filter((event) => event.type === 'plan').flatMap((event) => (event.type === 'plan' ? event.plan.undecided : [])).length,
    state: task.state,
  };
}

function childProcesses(): number {
  try {
    return execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid='], { encoding: 'utf8' }).split('\n').filter((line) => line.trim()).length - 1; // ps itself
  } catch {
    return 0;
  }
}

/** Stops at uniform random moments within `windowMs` (the task's own measured duration), so every stop lands mid-task. */
async function stopLatency(source: string, runs: number, windowMs: number) {
  const settled: number[] = [];
  const processesGone: number[] = [];
  const moments: string[] = [];
  let writtenAfterStop = 0;
  for (let i = 0; i < runs; i++) {
    const folder = copyWorkspace(source);
    const before = readFileSync(join(folder, 'copybooks', 'ACCTREC.cpy'), 'utf8');
    const host = testHost(await sharedWorkspaceAt(folder, settings));
    const engine = new AgentEngine(host);
    const task = engine.start({ kind: 'rename', file: 'copybooks/ACCTREC.cpy', name: 'ACCT-BALANCE', newName: 'ACCT-LEDGER-BAL' });
    void host.next(isState('awaitingApproval')).then(() => task.decide('approve'));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * windowMs));
    const lastTool = [...host.events].reverse().find((event) => event.type === 'toolCall');
    moments.push(`${task.state}${task.state === 'executing' && lastTool?.type === 'toolCall' ? `:${lastTool.tool}` : ''}`);
    const stopped = performance.now();
    task.decide('stop');
    await task.finished;
    settled.push(performance.now() - stopped);
    while (childProcesses() > 0 && performance.now() - stopped < 5000) await new Promise((resolve) => setTimeout(resolve, 2));
    processesGone.push(performance.now() - stopped);
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (readFileSync(join(folder, 'copybooks', 'ACCTREC.cpy'), 'utf8') !== before && task.state === 'stopped') writtenAfterStop++;
  }
  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  };
  return {
    runs,
    windowMs: Math.round(windowMs),
    stoppedMidTask: moments.filter((moment) => !['done', 'failed', 'rejected'].includes(moment)).length,
    settledP50Ms: +percentile(settled, 50).toFixed(2),
    settledP95Ms: +percentile(settled, 95).toFixed(2),
    processesGoneP50Ms: +percentile(processesGone, 50).toFixed(2),
    processesGoneP95Ms: +percentile(processesGone, 95).toFixed(2),
    processesGoneMaxMs: +Math.max(...processesGone).toFixed(2),
    moments,
    writtenAfterStop,
  };
}

async function main() {
  const started = Date.now();
  log(`machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);
  const generated = temporaryFolder('cobol-assist-agent-bench-');
  const shape = writeAgentWorkspace(generated);
  log(`generated workspace: ${shape.programs.length} programs, ${shape.copybooks.length} copybooks, ${shape.samples.length} samples`);

  const tasks: (TaskFigure & { expected: 'done' | 'failed' })[] = [];
  // `expected`: the state a correct agent must end in. Widening a field of an input record or a displayed
  // total changes the sample's output, so verification must refuse to apply it (nothing written).
  const plan: [string, string, string, Goal, 'done' | 'failed'][] = [
    [sampleWorkspace, 'sample', 'rename IN-DAYS-OVERDUE (copybook, 2 programs)', { kind: 'rename', file: 'copybooks/INTPARM.cpy', name: 'IN-DAYS-OVERDUE', newName: 'IN-DAYS-LATE' }, 'done'],
    [sampleWorkspace, 'sample', 'rename paragraph 2100-CHECK-LIMIT', { kind: 'rename', file: 'CUSTRPT.cbl', name: '2100-CHECK-LIMIT', newName: '2100-CHECK-CREDIT' }, 'done'],
    [sampleWorkspace, 'sample', 'widen IN-DAYS-OVERDUE to 9(5)', { kind: 'widen', file: 'copybooks/INTPARM.cpy', name: 'IN-DAYS-OVERDUE', picture: '9(5)' }, 'done'],
    [sampleWorkspace, 'sample', 'widen CUST-NAME to X(40) (input record: refused)', { kind: 'widen', file: 'copybooks/CUSTREC.cpy', name: 'CUST-NAME', picture: 'X(40)' }, 'failed'],
    [sampleWorkspace, 'sample', 'extract detail moves into 2200-FILL-DETAIL', { kind: 'extract', file: 'CUSTRPT.cbl', fromLine: 68, toLine: 71, paragraph: '2200-FILL-DETAIL' }, 'done'],
    [generated, 'generated-24', 'rename ACCT-BALANCE (copybook, 24 programs)', { kind: 'rename', file: 'copybooks/ACCTREC.cpy', name: 'ACCT-BALANCE', newName: 'ACCT-LEDGER-BAL' }, 'done'],
    [generated, 'generated-24', 'widen CT-RETURN-CODE to 9(4) (CALL USING)', { kind: 'widen', file: 'copybooks/CTRLTOT.cpy', name: 'CT-RETURN-CODE', picture: '9(4)' }, 'done'],
    [generated, 'generated-24', 'widen CT-RECORD-COUNT to 9(9) (displayed: refused)', { kind: 'widen', file: 'copybooks/CTRLTOT.cpy', name: 'CT-RECORD-COUNT', picture: '9(9)' }, 'failed'],
    [generated, 'generated-24', 'extract PROG03 interest lines', { kind: 'extract', file: shape.extractable.file, fromLine: shape.extractable.fromLine, toLine: shape.extractable.toLine, paragraph: '2100-APPLY-INTEREST' }, 'done'],
  ];
  for (const [source, workspaceName, name, goal, expected] of plan) {
    const figure = { ...(await runTask(source, workspaceName, name, goal)), expected };
    tasks.push(figure);
    log(`${workspaceName.padEnd(13)} ${name.padEnd(52)} ${String(figure.wallMs).padStart(6)} ms (plan ${figure.planToApprovalMs} ms)  files ${figure.filesTouched}  compiles ${figure.compiles}/${figure.compilesOnDisk}  outputSame ${figure.outputSame}  undecided ${figure.undecided}  ${figure.state}`);
  }

  const renameWall = tasks.find((task) => task.workspace === 'generated-24' && task.name.startsWith('rename'))?.wallMs ?? 1000;
  const stops = await stopLatency(generated, 20, renameWall * 0.9);
  log(`stop latency (20 stops at random moments): settled p50 ${stops.settledP50Ms} ms, p95 ${stops.settledP95Ms} ms; child processes gone p50 ${stops.processesGoneP50Ms} ms, p95 ${stops.processesGoneP95Ms} ms, max ${stops.processesGoneMaxMs} ms; files written after a stop: ${stops.writtenAfterStop}`);
  log(`moments stopped (within ${stops.windowMs} ms of the start; ${stops.stoppedMidTask} of ${stops.runs} mid-task): ${stops.moments.join(', ')}`);

  const output = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, loadAverage: +loadavg()[0].toFixed(2) },
    stopLatencyP95Ms: Math.max(stops.settledP95Ms, stops.processesGoneP95Ms),
    stop: stops,
    planToApprovalMsMedian: [...tasks.map((task) => task.planToApprovalMs)].sort((a, b) => a - b)[Math.floor(tasks.length / 2)],
    tasks,
    goals: { stopLatencyP95Ms: 1000 },
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'agent.json'), JSON.stringify(output, null, 2));
  log(`stopLatencyP95Ms ${output.stopLatencyP95Ms} (goal ≤ 1000); wrote bench-results/agent.json in ${output.wallSeconds} s`);
  const failed = tasks.filter((task) => task.state !== task.expected || (task.expected === 'done' && (task.compiles === false || task.outputSame === false)) || !task.compilesOnDisk);
  if (failed.length) log(`unexpected: ${failed.map((task) => task.name).join('; ')}`);
  if (failed.length || stops.writtenAfterStop) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
