/** models/catalog.json: its schema, and that bundled entries describe the committed files exactly. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, findModel, modelFilePath, validateCatalog } from '../../../server/model/catalog';

const root = join(__dirname, '..', '..', '..');
const valid = () => JSON.parse(readFileSync(join(root, 'models', 'catalog.json'), 'utf8'));

describe('model catalogue', () => {
  it('is valid: bundled COBOL models plus downloadable FIM code models', () => {
    expect(() => validateCatalog(valid())).not.toThrow();
    expect(findModel('cobol-slm-small')?.source).toBe('bundled');
    const downloads = catalog.models.filter((m) => m.source === 'download');
    expect(downloads.length).toBeGreaterThanOrEqual(3);
    for (const model of downloads) {
      expect(model.url).toMatch(/^https:\/\/huggingface\.co\/.+\/resolve\/.+\.gguf$/);
      if (model.sha256) expect(model.sha256Source).toMatch(/^https:\/\/huggingface\.co\/.+\/blob\//);
    }
  });

  it.each([
    ['a wrong schema version', (c: any) => { c.schemaVersion = 2; }, /schemaVersion/],
    ['a duplicate id', (c: any) => { c.models.push({ ...c.models[0] }); }, /duplicate id/],
    ['an upper-case sha256', (c: any) => { c.models[2].sha256 = c.models[2].sha256.toUpperCase(); }, /sha256/],
    ['a published sha256 without its source', (c: any) => { delete c.models[2].sha256Source; }, /sha256Source/],
    ['a plain-http download', (c: any) => { c.models[2].url = c.models[2].url.replace('https:', 'http:'); }, /url/],
    ['a download file name with a folder', (c: any) => { c.models[2].file = '../evil.gguf'; }, /bare file name/],
    ['a bundled path outside the extension', (c: any) => { c.models[0].file = '../../etc/passwd'; }, /inside the extension/],
    ['a missing FIM token', (c: any) => { delete c.models[0].fim.middle; }, /fim\.middle/],
    ['an unknown source', (c: any) => { c.models[0].source = 'ftp'; }, /source/],
  ])('rejects %s', (_name, spoil, message) => {
    const broken = valid();
    spoil(broken);
    expect(() => validateCatalog(broken)).toThrow(message);
  });

  it('resolves files: bundled under the extension, downloads under global storage', () => {
    const roots = { extensionRoot: '/ext', storageRoot: '/storage' };
    expect(modelFilePath(findModel('cobol-slm-small')!, roots)).toBe('/ext/models/bundled/cobol-slm-small.gguf');
    expect(modelFilePath(findModel('qwen2.5-coder-0.5b-q8_0')!, roots)).toBe('/storage/models/qwen2.5-coder-0.5b-q8_0.gguf');
  });

  it('records the sha256 and size of the project models as models/manifest.json does, and as the files are', () => {
    const manifestPath = join(root, 'models', 'manifest.json');
    const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : { models: {} };
    const listed = Object.values(manifest.models ?? {}) as { file: string; sha256: string; bytes: number }[];
    for (const model of catalog.models.filter((m) => m.source !== 'download')) {
      const recorded = listed.find((entry) => `models/${entry.file}` === model.file);
      if (recorded) {
        expect(model.sha256, `${model.id} (copy it from models/manifest.json)`).toBe(recorded.sha256);
        expect(model.bytes, model.id).toBe(recorded.bytes);
      }
      const path = join(root, model.file);
      if (existsSync(path) && model.sha256) {
        expect(createHash('sha256').update(readFileSync(path)).digest('hex'), `${model.id} file`).toBe(model.sha256);
        expect(statSync(path).size, model.id).toBe(model.bytes);
      }
    }
  });
});
