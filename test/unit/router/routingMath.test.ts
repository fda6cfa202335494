/**
 * The router's pure parts: the classifier, the routing metrics (APGR, CPT,
 * random routing), the router file's calibration and the features, each
 * checked on small hand-made data whose answers are known.
 */
import { describe, expect, it } from 'vitest';
import { featureNames, routingFeatures, type RoutingInput } from '../../../server/router/features';
import { contributions, logLoss, predict, rocAuc, trainLogistic } from '../../../server/router/logistic';
import { parseRouterFile, scoreQuantiles, shareForBudget, thresholdForShare } from '../../../server/router/routerFile';
import { routingCurve, summariseRouting, type LabelledCase } from '../../../server/router/routingMetrics';

describe('logistic regression', () => {
  const rows = Array.from({ length: 200 }, (_, i) => [Math.sin(i) * 3, (i % 7) / 7]);
  const labels = rows.map(([a]) => a! > 0.2);

  it('learns a separable rule: high AUC, low loss, the informative weight dominant', () => {
    const model = trainLogistic(rows, labels);
    const scores = rows.map((r) => predict(model, r));
    expect(rocAuc(scores, labels)).toBeGreaterThan(0.99);
    expect(logLoss(model, rows, labels)).toBeLessThan(0.2);
    expect(Math.abs(model.weights[0]!)).toBeGreaterThan(5 * Math.abs(model.weights[1]!));
  });

  it('is deterministic, and its contributions add up to the logit', () => {
    const a = trainLogistic(rows, labels);
    expect(trainLogistic(rows, labels)).toEqual(a);
    const row = rows[5]!;
    const logit = a.bias + contributions(a, row).reduce((s, x) => s + x, 0);
    expect(predict(a, row)).toBeCloseTo(1 / (1 + Math.exp(-logit)), 12);
  });

  it('a constant feature gets no weight and no NaN', () => {
    const model = trainLogistic(rows.map((r) => [r[0]!, 1]), labels);
    expect(model.std[1]).toBe(1);
    expect(model.weights[1]).toBe(0);
  });

  it('AUC counts ties as half, and is 0.5 with one class', () => {
    expect(rocAuc([0.2, 0.2], [true, false])).toBe(0.5);
    expect(rocAuc([0.9, 0.1], [true, false])).toBe(1);
    expect(rocAuc([0.9, 0.1], [true, true])).toBe(0.5);
  });
});

