/**
 * How the remote API key reaches the server: the extension reads it from
 * VS Code SecretStorage and starts the server process with it in this
 * environment variable. Not a setting (settings are plain files) and not an
 * LSP message (LSP traces log every message). The server takes it out of its
 * environment at start, so no child process (cobc) inherits it.
 */
import { remoteApiKeyEnvironmentVariable } from '../protocol';

export function takeRemoteApiKey(environment: NodeJS.ProcessEnv = process.env): string {
  const key = environment[remoteApiKeyEnvironmentVariable] ?? '';
  delete environment[remoteApiKeyEnvironmentVariable];
  return key.trim();
}
