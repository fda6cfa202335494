/** Types for scripts/install-code-server.mjs. */
export const codeServerVersion: string;
export const toolsDir: string;
export const codeServerEntry: string;
export class InstallError extends Error {}
export function ensureCodeServer(options?: { force?: boolean; log?: (message: string) => void }): string;
export function chromiumPath(): string;
