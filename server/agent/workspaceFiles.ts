/**
 * The agent's only way to name a file: a path relative to a workspace root,
 * confined to that root. `..` segments, absolute paths, drive letters, NUL
 * bytes and symbolic links whose target leaves the root are refused with the
 * reason, so a plan (written by a model, or planted in a copybook) cannot make
 * a tool read or propose edits outside the workspace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRefusal, readGated } from '../cobol';

export class PathRefused extends Error {}

export interface ConfinedFile {
  /** Path relative to the root, with forward slashes, as plans and logs show it. */
  relative: string;
  /** Absolute path inside the root (symbolic links resolved). */
  absolute: string;
  root: string;
}

const cobolExtensions = /\.(cbl|cob|cobol|cpy|copy)$/i;

export class WorkspaceFiles {
  readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    if (roots.length === 0) throw new Error('The agent needs an open workspace folder.');
    this.roots = roots.map((root) => fs.realpathSync(path.resolve(root)));
  }

  /** Resolves `relative` inside the first root that has it, or throws `PathRefused` saying why. */
  resolve(relative: string, mustExist = true): ConfinedFile {
    if (typeof relative !== 'string' || relative.length === 0) throw new PathRefused('A file path must be a non-empty string.');
    if (relative.includes('\0')) throw new PathRefused(`'${printable(relative)}' holds a NUL byte.`);
    if (path.isAbsolute(relative) || /^[A-Za-z]:/.test(relative) || relative.startsWith('\\') || relative.startsWith('~')) {
      throw new PathRefused(`'${printable(relative)}' is absolute: give a path relative to the workspace.`);
    }
    const segments = relative.split(/[\\/]+/);
    if (segments.includes('..')) throw new PathRefused(`'${printable(relative)}' climbs out with '..': paths stay inside the workspace.`);
    for (const root of this.roots) {
      const candidate = path.join(root, ...segments);
      let real: string;
      try {
        real = fs.realpathSync(candidate);
      } catch {
        if (!mustExist) return { relative: toRelative(root, candidate), absolute: candidate, root };
        continue;
      }
      if (!isInside(root, real)) throw new PathRefused(`'${printable(relative)}' is a link to a place outside the workspace.`);
      return { relative: toRelative(root, real), absolute: real, root };
    }
    throw new PathRefused(`'${printable(relative)}' does not exist in the workspace.`);
  }

  /** The confined form of an absolute path the front end produced (a copybook it resolved), or undefined outside. */
  confine(absolute: string): ConfinedFile | undefined {
    let real: string;
    try {
      real = fs.realpathSync(absolute);
    } catch {
      return undefined;
    }
    const root = this.roots.find((candidate) => isInside(candidate, real));
    return root ? { relative: toRelative(root, real), absolute: real, root } : undefined;
  }

  /** The file's text, read through the file-access gate (regular files only, non-blocking open, bounded size). */
  read(relative: string): string {
    const file = this.resolve(relative);
    const read = readGated(file.absolute, { roots: this.roots, maxBytes: 8 * 1024 * 1024 });
    if (isRefusal(read)) throw new PathRefused(`'${file.relative}' ${read.reason}`);
    return read.text;
  }

  /** COBOL programs and copybooks under every root (links leaving a root and hidden folders skipped), at most `limit`. */
  cobolFiles(limit = 5000): ConfinedFile[] {
    const found: ConfinedFile[] = [];
    for (const root of this.roots) {
      const walk = (folder: string, depth: number) => {
        if (depth > 16 || found.length >= limit) return;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(folder, { withFileTypes: true });
        } catch {
          return;
        }
        entries.sort((a, b) => a.name.localeCompare(b.name));
        for (const entry of entries) {
          if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
          const full = path.join(folder, entry.name);
          if (entry.isDirectory()) walk(full, depth + 1);
          else if ((entry.isFile() || entry.isSymbolicLink()) && cobolExtensions.test(entry.name)) {
            const confined = this.confine(full);
            if (confined && found.length < limit) found.push(confined);
          }
        }
      };
      walk(root, 0);
    }
    return found;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function toRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f]/g, '?').slice(0, 200);
}

export function isCopybookPath(file: string): boolean {
  return /\.(cpy|copy)$/i.test(file);
}