describe('routing metrics', () => {
  // Four cases: the router's score ranks the case where large wins lowest.
  const cases: LabelledCase[] = [
    { score: 0.1, small: 0, large: 1 },
    { score: 0.4, small: 0, large: 0 },
    { score: 0.6, small: 1, large: 0 },
    { score: 0.9, small: 1, large: 1 },
  ];

  it('the curve routes the lowest scores first; random routing is the straight line', () => {
    const curve = routingCurve(cases);
    expect(curve.map((p) => p.quality)).toEqual([0.5, 0.75, 0.75, 0.5, 0.5]);
    expect(curve.map((p) => p.randomQuality)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(curve[1]!.threshold).toBe(0.4); // route when score < 0.4: exactly the first case
  });

  it('summary: small, large, oracle, best, the share matching large, APGR and CPT', () => {
    const better: LabelledCase[] = [
      { score: 0.1, small: 0, large: 1 },
      { score: 0.2, small: 0, large: 1 },
      { score: 0.7, small: 1, large: 1 },
      { score: 0.8, small: 0, large: 0 },
    ];
    const s = summariseRouting(better);
    expect(s).toMatchObject({ smallOnlyQuality: 0.25, largeOnlyQuality: 0.75, oracleQuality: 0.75, bestQuality: 0.75, bestQualityRemoteShare: 0.5, remoteShareAtLargeQuality: 0.5, cpt50: 0.25, cpt80: 0.5 });
    // PGR at shares 0, .25, .5, .75, 1 = 0, .5, 1, 1, 1: trapezoid area (.25 + .75 + 1 + 1) / 4 = 0.75; random is 0.5.
    expect(s.apgr).toBeCloseTo(0.75, 4);
    expect(s.randomApgr).toBeCloseTo(0.5, 4);
  });

  it('with no gap between the models, PGR figures are null, not a division by zero', () => {
    const s = summariseRouting(cases);
    expect(s.largeOnlyQuality).toBe(s.smallOnlyQuality);
    expect(s.cpt50).toBeNull();
    expect(Number.isFinite(s.apgr)).toBe(true);
    expect(s.bestQuality).toBe(0.75);
  });
});

describe('router file calibration', () => {
  it('quantiles turn a target share into a threshold, interpolated', () => {
    const quantiles = scoreQuantiles(Array.from({ length: 101 }, (_, i) => i / 100));
    expect(thresholdForShare({ scoreQuantiles: quantiles }, 0.3)).toBeCloseTo(0.3, 10);
    expect(thresholdForShare({ scoreQuantiles: quantiles }, 0.305)).toBeCloseTo(0.305, 10);
    expect(thresholdForShare({ scoreQuantiles: quantiles }, 0)).toBe(0);
    expect(thresholdForShare({ scoreQuantiles: quantiles }, 1)).toBeGreaterThan(1);
  });

  it('a cost budget caps the remote share', () => {
    expect(shareForBudget(0, 0.01)).toBe(1);
    expect(shareForBudget(2, 0)).toBe(1);
    expect(shareForBudget(2, 0.01)).toBeCloseTo(0.2, 10); // 2 per 1,000 requests at 0.01 a remote call: 200 calls
    expect(shareForBudget(50, 0.01)).toBe(1);
  });

  it('a file made for other features, or without its data hash, is refused with the command that remakes it', () => {
    expect(() => parseRouterFile({ schema: 1, kind: 'logistic-regression', features: ['x'] })).toThrow(/router:train/);
    const width = featureNames.length;
    const good = {
      schema: 1, kind: 'logistic-regression', label: 'x', features: [...featureNames],
      model: { mean: new Array(width).fill(0), std: new Array(width).fill(1), weights: new Array(width).fill(0), bias: 0 },
      threshold: 0.5, defaultRemoteShare: 0.5, scoreQuantiles: Array.from({ length: 101 }, (_, i) => i / 100),
      trainedOn: { dataSha256: 'a'.repeat(64) },
    };
    expect(parseRouterFile(good).threshold).toBe(0.5);
    expect(() => parseRouterFile({ ...good, trainedOn: {} })).toThrow(/data hash/);
    expect(() => parseRouterFile({ ...good, model: { ...good.model, weights: [1] } })).toThrow(/weights/);
  });
});

describe('routing features', () => {
  const base: RoutingInput = {
    prefix: '       WORKING-STORAGE SECTION.\n       01  WS-TOTAL PIC 9(4).\n       PROCEDURE DIVISION.\n           MOVE WS-TO',
    suffix: '\n           STOP RUN.\n',
    local: { text: 'TAL TO WS-OUT', tokenProbabilities: [0.9, 0.5, 0.8], endedLine: true, prefixTruncated: false },
    frontEndErrors: 1,
    recentRejectionRate: 0.25,
  };
  const feature = (input: RoutingInput, name: string) => routingFeatures(input)[featureNames.indexOf(name)];

  it('one number per named feature', () => {
    expect(routingFeatures(base)).toHaveLength(featureNames.length);
  });

  it.each([
    ['meanProbability', (0.9 + 0.5 + 0.8) / 3],
    ['minProbability', 0.5],
    ['endedLine', 1],
    ['frontEndErrors', 1],
    ['statement:move', 1],
    ['statement:io', 0],
    ['inProcedureDivision', 1],
    ['midWord', 1],
    ['recentRejectionRate', 0.25],
    // WS-OUT is not declared anywhere in the document: a name the local model made up.
    ['completionHasUnknownName', 1],
    ['completionNamesKnown', 0],
  ])('%s', (name, expected) => {
    expect(feature(base, name)).toBeCloseTo(expected as number, 10);
  });

  it('an empty local answer is marked empty, with zero probabilities', () => {
    const empty = { ...base, local: { ...base.local, text: '', tokenProbabilities: [] } };
    expect(feature(empty, 'emptyCompletion')).toBe(1);
    expect(feature(empty, 'meanProbability')).toBe(0);
    expect(feature(empty, 'completionNamesKnown')).toBe(1);
  });
});
