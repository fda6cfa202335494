/**
 * router:train's fitting (fitRouter) on routing cases whose answer is known,
 * and the shipped router file: it parses, names the data hash that made it,
 * and was made from the half of the test split that bench:router never
 * judges on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvalPrograms } from '../../../models/pipeline/evaluate';
import { RoutingCase, routingDataSha256, splitPrograms } from '../../../models/router/routingData';
import { fitRouter } from '../../../models/router/trainRouter';
import { featureNames } from '../../../server/router/features';
import { parseRouterFile } from '../../../server/router/routerFile';

const root = join(__dirname, '../../..');
const meanProbability = featureNames.indexOf('meanProbability');

/** Cases where the local answer is right exactly when its mean probability is high; large is right on half the rest. */
function syntheticCases(n: number): RoutingCase[] {
  return Array.from({ length: n }, (_, i) => {
    const features = new Array<number>(featureNames.length).fill(0);
    features[meanProbability] = (i * 37 % 100) / 100;
    const smallRight = features[meanProbability]! > 0.5;
    const answer = (exact: boolean) => ({ completion: '', exact, similarity: exact ? 1 : 0, compiles: null, ms: 1 });
    return { split: 'synthetic', programId: `P${i % 40}`, cut: 0, lineEnd: 0, column: 8, expected: 'X', features, small: answer(smallRight), large: answer(smallRight || i % 2 === 0) };
  });
}

describe('fitRouter', () => {
  const cases = syntheticCases(400);
  const trained = fitRouter(cases, { local: 'small', remote: 'large', source: 'synthetic' });

  it('learns that the local model is right when it is confident', () => {
    expect(trained.file.model.weights[meanProbability]).toBeGreaterThan(1);
    // A perfect router gains linearly up to share 0.5 and is flat after: APGR 0.25 + 0.5 = 0.75.
    expect(trained.file.calibration.apgr).toBeGreaterThan(0.73);
  });

  it('calibrates on out-of-fold scores: the default share is where large-only quality is reached', () => {
    const c = trained.file.calibration;
    expect(c.largeOnlyQuality).toBeCloseTo(0.75, 2);
    expect(trained.file.defaultRemoteShare).toBeCloseTo(c.remoteShareAtLargeQuality!, 4);
    // Half the cases have the local model wrong: routing those (and no more) reaches large-only quality.
    expect(trained.file.defaultRemoteShare).toBeGreaterThan(0.45);
    expect(trained.file.defaultRemoteShare).toBeLessThan(0.56);
    expect(trained.outOfFoldScores).toHaveLength(cases.length);
  });

  it('records the hash of the data; other data, another hash', () => {
    expect(trained.file.trainedOn.dataSha256).toBe(routingDataSha256(cases));
    expect(routingDataSha256(cases.slice(1))).not.toBe(trained.file.trainedOn.dataSha256);
  });

  it('refuses too little data', () => {
    expect(() => fitRouter(cases.slice(0, 10), { local: 'a', remote: 'b', source: 'c' })).toThrow(/too few/);
  });
});

describe('the shipped router (models/router.json)', () => {
  const file = parseRouterFile(JSON.parse(readFileSync(join(root, 'models/router.json'), 'utf8')));

  it('parses, for this version\'s features, with its data hash and a threshold in (0, 1)', () => {
    expect(file.features).toEqual([...featureNames]);
    expect(file.trainedOn.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.threshold).toBeGreaterThan(0);
    expect(file.threshold).toBeLessThan(1);
  });

  it('was trained on the half of the test split that bench:router does not judge on', () => {
    expect(file.trainedOn.source).toMatch(/training half/);
    const programs = loadEvalPrograms(join(root, 'models/eval/test-split.jsonl'));
    const { train, heldOut } = splitPrograms(programs);
    expect(train.length + heldOut.length).toBe(programs.length);
    expect(train.length).toBeGreaterThan(programs.length * 0.3);
    expect(heldOut.length).toBeGreaterThan(programs.length * 0.3);
    const trainIds = new Set(train.map((p) => p.id));
    expect(heldOut.some((p) => trainIds.has(p.id))).toBe(false);
  });
});
