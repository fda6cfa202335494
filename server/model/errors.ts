/**
 * Typed errors of the model host. Each carries a `code` the code can branch
 * on and a message a user can act on (it is shown in the status bar).
 */

export type ModelErrorCode =
  | 'fileMissing'
  | 'notGguf'
  | 'truncated'
  | 'unsupportedModel'
  | 'loadFailed'
  | 'noFimTokens'
  | 'notReady'
  | 'disposed'
  | 'generationFailed';

export class ModelError extends Error {
  override readonly name = 'ModelError';

  constructor(readonly code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A short message from anything thrown, for logs and wrapping. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
