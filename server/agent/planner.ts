/**
 * Planning for free-form goals: a model answers with a plan as JSON, which
 * `parsePlan` then checks. The engine sees only this interface; the remote
 * planner (OpenAI-compatible, JSON mode) is one implementation, and a local
 * node-llama-cpp planner with a JSON-schema grammar is another. The prompt
 * holds the goal, the tools, the file list and the user's preference notes,
 * never file contents, so text planted in the workspace cannot instruct it.
 */
import OpenAI from 'openai';
import { planGrammarSchema, planJsonSchema } from './plan';
import { toolDescriptions } from './tools';
import type { CompletionRequest, CompletionResult } from '../model/backend';

export interface PlanningRequest {
  goal: string;
  files: string[];
  preferences: string[];
}

export interface PlanningAnswer {
  text: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface Planner {
  readonly model: string;
  /** Dollars per 1,000 tokens (prompt, completion), for budgets and the plan's estimate. */
  readonly pricePer1k: { prompt: number; completion: number };
  plan(request: PlanningRequest, signal: AbortSignal): Promise<PlanningAnswer>;
}

export function planningPrompt(request: PlanningRequest): { system: string; user: string } {
  const system = [
    'You plan changes to a COBOL workspace for COBOL Assist. Answer with one JSON object only:',
    '{"goal": string, "steps": [{"tool": string, "args": object, "why": string}]}.',
    'Use only these tools, with exactly their arguments (JSON schema):',
    JSON.stringify(toolDescriptions()),
    'Paths are relative to the workspace. Propose changes with propose* tools, then verify with compileCheck.',
    'You cannot write, delete or move files; the user approves the plan and the final edit.',
    `Plan schema: ${JSON.stringify(planJsonSchema())}`,
  ].join('\n');
  const user = [
    `Goal: ${request.goal}`,
    `Workspace COBOL files: ${request.files.slice(0, 400).join(', ')}`,
    request.preferences.length ? `The user's standing preferences:\n${request.preferences.map((note) => `- ${note}`).join('\n')}` : '',
  ].filter(Boolean).join('\n');
  return { system, user };
}

export interface RemotePlannerOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  pricePer1k?: { prompt: number; completion: number };
  timeoutMs?: number;
}

/** An OpenAI-compatible endpoint in JSON mode. */
export class RemotePlanner implements Planner {
  readonly model: string;
  readonly pricePer1k: { prompt: number; completion: number };
  private readonly client: OpenAI;

  constructor(options: RemotePlannerOptions) {
    this.model = options.model;
    this.pricePer1k = options.pricePer1k ?? { prompt: 0, completion: 0 };
    this.client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey, timeout: options.timeoutMs ?? 60_000, maxRetries: 0 });
  }

  async plan(request: PlanningRequest, signal: AbortSignal): Promise<PlanningAnswer> {
    const prompt = planningPrompt(request);
    const response = await this.client.chat.completions.create(
      {
        model: this.model,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        response_format: { type: 'json_object' },
        temperature: 0,
        max_tokens: 2000,
      },
      { signal },
    );
    const promptTokens = response.usage?.prompt_tokens ?? 0;
    const completionTokens = response.usage?.completion_tokens ?? 0;
    return {
      text: response.choices[0]?.message?.content ?? '',
      model: response.model || this.model,
      promptTokens,
      completionTokens,
      costUsd: (promptTokens * this.pricePer1k.prompt + completionTokens * this.pricePer1k.completion) / 1000,
    };
  }
}

/** What the local planner needs of the model host: a completion on the background lane. */
export type LocalCompletion = (request: CompletionRequest) => Promise<CompletionResult>;

/**
 * The local model as planner, through the model scheduler's background lane
 * (so planning never delays inline completions), its answer constrained by
 * node-llama-cpp's JSON-schema grammar (`planGrammarSchema`: known tools,
 * typed arguments). The bundled models are small FIM models and do not write
 * useful plans: their answer is checked like any other (paths, values,
 * completeness) and rejected with the reason, so the mechanics (lane,
 * grammar, tokens, time, Stop, rejection) are real while a capable planner
 * is remote.
 */
export class LocalPlanner implements Planner {
  readonly pricePer1k = { prompt: 0, completion: 0 };

  constructor(
    readonly model: string,
    private readonly complete: LocalCompletion,
  ) {}

  async plan(request: PlanningRequest, signal: AbortSignal): Promise<PlanningAnswer> {
    const prompt = planningPrompt(request);
    const result = await this.complete({
      prefix: `${prompt.system}\n${prompt.user}\nPlan (JSON):\n`,
      suffix: '',
      maxTokens: 600,
      timeBudgetMs: 30_000,
      lane: 'background',
      jsonSchema: planGrammarSchema(),
      signal,
    });
    if (result.stopReason === 'cancelled') throw new Error('cancelled');
    return { text: result.text, model: this.model, promptTokens: result.timings.promptTokens, completionTokens: result.tokenProbabilities.length, costUsd: 0 };
  }
}
