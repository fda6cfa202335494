/**
 * The `cobolAssist.remote.*` and `cobolAssist.router.*` settings: shape,
 * defaults and parsing from the raw `cobolAssist` section. Window-wide, like
 * the model settings. The API key is deliberately absent: it lives in VS Code
 * SecretStorage and reaches the server outside settings (see ARCHITECTURE.md).
 */

/** How prompts are sent: FIM through `/v1/completions` with `suffix`, chat, or `auto` (FIM first, chat when refused). */
export type RemoteApi = 'auto' | 'completions' | 'chat';
/** local: never remote; auto: the router decides per request; remote: every request goes remote (local on failure). */
export type RouterMode = 'local' | 'auto' | 'remote';

export interface RemoteSettings {
  /** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8000/v1`; empty: no remote model. */
  endpoint: string;
  /** Model name the endpoint knows. */
  model: string;
  api: RemoteApi;
  /** Milliseconds one remote request may take (the suggestion's own budget may be shorter). */
  timeoutMs: number;
  /** Remote requests in flight at once; more fall back to the local answer. */
  concurrency: number;
  /** Price per 1,000 tokens (prompt and completion alike), in the user's currency; 0: free (own server). */
  pricePer1kTokens: number;
}

export interface RouterSettings {
  mode: RouterMode;
  /**
   * The share of requests to send remote, 0..1; the router picks the
   * threshold that sends this share on its calibration data. -1: the router
   * file's own threshold.
   */
  targetRemoteShare: number;
  /** Most remote cost per 1,000 requests (0: no limit); lowers the remote share to fit. */
  costBudgetPer1kRequests: number;
}

export const defaultRemoteSettings: RemoteSettings = {
  endpoint: '',
  model: 'cobol-slm-large',
  api: 'auto',
  timeoutMs: 1500,
  concurrency: 2,
  pricePer1kTokens: 0,
};

export const defaultRouterSettings: RouterSettings = {
  mode: 'auto',
  targetRemoteShare: -1,
  costBudgetPer1kRequests: 0,
};

const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? value as Record<string, unknown> : {});

/** `raw` is the whole `cobolAssist` section; bad values fall back to defaults. */
export function parseRemoteSettings(raw: unknown): RemoteSettings {
  const remote = record(record(raw).remote);
  const d = defaultRemoteSettings;
  const endpoint = typeof remote.endpoint === 'string' ? remote.endpoint.trim() : d.endpoint;
  return {
    endpoint: isHttpUrl(endpoint) ? endpoint.replace(/\/+$/, '') : '',
    model: typeof remote.model === 'string' && remote.model.trim() ? remote.model.trim() : d.model,
    api: remote.api === 'completions' || remote.api === 'chat' || remote.api === 'auto' ? remote.api : d.api,
    timeoutMs: integerIn(remote.timeoutMs, 50, 60_000) ?? d.timeoutMs,
    concurrency: integerIn(remote.concurrency, 1, 64) ?? d.concurrency,
    pricePer1kTokens: typeof remote.pricePer1kTokens === 'number' && remote.pricePer1kTokens >= 0 && Number.isFinite(remote.pricePer1kTokens) ? remote.pricePer1kTokens : d.pricePer1kTokens,
  };
}

export function parseRouterSettings(raw: unknown): RouterSettings {
  const router = record(record(raw).router);
  const d = defaultRouterSettings;
  const share = router.targetRemoteShare;
  return {
    mode: router.mode === 'local' || router.mode === 'auto' || router.mode === 'remote' ? router.mode : d.mode,
    targetRemoteShare: typeof share === 'number' && (share === -1 || (share >= 0 && share <= 1)) ? share : d.targetRemoteShare,
    costBudgetPer1kRequests: typeof router.costBudgetPer1kRequests === 'number' && router.costBudgetPer1kRequests >= 0 ? router.costBudgetPer1kRequests : d.costBudgetPer1kRequests,
  };
}

function integerIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
