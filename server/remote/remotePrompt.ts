/**
 * Prompts for a remote model, built for the API it speaks (pure, tested
 * without a server):
 * - FIM through `/v1/completions`: `prompt` is the text before the cursor and
 *   `suffix` the text after it; the server applies its model's FIM template
 *   (vLLM, llama.cpp server, Ollama, this project's `serve:model`).
 * - Chat: the code with a cursor marker, and an instruction to answer with
 *   the inserted text only. Chat models still wrap code in fences or repeat
 *   the line; `cleanChatAnswer` takes that off.
 * The text is cut at line starts to a character budget: the remote model's
 * context is unknown here, and the server cuts further if it must.
 */

export const cursorMarker = '<CURSOR>';

export interface PromptLimits {
  /** Characters of text before the cursor sent at most. */
  prefixChars: number;
  /** Characters of text after the cursor sent at most. */
  suffixChars: number;
}

export const defaultPromptLimits: PromptLimits = { prefixChars: 8000, suffixChars: 2000 };

/** The end of `prefix`, at most `maxChars`, starting at a line start where one is in reach. */
export function prefixTail(prefix: string, maxChars: number): string {
  if (prefix.length <= maxChars) return prefix;
  const from = prefix.length - maxChars;
  const lineStart = prefix.indexOf('\n', from);
  return lineStart === -1 || lineStart + 1 >= prefix.length ? prefix.slice(from) : prefix.slice(lineStart + 1);
}

/** The start of `suffix`, at most `maxChars`, ending at a line end where one is in reach. */
export function suffixHead(suffix: string, maxChars: number): string {
  if (suffix.length <= maxChars) return suffix;
  const lineEnd = suffix.lastIndexOf('\n', maxChars);
  return lineEnd <= 0 ? suffix.slice(0, maxChars) : suffix.slice(0, lineEnd + 1);
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export function buildChatMessages(prefix: string, suffix: string, singleLine: boolean, limits: PromptLimits = defaultPromptLimits): ChatMessage[] {
  const scope = singleLine ? 'the rest of the line at the cursor' : 'the code that belongs at the cursor';
  return [
    {
      role: 'system',
      content: 'You complete COBOL source code in an editor. Keep the program\'s layout (fixed-format columns, case, naming). '
        + `Answer with ${scope} only: no explanation, no code fences, nothing that is already before or after the cursor.`,
    },
    { role: 'user', content: `${prefixTail(prefix, limits.prefixChars)}${cursorMarker}${suffixHead(suffix, limits.suffixChars)}` },
  ];
}

/** The text to insert, from a chat answer: fences and a repeated start of the line are removed. */
export function cleanChatAnswer(answer: string, prefix: string): string {
  let text = answer.replace(/\r\n?/g, '\n');
  const fenced = /^\s*```[\w-]*\n([\s\S]*?)\n?```\s*$/.exec(text);
  if (fenced) text = fenced[1]!;
  text = text.replace(cursorMarker, '');
  // A chat model often repeats the line up to the cursor: keep only what comes after it.
  const lineSoFar = prefix.slice(prefix.lastIndexOf('\n') + 1);
  if (lineSoFar.trim() && text.startsWith(lineSoFar)) return text.slice(lineSoFar.length);
  const typed = lineSoFar.trimStart();
  if (typed && text.trimStart().startsWith(typed) && !lineSoFar.endsWith(' ')) return text.trimStart().slice(typed.length);
  return text;
}
