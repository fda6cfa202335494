/**
 * The router's classifier: L2-regularised logistic regression on
 * standardised features, trained by full-batch gradient descent (a convex
 * problem: deterministic, no seed, the same weights for the same data).
 * Small enough to own and test; a few dozen weights ship in a JSON file.
 */

export interface LogisticModel {
  /** Per-feature mean and standard deviation of the training data (standardisation). */
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
}

export interface TrainOptions {
  /** L2 strength on the weights (not the bias). */
  l2?: number;
  iterations?: number;
  learningRate?: number;
}

export function trainLogistic(rows: readonly number[][], labels: readonly boolean[], options: TrainOptions = {}): LogisticModel {
  if (rows.length === 0 || rows.length !== labels.length) throw new Error('trainLogistic needs as many labels as rows, at least one');
  const width = rows[0]!.length;
  const n = rows.length;
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  const std = mean.map((m, j) => {
    const variance = rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / n;
    return variance > 1e-12 ? Math.sqrt(variance) : 1; // a constant feature stays 0 after standardising
  });
  const x = rows.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
  const y: number[] = labels.map((l) => (l ? 1 : 0));
  const l2 = options.l2 ?? 0.01;
  const rate = options.learningRate ?? 0.5;
  const weights = new Array<number>(width).fill(0);
  const positives = y.reduce((a, b) => a + b, 0);
  // Start at the base rate: the first steps then learn features, not the prior.
  let bias = Math.log((positives + 0.5) / (n - positives + 0.5));
  for (let iteration = 0; iteration < (options.iterations ?? 3000); iteration++) {
    const gradient = new Array<number>(width).fill(0);
    let biasGradient = 0;
    for (let i = 0; i < n; i++) {
      const error = sigmoid(dot(weights, x[i]!) + bias) - y[i]!;
      biasGradient += error;
      for (let j = 0; j < width; j++) gradient[j]! += error * x[i]![j]!;
    }
    for (let j = 0; j < width; j++) weights[j]! -= rate * (gradient[j]! / n + l2 * weights[j]!);
    bias -= rate * (biasGradient / n);
  }
  return { mean, std, weights, bias };
}

/** Probability of the positive class. */
export function predict(model: LogisticModel, features: readonly number[]): number {
  return sigmoid(model.bias + contributions(model, features).reduce((a, b) => a + b, 0));
}

/** Each feature's term in the logit (weight × standardised value): what a decision's reason names. */
export function contributions(model: LogisticModel, features: readonly number[]): number[] {
  if (features.length !== model.weights.length) throw new Error(`expected ${model.weights.length} features, got ${features.length}`);
  return features.map((v, j) => model.weights[j]! * ((v - model.mean[j]!) / model.std[j]!));
}

/** Mean log-loss of the model on labelled rows (for reports and tests). */
export function logLoss(model: LogisticModel, rows: readonly number[][], labels: readonly boolean[]): number {
  let total = 0;
  rows.forEach((row, i) => {
    const p = Math.min(1 - 1e-9, Math.max(1e-9, predict(model, row)));
    total -= labels[i] ? Math.log(p) : Math.log(1 - p);
  });
  return total / Math.max(1, rows.length);
}

/** Area under the ROC curve of `scores` for `labels` (ties count half). */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  if (pos.length === 0 || neg.length === 0) return 0.5;
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
