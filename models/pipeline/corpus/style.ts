/**
 * Coding-style choices for one generated program: layout, case, naming
 * conventions, comment habits. Drawn once per program so that the corpus shows
 * the many ways shops write the same COBOL.
 */
import type { Rng } from './rng';

export type Layout = 'fixed-seq' | 'fixed-blank' | 'fixed-tag' | 'free';
export type ParaStyle = 'num4' | 'alnum' | 'suffix' | 'plain' | 'num-section';
export type CommentStyle = 'box' | 'dash' | 'line' | 'none' | 'star-line';

export interface Style {
  layout: Layout;
  /** Free format written with a `>>SOURCE FORMAT FREE` line (else the compiler flag is assumed). */
  freeDirective: boolean;
  seqStart: number;
  seqStep: number;
  /** Columns 73-80 content for fixed-tag: the program id, or a change marker. */
  tagKind: 'progid' | 'change';
  lower: boolean;
  indentStep: number;
  levels: readonly number[];
  /** Column (1-based, fixed format) where PIC clauses are aligned; 0 = one space after the name. */
  picColumn: number;
  picWord: 'PIC' | 'PICTURE' | 'PIC IS';
  valueWord: 'VALUE' | 'VALUE IS';
  wsPrefix: string;
  words: 0 | 1 | 2;
  paraStyle: ParaStyle;
  useSections: boolean;
  exitParas: boolean;
  scopeTerminators: boolean;
  comments: CommentStyle;
  commentDensity: number;
  header: 'full' | 'short' | 'none';
  identExtras: boolean;
  spaceWord: 'SPACES' | 'SPACE';
  zeroWord: 'ZERO' | 'ZEROS' | 'ZEROES';
  stopWord: 'STOP RUN' | 'GOBACK';
  endProgram: boolean;
  compStyle: 'COMP-3' | 'PACKED-DECIMAL' | 'COMP' | 'DISPLAY';
  binStyle: 'COMP' | 'BINARY' | 'COMP-5';
  toAlign: boolean;
  blankBetweenParas: boolean;
  flagSuffix: 'sw' | 'flag' | 'ind';
}

export function drawStyle(rng: Rng): Style {
  const layout = rng.weighted<Layout>([['fixed-seq', 4], ['fixed-blank', 3], ['fixed-tag', 2], ['free', 2]]);
  const lower = rng.chance(layout === 'free' ? 0.55 : 0.22);
  return {
    layout,
    freeDirective: rng.chance(0.85),
    seqStart: rng.pick([10, 100, 1000, 1, 100]),
    seqStep: rng.pick([10, 100, 10, 1, 20]),
    tagKind: rng.pick(['progid', 'change'] as const),
    lower,
    indentStep: rng.pick([2, 3, 4, 4, 3]),
    levels: rng.pick([[1, 5, 10, 15, 20], [1, 5, 10, 15, 20], [1, 2, 3, 4, 5], [1, 3, 5, 7, 9], [1, 10, 20, 30, 40], [1, 5, 10, 15, 20]]),
    picColumn: rng.pick([0, 0, 36, 40, 44, 32]),
    picWord: rng.weighted([['PIC', 8], ['PICTURE', 1], ['PIC IS', 1]] as const),
    valueWord: rng.weighted([['VALUE', 9], ['VALUE IS', 1]] as const),
    wsPrefix: rng.pick(['WS-', 'WS-', 'W-', 'WK-', '', 'W0-', 'WS-']),
    words: rng.pick([0, 1, 1, 2] as const),
    paraStyle: rng.pick(['num4', 'num4', 'alnum', 'suffix', 'plain', 'num-section'] as const),
    useSections: rng.chance(0.25),
    exitParas: rng.chance(0.3),
    scopeTerminators: rng.chance(0.8),
    comments: rng.pick(['box', 'dash', 'line', 'none', 'star-line'] as const),
    commentDensity: rng.pick([0.2, 0.5, 0.8, 1]),
    header: rng.pick(['full', 'short', 'none', 'full'] as const),
    identExtras: rng.chance(0.5),
    spaceWord: rng.pick(['SPACES', 'SPACES', 'SPACE'] as const),
    zeroWord: rng.pick(['ZERO', 'ZEROS', 'ZEROES', 'ZERO'] as const),
    stopWord: rng.pick(['STOP RUN', 'GOBACK'] as const),
    endProgram: rng.chance(0.35),
    compStyle: rng.pick(['COMP-3', 'COMP-3', 'PACKED-DECIMAL', 'DISPLAY', 'COMP-3'] as const),
    binStyle: rng.pick(['COMP', 'BINARY', 'COMP-5', 'COMP'] as const),
    toAlign: rng.chance(0.3),
    blankBetweenParas: rng.chance(0.6),
    flagSuffix: rng.pick(['sw', 'flag', 'ind'] as const),
  };
}
