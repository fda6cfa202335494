/**
 * When a suggestion may be offered at all. Automatic requests (while typing)
 * follow every rule; a manual request (the trigger command) skips only the
 * "long text right of the cursor" rule: the user asked.
 *
 * - never in the sequence area (columns 1-6), the indicator column (7) or
 *   columns 73-80 of a fixed-format line, nor in a comment line or after `*>`;
 * - never after a tab in a fixed-format line: where its columns fall depends
 *   on a tab width nobody agrees on (the editor's, the compiler's), so no
 *   suggestion could be known to stay within column 72;
 * - not automatically before more than 8 characters of code right of the
 *   cursor (llama.vscode's rule: a suggestion there would fight the text).
 */

export interface TriggerInput {
  /** The cursor's line, without its line break. */
  lineText: string;
  /** Zero-based UTF-16 column of the cursor. */
  character: number;
  fixed: boolean;
  manual: boolean;
}

export type TriggerVerdict = { trigger: true } | { trigger: false; reason: string };

/** Code characters right of the cursor beyond which no automatic suggestion is made. */
export const maxTextRightOfCursor = 8;

export function triggerRule({ lineText, character, fixed, manual }: TriggerInput): TriggerVerdict {
  if (fixed) {
    if (character < 7) return { trigger: false, reason: 'cursor in the sequence or indicator area (columns 1-7)' };
    if (character >= 72) return { trigger: false, reason: 'cursor in columns 73-80' };
    if (lineText.slice(0, character).includes('\t')) return { trigger: false, reason: 'tab in a fixed-format line' };
    const indicator = lineText[6];
    if (indicator === '*' || indicator === '/') return { trigger: false, reason: 'comment line' };
  }
  if (commentStartBefore(lineText, character)) return { trigger: false, reason: 'inside a *> comment' };
  const right = (fixed ? lineText.slice(character, 72) : lineText.slice(character)).trim();
  if (!manual && right.length > maxTextRightOfCursor) return { trigger: false, reason: 'too much text right of the cursor' };
  return { trigger: true };
}

/** Whether a `*>` outside any literal starts before `character`. */
function commentStartBefore(lineText: string, character: number): boolean {
  let quote = '';
  for (let i = 0; i < Math.min(character, lineText.length) - 1; i++) {
    const c = lineText[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '*' && lineText[i + 1] === '>') {
      return true;
    }
  }
  return false;
}
