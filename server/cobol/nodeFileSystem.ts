/** A `CopybookFileSystem` over the local disk (node:fs), for the command line and the server's fallback. */
import * as fs from 'node:fs';
import type { CopybookFileSystem, DirectoryEntry } from './copybookResolver';

export const nodeFileSystem: CopybookFileSystem = {
  readFile(filePath: string): string | undefined {
    try {
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return undefined;
    }
  },
  readDirectory(folderPath: string): readonly DirectoryEntry[] | undefined {
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
