/**
 * Routing quality on labelled cases (pure): the curve of quality against the
 * share sent remote as the threshold moves, random routing at the same
 * shares, and RouteLLM's summary figures:
 * - PGR(s) = (q(s) - q_small) / (q_large - q_small), the performance gap recovered;
 * - APGR, the area under PGR over the remote share from 0 to 1;
 * - CPT(x), the least remote share whose PGR reaches x;
 * plus the remote share at which the router matches large-only quality and
 * the best quality it reaches. A case is routed when its score (the
 * predicted chance that the local answer is acceptable) is among the lowest.
 */

export interface LabelledCase {
  /** The router's score: predicted probability that the local answer is acceptable. */
  score: number;
  /** Quality of the local (small) and remote (large) answers, 0 or 1 for exact match. */
  small: number;
  large: number;
}

export interface CurvePoint {
  remoteShare: number;
  quality: number;
  /** Quality of routing the same share at random (its expected value). */
  randomQuality: number;
  /** The score threshold that gives this share (route when score < threshold). */
  threshold: number;
}

export interface RoutingSummary {
  cases: number;
  smallOnlyQuality: number;
  largeOnlyQuality: number;
  oracleQuality: number;
  bestQuality: number;
  bestQualityRemoteShare: number;
  /** Least share at which the router's quality reaches large-only; null when it never does. */
  remoteShareAtLargeQuality: number | null;
  apgr: number;
  /** Least remote share reaching 50 % / 80 % of the gap; null when never reached. */
  cpt50: number | null;
  cpt80: number | null;
  /** APGR of random routing (0.5 by construction when large is better), for comparison. */
  randomApgr: number;
}

/** Quality at every number of routed cases k = 0..n (the lowest k scores go remote). */
export function routingCurve(cases: readonly LabelledCase[]): CurvePoint[] {
  const n = cases.length;
  const order = [...cases].sort((a, b) => a.score - b.score);
  const small = mean(cases.map((c) => c.small));
  const large = mean(cases.map((c) => c.large));
  let total = cases.reduce((s, c) => s + c.small, 0);
  const points: CurvePoint[] = [];
  for (let k = 0; k <= n; k++) {
    if (k > 0) total += order[k - 1]!.large - order[k - 1]!.small;
    const share = n ? k / n : 0;
    points.push({
      remoteShare: share,
      quality: n ? total / n : 0,
      randomQuality: (1 - share) * small + share * large,
      threshold: k === 0 ? 0 : k === n ? 1 + 1e-9 : order[k]!.score,
    });
  }
  return points;
}

export function summariseRouting(cases: readonly LabelledCase[]): RoutingSummary {
  const curve = routingCurve(cases);
  const small = mean(cases.map((c) => c.small));
  const large = mean(cases.map((c) => c.large));
  const gap = large - small;
  const pgr = (q: number) => (gap > 0 ? (q - small) / gap : 0);
  const best = curve.reduce((a, b) => (b.quality > a.quality + 1e-12 ? b : a), curve[0]!);
  const firstShare = (ok: (p: CurvePoint) => boolean) => {
    const found = curve.find(ok);
    return found ? round(found.remoteShare) : null;
  };
  const area = (values: number[]) => {
    if (values.length < 2) return 0;
    let sum = 0;
    for (let i = 1; i < values.length; i++) sum += (values[i]! + values[i - 1]!) / 2;
    return sum / (values.length - 1);
  };
  return {
    cases: cases.length,
    smallOnlyQuality: round(small),
    largeOnlyQuality: round(large),
    oracleQuality: round(mean(cases.map((c) => Math.max(c.small, c.large)))),
    bestQuality: round(best.quality),
    bestQualityRemoteShare: round(best.remoteShare),
    remoteShareAtLargeQuality: firstShare((p) => p.quality >= large - 1e-12),
    apgr: round(area(curve.map((p) => pgr(p.quality)))),
    cpt50: gap > 0 ? firstShare((p) => pgr(p.quality) >= 0.5) : null,
    cpt80: gap > 0 ? firstShare((p) => pgr(p.quality) >= 0.8) : null,
    randomApgr: round(area(curve.map((p) => pgr(p.randomQuality)))),
  };
}

/** The curve sampled at shares 0, step, 2·step, … 1 (for reports and plots). */
export function sampleCurve(curve: readonly CurvePoint[], step = 0.05): CurvePoint[] {
  const n = curve.length - 1;
  const out: CurvePoint[] = [];
  for (let s = 0; s <= 1 + 1e-9; s += step) {
    const p = curve[Math.round(s * n)]!;
    out.push({ remoteShare: round(p.remoteShare), quality: round(p.quality), randomQuality: round(p.randomQuality), threshold: round(p.threshold) });
  }
  return out;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round = (x: number) => Math.round(x * 10000) / 10000;
