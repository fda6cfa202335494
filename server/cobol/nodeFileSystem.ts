/**
 * A `CopybookFileSystem` over the local disk (node:fs), for the command line
 * and the server's fallback. Every read goes through the file-access gate
 * (fileGate.ts): regular files only, bounded in size, under the allowed roots.
 */
import * as fs from 'node:fs';
import type { CopybookFileSystem, DirectoryEntry } from './copybookResolver';
import { type AccessPolicy, defaultMaxFileBytes, type FileRefusal, isNetworkPath, readGated } from './fileGate';

export const nodeFileSystem: CopybookFileSystem = {
  readFile(filePath: string, policy?: AccessPolicy): string | FileRefusal | undefined {
    const result = readGated(filePath, policy ?? { maxBytes: defaultMaxFileBytes });
    if ('text' in result) return result.text;
    return result.problem === 'missing' ? undefined : result;
  },
  readDirectory(folderPath: string): readonly DirectoryEntry[] | undefined {
    if (isNetworkPath(folderPath)) return undefined;
    try {
      return fs.readdirSync(folderPath, { withFileTypes: true }).map((entry) => ({
        name: entry.name,
        isDirectory: entry.isDirectory() || (entry.isSymbolicLink() && isFolder(`${folderPath}/${entry.name}`)),
      }));
    } catch {
      return undefined;
    }
  },
};

function isFolder(filePath: string): boolean {
  try {
    return fs.statSync(filePath).isDirectory();
  } catch {
    return false;
  }
}
