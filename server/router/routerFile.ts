/**
 * The shipped router: the classifier's weights, the default threshold, the
 * calibration that turns a target remote share into a threshold, and the
 * sha256 of the routing data that made them (models/router.json, written by
 * `npm run router:train`). Parsing checks every field: a file made for other
 * features is refused with the command that remakes it.
 */
import { featureNames } from './features';
import type { LogisticModel } from './logistic';
import type { RoutingSummary } from './routingMetrics';

export interface RouterFile {
  schema: 1;
  kind: 'logistic-regression';
  /** What the score predicts. */
  label: string;
  features: string[];
  model: LogisticModel;
  /** Route remote when the score is below this. */
  threshold: number;
  /** The share of calibration cases the threshold sends remote. */
  defaultRemoteShare: number;
  /** Score at each percentile 0..100 of the calibration cases: a target share's threshold. */
  scoreQuantiles: number[];
  trainedOn: {
    local: string;
    remote: string;
    /** Cases the weights were fitted on, and the held-out ones the threshold was calibrated on. */
    cases: number;
    calibrationCases: number;
    /** sha256 of the routing data (cases with features and labels) as the tool serialised it. */
    dataSha256: string;
    source: string;
    date: string;
  };
  /** Routing figures on the calibration cases. */
  calibration: RoutingSummary;
}

export function parseRouterFile(raw: unknown, where = 'router file'): RouterFile {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}. Remake it with npm run router:train.`);
  };
  if (!raw || typeof raw !== 'object') fail('not a JSON object');
  const file = raw as RouterFile;
  if (file.schema !== 1 || file.kind !== 'logistic-regression') fail('unknown schema or kind');
  if (!Array.isArray(file.features) || file.features.join(',') !== featureNames.join(',')) fail('made for other features than this version computes');
  const width = featureNames.length;
  const numbers = (xs: unknown, length: number) => Array.isArray(xs) && xs.length === length && xs.every((x) => typeof x === 'number' && Number.isFinite(x));
  const model = file.model;
  if (!model || !numbers(model.weights, width) || !numbers(model.mean, width) || !numbers(model.std, width) || !numbers([model.bias], 1)) fail('weights missing or of the wrong length');
  if (model.std.some((s) => s <= 0)) fail('a standard deviation is not positive');
  if (!numbers([file.threshold], 1) || !numbers(file.scoreQuantiles, 101)) fail('threshold or calibration missing');
  if (file.scoreQuantiles.some((q, i) => i > 0 && q < file.scoreQuantiles[i - 1]!)) fail('calibration quantiles are not sorted');
  if (typeof file.trainedOn?.dataSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.trainedOn.dataSha256)) fail('no data hash');
  return file;
}

/** The threshold that sends `share` of requests remote on the calibration data (interpolated). */
export function thresholdForShare(file: Pick<RouterFile, 'scoreQuantiles'>, share: number): number {
  if (share <= 0) return 0;
  if (share >= 1) return 1 + 1e-9;
  const at = share * 100;
  const low = Math.floor(at);
  const high = Math.min(100, low + 1);
  const q = file.scoreQuantiles;
  return q[low]! + (q[high]! - q[low]!) * (at - low);
}

/** Score percentiles 0..100 of a sample (nearest rank). */
export function scoreQuantiles(scores: readonly number[]): number[] {
  const sorted = [...scores].sort((a, b) => a - b);
  if (sorted.length === 0) return Array.from({ length: 101 }, (_, i) => i / 100);
  return Array.from({ length: 101 }, (_, i) => sorted[Math.min(sorted.length - 1, Math.round((i / 100) * (sorted.length - 1)))]!);
}

/**
 * The remote share a cost budget allows: `budgetPer1kRequests` spread over
 * remote requests that cost `costPerRemoteRequest` each. 1 when there is no
 * budget or the remote is free.
 */
export function shareForBudget(budgetPer1kRequests: number, costPerRemoteRequest: number): number {
  if (budgetPer1kRequests <= 0 || costPerRemoteRequest <= 0) return 1;
  return Math.min(1, budgetPer1kRequests / (1000 * costPerRemoteRequest));
}
