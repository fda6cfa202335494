/**
 * Whether the remote model is answering, as the status bar and the log show
 * it. A failure is reported once when the state changes (not once per
 * request: a remote that is down would otherwise flood the log while the
 * user types), and recovery is reported once when an answer arrives again.
 */

export type RemoteFailure =
  | 'unreachable'   // connection refused, DNS, reset
  | 'timeout'       // no answer within the request's budget
  | 'rateLimited'   // 429 (and the Retry-After wait that follows)
  | 'serverError'   // 5xx
  | 'auth'          // 401/403: a missing or wrong API key
  | 'rejected'      // another 4xx: the endpoint refused the request
  | 'badResponse'   // not the JSON an OpenAI-compatible API answers
  | 'empty'         // an answer without a completion
  | 'busy';         // the concurrency limit is reached (not a fault of the remote)

export type RemoteState = { state: 'unknown' | 'ok' } | { state: 'failing'; failure: RemoteFailure; message: string; since: number };

export interface RemoteHealthChange {
  state: RemoteState;
  /** One line for the log and the status bar's tooltip. */
  message: string;
}

export class RemoteHealth {
  private current: RemoteState = { state: 'unknown' };
  private readonly listeners: Array<(change: RemoteHealthChange) => void> = [];

  constructor(private readonly name: string, private readonly now: () => number = Date.now) {}

  get state(): RemoteState {
    return this.current;
  }

  onChange(listener: (change: RemoteHealthChange) => void): void {
    this.listeners.push(listener);
  }

  succeeded(): void {
    if (this.current.state === 'ok') return;
    const wasFailing = this.current.state === 'failing';
    this.current = { state: 'ok' };
    if (wasFailing) this.emit(`Remote model ${this.name} answers again; routing resumes.`);
  }

  failed(failure: RemoteFailure, message: string): void {
    // Busy is our own limit, not the remote's health.
    if (failure === 'busy') return;
    const previous = this.current;
    if (previous.state === 'failing' && previous.failure === failure) return;
    this.current = { state: 'failing', failure, message, since: this.now() };
    this.emit(`Remote model ${this.name} unavailable (${failure}): ${message} Local suggestions are shown meanwhile.`);
  }

  private emit(message: string): void {
    for (const listener of this.listeners) listener({ state: this.current, message });
  }
}
