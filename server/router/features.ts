/**
 * What the router knows about one request when it decides, as a fixed vector
 * of numbers (pure; the same code makes training data and live decisions):
 * - the request and its context: division, statement kind, nesting, how much
 *   of the line is typed, the names on the line, the prompt's length;
 * - the local attempt: mean, minimum and first tokens' probability, mean
 *   surprisal (-ln p of the chosen tokens, the entropy estimate the local
 *   host offers), length, whether it ended the line, whether its names occur
 *   elsewhere in the document, and the front end's verdict (errors on the
 *   completed line);
 * - recent behaviour: the share of the last local suggestions in this
 *   document that the user rejected.
 */

export interface LocalAttempt {
  text: string;
  tokenProbabilities: readonly number[];
  /** True when the attempt ended the line (a stop string), false when it ran out of tokens or time. */
  endedLine: boolean;
  prefixTruncated: boolean;
}

export interface RoutingInput {
  prefix: string;
  suffix: string;
  local: LocalAttempt;
  /** Error diagnostics the front end reports on the completed line (see frontEndVerdict.ts). */
  frontEndErrors: number;
  /** Share (0..1) of the recent local suggestions in this document that were rejected; 0 when none yet. */
  recentRejectionRate: number;
}

/** Statement kinds with a feature each; anything else is the baseline. */
const statementKinds: ReadonlyArray<[string, RegExp]> = [
  ['move', /^MOVE\b/],
  ['condition', /^(IF|ELSE|EVALUATE|WHEN|END-IF|END-EVALUATE)\b/],
  ['perform', /^(PERFORM|END-PERFORM|GO)\b/],
  ['display', /^(DISPLAY|ACCEPT)\b/],
  ['arithmetic', /^(COMPUTE|ADD|SUBTRACT|MULTIPLY|DIVIDE|INITIALIZE|SET)\b/],
  ['io', /^(READ|WRITE|REWRITE|OPEN|CLOSE|DELETE|START|RETURN|RELEASE|SORT|MERGE)\b/],
  ['call', /^(CALL|EXEC|STRING|UNSTRING|INSPECT)\b/],
  ['end', /^(STOP|GOBACK|EXIT|CONTINUE)\b/],
];

export const featureNames: readonly string[] = [
  'meanProbability',
  'minProbability',
  'firstTokensProbability',
  'meanSurprisal',
  'generatedTokensLog',
  'emptyCompletion',
  'endedLine',
  'frontEndErrors',
  'completionNamesKnown',
  'completionHasUnknownName',
  'cursorColumn',
  'typedOnLineLog',
  'midWord',
  'namesOnLine',
  'nesting',
  'inProcedureDivision',
  'prefixLinesLog',
  'prefixTruncated',
  ...statementKinds.map(([name]) => `statement:${name}`),
  'recentRejectionRate',
];

const wordPattern = /[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]|[A-Za-z]/g;

export function routingFeatures(input: RoutingInput): number[] {
  const probabilities = input.local.tokenProbabilities;
  const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const empty = input.local.text.trim() === '';
  const lineStart = input.prefix.lastIndexOf('\n') + 1;
  const line = input.prefix.slice(lineStart);
  const fixed = /^[ 0-9]{6}[ D-]/.test(line);
  const area = fixed ? line.slice(7) : line;
  const typed = area.trimStart();
  const indent = area.length - typed.length;
  const statement = typed.toUpperCase();
  const namesOnLine = (typed.match(wordPattern) ?? []).filter((w) => w.includes('-')).length;
  const completionNames = (input.local.text.match(wordPattern) ?? []).filter((w) => w.includes('-') && w.length > 2);
  const context = (input.prefix.slice(0, lineStart) + input.suffix).toUpperCase();
  const known = completionNames.filter((name) => context.includes(name.toUpperCase())).length;
  const procedure = /PROCEDURE\s+DIVISION/i.test(input.prefix);
  const prefixLines = (input.prefix.match(/\n/g) ?? []).length;
  return [
    probabilities.length ? mean(probabilities) : 0,
    probabilities.length ? Math.min(...probabilities) : 0,
    probabilities.length ? mean(probabilities.slice(0, 3)) : 0,
    probabilities.length ? mean(probabilities.map((p) => -Math.log(Math.max(p, 1e-6)))) : 0,
    Math.log1p(probabilities.length),
    empty ? 1 : 0,
    input.local.endedLine ? 1 : 0,
    Math.min(3, input.frontEndErrors),
    completionNames.length ? known / completionNames.length : 1,
    known < completionNames.length ? 1 : 0,
    Math.min(1, area.length / 72),
    Math.log1p(typed.length),
    /[A-Za-z0-9-]$/.test(line) ? 1 : 0,
    Math.min(4, namesOnLine),
    Math.min(6, Math.max(0, indent - 4) / 3),
    procedure ? 1 : 0,
    Math.log1p(prefixLines),
    input.local.prefixTruncated ? 1 : 0,
    ...statementKinds.map(([, pattern]) => (pattern.test(statement) ? 1 : 0)),
    input.recentRejectionRate,
  ];
}
