/** Types for scripts/codeServer.mjs, so the TypeScript end-to-end tests can use it. */
export interface CodeServerRun {
  dir: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  logFile: string;
  env: NodeJS.ProcessEnv;
}

export interface RunningCodeServer {
  pid: number;
  port: number;
  baseUrl: string;
  /** Opens the run's workspace folder. */
  url: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends code-server's whole process tree. */
  stop(): Promise<void>;
}

export function prepareRun(runDir: string, workspaceFixture: string): CodeServerRun;
export function installVsix(run: CodeServerRun, vsixPath: string): void;
export function startCodeServer(run: CodeServerRun, options: { port: number; healthTimeoutMs?: number }): Promise<RunningCodeServer>;
export function freePort(preferred?: number): Promise<number>;
