/**
 * The model catalogue (models/catalog.json): which models COBOL Assist can
 * run, where each comes from, and how to check it. Shared by the extension
 * (the Select Model command, downloads) and the server (resolving a model id
 * to a file); it depends on nothing but Node's path module.
 */
import { isAbsolute, join } from 'node:path';
import catalogJson from '../../models/catalog.json';

export interface FimTemplate {
  prefix: string;
  suffix: string;
  middle: string;
  /** The order the model was trained with: prefix-suffix-middle, or suffix-prefix-middle (the project's models). */
  order: 'psm' | 'spm';
}

export interface CatalogEntry {
  id: string;
  name: string;
  /** bundled: ships in the VSIX; repository: only in a checkout (benchmarks, the router's tests); download: fetched on request. */
  source: 'bundled' | 'repository' | 'download';
  /** bundled/repository: path inside the extension (or checkout); download: file name in the extension's global storage. */
  file: string;
  url?: string;
  /** Lower-case hex; null when no source publishes it (then checked by size and GGUF header). */
  sha256: string | null;
  /** Where the sha256 was published. */
  sha256Source?: string;
  /** Exact size when known; null when it could not be learned (then `maxBytes` bounds the download and the sha256 decides). */
  bytes: number | null;
  approximateBytes?: number;
  /** Downloads: the most bytes accepted when `bytes` is null. */
  maxBytes?: number;
  license: string;
  parameters: string;
  fim: FimTemplate;
  description: string;
}

export interface Catalog {
  schemaVersion: 1;
  models: CatalogEntry[];
}

/** Throws an Error naming the first thing wrong with `raw`; returns it typed otherwise. */
export function validateCatalog(raw: unknown): Catalog {
  const fail = (message: string): never => {
    throw new Error(`models/catalog.json: ${message}`);
  };
  if (!raw || typeof raw !== 'object') fail('not an object');
  const { schemaVersion, models } = raw as Record<string, unknown>;
  if (schemaVersion !== 1) fail(`schemaVersion ${String(schemaVersion)} is not 1`);
  if (!Array.isArray(models) || models.length === 0) fail('models must be a non-empty array');
  const ids = new Set<string>();
  for (const [index, model] of (models as unknown[]).entries()) {
    const entry = (model ?? {}) as Record<string, unknown>;
    const where = `models[${index}] (${String(entry.id)})`;
    for (const key of ['id', 'name', 'file', 'license', 'parameters', 'description']) {
      if (typeof entry[key] !== 'string' || entry[key] === '') fail(`${where}.${key} must be a non-empty string`);
    }
    if (ids.has(entry.id as string)) fail(`${where}: duplicate id`);
    ids.add(entry.id as string);
    if (entry.source !== 'bundled' && entry.source !== 'repository' && entry.source !== 'download') {
      fail(`${where}.source must be "bundled", "repository" or "download"`);
    }
    if (entry.sha256 !== null && !(typeof entry.sha256 === 'string' && /^[0-9a-f]{64}$/.test(entry.sha256))) {
      fail(`${where}.sha256 must be 64 lower-case hex digits or null`);
    }
    if (typeof entry.sha256 === 'string' && entry.source === 'download' && typeof entry.sha256Source !== 'string') {
      fail(`${where}: a published sha256 needs its sha256Source`);
    }
    if (entry.bytes !== null && !(typeof entry.bytes === 'number' && Number.isInteger(entry.bytes) && entry.bytes > 0)) {
      fail(`${where}.bytes must be a positive integer or null`);
    }
    if (entry.source === 'download') {
      if (typeof entry.url !== 'string' || !/^https:\/\/[^\s]+\.gguf$/.test(entry.url)) fail(`${where}.url must be an https URL of a .gguf file`);
      // Pinned: a URL at a fixed commit, never a branch that moves, and the file's published sha256.
      if (!/\/resolve\/[0-9a-f]{40}\//.test(entry.url as string)) fail(`${where}.url must name a fixed commit (…/resolve/<40 hex digits>/…), not a branch`);
      if (typeof entry.sha256 !== 'string') fail(`${where}: a download needs its published sha256`);
      if (entry.bytes === null && !(typeof entry.maxBytes === 'number' && Number.isInteger(entry.maxBytes) && entry.maxBytes > 0)) {
        fail(`${where}: a download of unknown size needs maxBytes`);
      }
      const file = entry.file as string;
      if (/[\\/]/.test(file)) fail(`${where}.file must be a bare file name`);
      if (file === '.' || file === '..' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file)) fail(`${where}.file must be a plain file name (letters, digits, . _ -), not ${JSON.stringify(file)}`);
    } else if (isAbsolute(entry.file as string) || (entry.file as string).includes('..')) {
      fail(`${where}.file must be a path inside the extension`);
    }
    const fim = (entry.fim ?? {}) as Record<string, unknown>;
    for (const key of ['prefix', 'suffix', 'middle']) {
      if (typeof fim[key] !== 'string' || fim[key] === '') fail(`${where}.fim.${key} must be a non-empty string`);
    }
    if (fim.order !== 'psm' && fim.order !== 'spm') fail(`${where}.fim.order must be "psm" or "spm"`);
  }
  return raw as Catalog;
}

export const catalog: Catalog = validateCatalog(catalogJson);

export function findModel(id: string): CatalogEntry | undefined {
  return catalog.models.find((model) => model.id === id);
}

/** Where a catalogue model's file lives on this machine. */
export function modelFilePath(entry: CatalogEntry, roots: { extensionRoot: string; storageRoot: string }): string {
  return entry.source === 'download' ? join(roots.storageRoot, 'models', entry.file) : join(roots.extensionRoot, entry.file);
}
