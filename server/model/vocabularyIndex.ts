/**
 * The model's vocabulary as text, sorted, to answer one question fast:
 * which tokens start with a given text? Token healing constrains the first
 * generated token to those (all others get the bias "never").
 *
 * Built once per loaded model (a 150k-token vocabulary takes a few hundred
 * milliseconds), then each lookup is a binary search.
 */

export class VocabularyIndex {
  /** Token ids sorted by their text. */
  private readonly sorted: number[];

  /**
   * @param texts text of each token id (index = id)
   * @param usable false for tokens that must never start a completion (control tokens)
   */
  constructor(private readonly texts: readonly string[], usable: (token: number) => boolean) {
    this.sorted = [];
    for (let id = 0; id < texts.length; id++) if (usable(id) && texts[id] !== '') this.sorted.push(id);
    this.sorted.sort((a, b) => compare(texts[a]!, texts[b]!));
  }

  get size(): number {
    return this.texts.length;
  }

  /** Ids of the usable tokens whose text starts with `text`. */
  tokensStartingWith(text: string): number[] {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compare(this.texts[this.sorted[middle]!]!, text) < 0) low = middle + 1;
      else high = middle;
    }
    const result: number[] = [];
    for (let i = low; i < this.sorted.length; i++) {
      const id = this.sorted[i]!;
      if (!this.texts[id]!.startsWith(text)) break;
      result.push(id);
    }
    return result;
  }
}

/** Code-unit order, so that every string starting with `p` sorts right after `p`. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
