/**
 * The replacement range of a completion: the whole COBOL name typed so far,
 * hyphens included. Without it VS Code replaces only the word after the last
 * hyphen, so accepting `OUT-RATE` after typing `OUT-R` gave `OUT-OUT-RATE`.
 * One range for the whole list (LSP's `itemDefaults.editRange`) where the
 * client supports it, else one `textEdit` per item.
 */
import type { CompletionItem, CompletionList, Range } from 'vscode-languageserver/node';

/** The name (letters, digits, `-`, `_`) that ends at `character` on the line, as a range. */
export function nameRangeBefore(lineText: string, line: number, character: number): Range {
  let start = Math.min(character, lineText.length);
  while (start > 0 && /[A-Za-z0-9_-]/.test(lineText[start - 1])) start--;
  return { start: { line, character: start }, end: { line, character } };
}

/** The items as a list whose every item replaces `range`. */
export function completionListFor(items: CompletionItem[], range: Range, clientHasEditRangeDefault: boolean): CompletionList {
  if (clientHasEditRangeDefault) return { isIncomplete: false, itemDefaults: { editRange: range }, items };
  return {
    isIncomplete: false,
    items: items.map((item) => ({ ...item, textEdit: { range, newText: item.insertText ?? item.label } })),
  };
}
