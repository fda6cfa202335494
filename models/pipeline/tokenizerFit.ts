/**
 * How well the models' tokenizer fits a body of COBOL: characters per token
 * overall and for the parts where real code differs most from the synthetic
 * corpus it was trained on: comment lines, lower-case code, and identifiers
 * (hyphenated data and paragraph names). A clearly lower figure on real code
 * than on synthetic code means longer prompts for the same text (less
 * context in the window, slower completions) and is the signal to retrain it.
 */
import type { Tokenizer } from './tokenizer';

export interface TokenizerFit {
  documents: number;
  chars: number;
  tokens: number;
  charsPerToken: number;
  /** Comment lines only (fixed-format indicator * or /, or `*>`). */
  commentCharsPerToken: number;
  /** Code lines whose letters are mostly lower case. */
  lowerCaseCodeCharsPerToken: number;
  /** Identifiers with a hyphen (data names, paragraph names), each tokenised alone. */
  identifierCharsPerToken: number;
}

const isComment = (line: string) => /^.{6}[*/]/.test(line) || /^\s*\*>/.test(line);

function isLowerCase(line: string): boolean {
  const lower = (line.match(/[a-z]/g) ?? []).length;
  const upper = (line.match(/[A-Z]/g) ?? []).length;
  return lower > upper;
}

export function tokenizerFit(tok: Tokenizer, texts: readonly string[]): TokenizerFit {
  const part = { all: [0, 0], comment: [0, 0], lower: [0, 0], ident: [0, 0] };
  const add = (key: keyof typeof part, text: string) => {
    if (!text) return;
    part[key][0] += text.length;
    part[key][1] += tok.encode(text).length;
  };
  for (const text of texts) {
    add('all', text);
    const comments: string[] = [];
    const lower: string[] = [];
    for (const line of text.split('\n')) {
      if (isComment(line)) comments.push(line);
      else if (isLowerCase(line)) lower.push(line);
    }
    add('comment', comments.join('\n'));
    add('lower', lower.join('\n'));
    for (const id of new Set(text.match(/\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+\b/g) ?? [])) add('ident', id);
  }
  const ratio = ([chars, tokens]: number[]) => (tokens ? Math.round((chars! / tokens) * 1000) / 1000 : 0);
  return {
    documents: texts.length,
    chars: part.all[0]!,
    tokens: part.all[1]!,
    charsPerToken: ratio(part.all),
    commentCharsPerToken: ratio(part.comment),
    lowerCaseCodeCharsPerToken: ratio(part.lower),
    identifierCharsPerToken: ratio(part.ident),
  };
}
