/**
 * Request handlers that never fail the client: an unexpected exception is
 * logged with the request's name and the handler answers its empty value
 * (ARCHITECTURE.md: "a handler that fails logs and answers empty"). A
 * `ResponseError` is a deliberate answer (a refused rename) and passes through.
 */
import { ResponseError } from 'vscode-languageserver/node';

export type Log = (message: string) => void;

export function guarded<P extends unknown[], R, E>(log: Log, name: string, empty: E, handler: (...args: P) => R | Promise<R>): (...args: P) => Promise<R | E> {
  return async (...args: P) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return empty;
    }
  };
}
