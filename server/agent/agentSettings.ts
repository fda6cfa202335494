/**
 * The agent's settings (`cobolAssist.agent.*`), parsed and defaulted. The
 * planner's endpoint is machine-scoped in the manifest: a workspace cannot
 * point the planner (and its API key) somewhere else.
 */
import { type Budgets, defaultBudgets } from './engine';

export interface AgentSettings {
  planner: { endpoint: string; model: string; pricePer1k: { prompt: number; completion: number } };
  budgets: Budgets;
}

export const defaultAgentSettings: AgentSettings = {
  planner: { endpoint: '', model: '', pricePer1k: { prompt: 0, completion: 0 } },
  budgets: defaultBudgets,
};

export function parseAgentSettings(raw: unknown): AgentSettings {
  const section = object(raw);
  const planner = object(section.planner);
  const budget = object(section.budget);
  const positive = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback);
  const nonNegative = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
  return {
    planner: {
      endpoint: typeof planner.endpoint === 'string' ? planner.endpoint.trim() : '',
      model: typeof planner.model === 'string' ? planner.model.trim() : '',
      pricePer1k: { prompt: nonNegative(planner.pricePer1kPromptUsd), completion: nonNegative(planner.pricePer1kCompletionUsd) },
    },
    budgets: {
      maxSteps: Math.round(positive(budget.maxSteps, defaultBudgets.maxSteps)),
      maxModelTokens: Math.round(positive(budget.maxModelTokens, defaultBudgets.maxModelTokens)),
      maxWallMs: Math.round(positive(budget.maxWallSeconds, defaultBudgets.maxWallMs / 1000) * 1000),
      maxCostUsd: positive(budget.maxCostUsd, defaultBudgets.maxCostUsd),
    },
  };
}

function object(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
