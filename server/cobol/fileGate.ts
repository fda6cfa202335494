/**
 * The file-access gate: the one place where the server, the workspace
 * indexer and the command line read a file a workspace names.
 *
 * A workspace is untrusted input: a COPY statement, a committed symbolic link
 * or a folder walk must not make us read `/proc/self/environ`, block on a
 * FIFO, stream `/dev/zero` or load a 200 MB file into memory. So a read
 * 1. refuses network paths (`\\host\share`, `//host/share`) before touching them;
 * 2. resolves the real path (every symbolic link) and accepts it only under an
 *    allowed root (real paths too), when roots are given;
 * 3. opens without blocking (a FIFO opens at once), `fstat`s the open handle,
 *    accepts only a regular file, checks its size, and only then reads
 *    exactly that many bytes.
 * Nothing here throws: every outcome is text or a refusal that says why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type FileProblem = 'missing' | 'outside' | 'network' | 'notRegular' | 'tooLarge' | 'unreadable';

/** Why a file was not read; `message` names the path and the reason, never the file's content. */
export interface FileRefusal {
  problem: FileProblem;
  /** The reason alone, e.g. "is not a regular file …". */
  reason: string;
  /** The path and the reason. */
  message: string;
}

export interface AccessPolicy {
  /** Folders the real file must lie under; undefined: anywhere (still only regular, bounded files). */
  roots?: readonly string[];
  /** Largest file read, in bytes. */
  maxBytes: number;
}

export type GatedRead = { text: string; realPath: string } | FileRefusal;

/** The default cap on one file a workspace makes us read (a COBOL source or copybook). */
export const defaultMaxFileBytes = 16 * 1024 * 1024;

const isWindows = process.platform === 'win32';

/** `\\host\share\x`, `//host/share/x`, `\\?\UNC\…`: reading them can reach another machine (and send our credentials). */
export function isNetworkPath(filePath: string): boolean {
  return /^[\\/]{2}/.test(filePath);
}

export function isRefusal(value: unknown): value is FileRefusal {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

/** The real path of a folder, or undefined when it does not exist; cached per process for a short while. */
const realFolderCache = new Map<string, { real: string | undefined; at: number }>();
const realFolderTtlMs = 2000;

export function realFolder(folder: string): string | undefined {
  if (isNetworkPath(folder)) return undefined;
  const now = Date.now();
  const cached = realFolderCache.get(folder);
  if (cached && now - cached.at < realFolderTtlMs) return cached.real;
  let real: string | undefined;
  try {
    real = fs.realpathSync.native(folder);
  } catch {
    real = undefined;
  }
  if (realFolderCache.size > 1000) realFolderCache.clear();
  // A folder that is missing now may be created in a moment: only found ones are cached.
  if (real) realFolderCache.set(folder, { real, at: now });
  return real;
}

/** True when `realPath` (already resolved) lies under one of the roots (resolved here). */
export function isUnderRoots(realPath: string, roots: readonly string[]): boolean {
  const target = isWindows ? realPath.toLowerCase() : realPath;
  for (const root of roots) {
    const real = realFolder(root);
    if (!real) continue;
    const base = isWindows ? real.toLowerCase() : real;
    if (target === base || target.startsWith(base.endsWith(path.sep) ? base : base + path.sep)) return true;
  }
  return false;
}

/** Checks `filePath` against the policy and reads it as UTF-8, or says why not. */
export function readGated(filePath: string, policy: AccessPolicy): GatedRead {
  const opened = openGated(filePath, policy);
  if (isRefusal(opened)) return opened;
  const { fd, size, realPath } = opened;
  try {
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const read = fs.readSync(fd, buffer, filled, size - filled, filled);
      if (read === 0) break; // shrank meanwhile: take what is there
      filled += read;
    }
    return { text: buffer.toString('utf8', 0, filled), realPath };
  } catch (error) {
    return refusal('unreadable', filePath, `cannot be read (${describeError(error)}).`);
  } finally {
    closeQuietly(fd);
  }
}

/** Checks the policy without reading: a regular file under the roots within the size limit, or a refusal. */
export function checkGated(filePath: string, policy: AccessPolicy): { realPath: string; size: number } | FileRefusal {
  const opened = openGated(filePath, policy);
  if (isRefusal(opened)) return opened;
  closeQuietly(opened.fd);
  return { realPath: opened.realPath, size: opened.size };
}

/** The text, or undefined for any refusal (callers that only need "is it there"). */
export function readTextFile(filePath: string, policy: AccessPolicy = { maxBytes: defaultMaxFileBytes }): string | undefined {
  const result = readGated(filePath, policy);
  return isRefusal(result) ? undefined : result.text;
}

function openGated(filePath: string, policy: AccessPolicy): { fd: number; size: number; realPath: string } | FileRefusal {
  if (isNetworkPath(filePath)) return refusal('network', filePath, `is a network path; COBOL Assist reads only local files.`);
  let realPath: string;
  try {
    realPath = fs.realpathSync.native(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return refusal('missing', filePath, `does not exist.`);
    return refusal('unreadable', filePath, `cannot be read (${describeError(error)}).`);
  }
  if (isNetworkPath(realPath)) return refusal('network', filePath, `leads to a network path; COBOL Assist reads only local files.`);
  if (policy.roots && !isUnderRoots(realPath, policy.roots)) {
    return refusal('outside', filePath, `is outside the folders COBOL Assist may read (the workspace or current folder, the program's folder, the copybook folders), so it is not read.`);
  }
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    fd = fs.openSync(realPath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return refusal('missing', filePath, `does not exist.`);
    return refusal('unreadable', filePath, `cannot be read (${describeError(error)}).`);
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) {
      closeQuietly(fd);
      return refusal('notRegular', filePath, `is not a regular file (a device, FIFO, socket or folder), so it is not read.`);
    }
    if (stats.size > policy.maxBytes) {
      closeQuietly(fd);
      return refusal('tooLarge', filePath, `is ${formatBytes(stats.size)}; the limit is ${formatBytes(policy.maxBytes)}, so it is not read.`);
    }
    return { fd, size: stats.size, realPath };
  } catch (error) {
    closeQuietly(fd);
    return refusal('unreadable', filePath, `cannot be read (${describeError(error)}).`);
  }
}

function refusal(problem: FileProblem, filePath: string, reason: string): FileRefusal {
  return { problem, reason, message: `${filePath} ${reason}` };
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // nothing left to do
  }
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many symbolic links';
  if (code === 'EISDIR') return 'a folder';
  return code ?? (error instanceof Error ? error.message : String(error));
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
