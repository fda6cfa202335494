/**
 * Minimal glob support for the command line, so quoted patterns work the
 * same in every shell and in CI files (Node 20 has no fs.glob).
 * Supports `*` and `?` (within one path segment), `**` (any number of
 * segments), `{a,b}` alternatives and `[...]` character classes.
 */
import { readdirSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

const magic = /[*?[{]/;

export function isGlob(pattern: string): boolean {
  return magic.test(pattern);
}

/** Translates one glob into an anchored regular expression over `/`-separated paths. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
        const slashFollows = pattern[i + 2] === '/';
        source += slashFollows ? '(?:[^/]*/)*' : '.*';
        i += slashFollows ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
      } else {
        const body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = close;
      }
    } else if (c === '{') {
      braceDepth++;
      source += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (c === ',' && braceDepth > 0) {
      source += '|';
    } else {
      source += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
    }
  }
  // An unclosed brace is taken literally rather than failing the whole run.
  if (braceDepth > 0) return new RegExp('^' + pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
  return new RegExp('^' + source + '$');
}

/**
 * Files matching `pattern`, sorted. Walks only below the pattern's longest
 * literal folder prefix; unreadable folders are skipped, never fatal.
 * Hidden folders and node_modules are not entered unless the pattern names them.
 */
export function expandGlob(pattern: string, cwd: string): string[] {
  const normalized = pattern.split(sep).join('/');
  const segments = normalized.split('/');
  const firstMagic = segments.findIndex((segment) => isGlob(segment));
  const base = segments.slice(0, firstMagic).join('/') || (normalized.startsWith('/') ? '/' : '.');
  const root = isAbsolute(base) ? base : join(cwd, base);
  const matcher = globToRegExp(segments.slice(firstMagic).join('/'));
  const results: string[] = [];
  const walk = (folder: string, relative: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if ((entry.name.startsWith('.') || entry.name === 'node_modules') && !normalized.includes(entry.name)) continue;
        walk(join(folder, entry.name), path);
      } else if (matcher.test(path)) {
        results.push(base === '.' && !normalized.startsWith('./') ? path : `${base.replace(/\/$/, '')}/${path}`);
      }
    }
  };
  walk(root, '');
  return results.sort();
}
