/**
 * `npm run serve:model -- --model ID|FILE.gguf [--port N] [--host H] [--name NAME]
 *   [--threads N] [--context N] [--gpu auto|off] [--api-key-env VAR]`
 *
 * Serves one GGUF through node-llama-cpp as an OpenAI-compatible endpoint
 * (`/v1/completions` with `suffix`, `/v1/models`) on 127.0.0.1 by default.
 * `--model` is a catalogue id (cobol-slm-small, cobol-slm-large) or a file.
 * With `--api-key-env VAR`, clients must send the key held in that variable
 * (a key on the command line would show in `ps`). Prints the base URL once
 * it listens; Ctrl+C stops it.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { findModel } from '../model/catalog';
import { messageOf } from '../model/errors';
import { LocalModelBackend } from '../model/localBackend';
import { startModelServer } from './modelServer';

const usage = 'usage: npm run serve:model -- --model ID|FILE.gguf [--port N] [--host H] [--name NAME] [--threads N] [--context N] [--gpu auto|off] [--api-key-env VAR]';

async function main(root: string, argv: string[]): Promise<number> {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : argv[at + 1];
  };
  const model = value('--model');
  if (!model) {
    console.error(usage);
    return 2;
  }
  const entry = findModel(model);
  const path = entry ? join(root, entry.file) : resolve(model);
  if (!existsSync(path)) {
    console.error(`${path} does not exist.\n${usage}`);
    return 2;
  }
  const port = Number(value('--port') ?? 8012);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be 0..65535.\n${usage}`);
    return 2;
  }
  const keyVariable = value('--api-key-env');
  const apiKey = keyVariable ? process.env[keyVariable] : undefined;
  if (keyVariable && !apiKey) {
    console.error(`The variable ${keyVariable} named by --api-key-env is empty.`);
    return 2;
  }
  const name = value('--name') ?? entry?.id ?? basename(path).replace(/\.gguf$/i, '');
  const backend = await LocalModelBackend.load({
    id: name,
    path,
    threads: Number(value('--threads') ?? 0),
    contextSize: Number(value('--context') ?? 0),
    gpu: value('--gpu') === 'off' ? 'off' : 'auto',
    temperature: 0,
    tokenHealing: true,
    fimFallback: entry?.fim ? { ...entry.fim } : undefined,
  });
  const server = await startModelServer({
    backend,
    modelName: name,
    host: value('--host') ?? '127.0.0.1',
    port,
    apiKey,
    log: argv.includes('--quiet') ? undefined : (line) => console.log(`[serve:model] ${line}`),
  });
  console.log(`[serve:model] ${name} (${backend.info.device}, ${backend.info.threads} threads, context ${backend.info.contextSize}) listening on ${server.url}`);
  const stop = async () => {
    await server.close();
    await backend.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return -1; // keep serving
}

main(process.argv[2] ?? process.cwd(), process.argv.slice(3)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`[serve:model] failed: ${messageOf(error)}`);
    process.exit(1);
  },
);
