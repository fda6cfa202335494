/** Types for grammars/buildGrammar.mjs, the generator of grammars/cobol.tmLanguage.json. */
export interface WordTables {
  readonly groups: Readonly<Record<string, { readonly description: string; readonly words: readonly string[] }>>;
}
export declare const grammarPath: string;
export declare const wordsPath: string;
export declare const GROUP_SCOPES: Readonly<Record<string, string>>;
export declare function buildGrammar(tables: WordTables): Record<string, unknown>;
export declare function renderGrammar(tables: WordTables): string;
export declare function readTables(): WordTables;
