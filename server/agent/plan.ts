/**
 * The plan: what the agent will do, shown before it does anything (ReWOO:
 * the whole plan first, so the user sees the steps, tools, files and cost).
 * Built-in tasks make their plan in code; a model writes one as JSON that
 * must pass `parsePlan` (the schema below, handed to the model as well):
 * known tools only, arguments of the declared types, paths inside the
 * workspace. Anything else is rejected with the reason.
 */
import { validateArguments } from './argumentSchema';
import { toolsByName } from './tools';
import { PathRefused, type WorkspaceFiles } from './workspaceFiles';

export interface PlanStep {
  tool: string;
  args: Record<string, unknown>;
  /** Why this step, in a sentence. */
  why: string;
}

export interface Plan {
  goal: string;
  steps: PlanStep[];
}

export type { PlanView } from './events';

export const maxPlanSteps = 20;

/** The JSON schema a planning model's answer must follow. */
export function planJsonSchema(): object {
  return {
    type: 'object',
    properties: {
      goal: { type: 'string' },
      steps: {
        type: 'array',
        maxItems: maxPlanSteps,
        items: {
          type: 'object',
          properties: {
            tool: { type: 'string', enum: [...toolsByName.keys()] },
            args: { type: 'object' },
            why: { type: 'string' },
          },
          required: ['tool', 'args', 'why'],
        },
      },
    },
    required: ['goal', 'steps'],
  };
}

/**
 * The plan schema as a generation grammar for a local model: each step is one
 * of the registry's tools with exactly its arguments' types, so the model
 * cannot name a tool that does not exist or mistype an argument. Paths and
 * values are still checked by `parsePlan`.
 */
export function planGrammarSchema(maxSteps = 8): object {
  const argumentSchema = (property: { type: string }) => (property.type === 'array' ? { type: 'array', items: { type: 'string' }, maxItems: 8 } : { type: property.type });
  return {
    type: 'object',
    properties: {
      goal: { type: 'string' },
      steps: {
        type: 'array',
        minItems: 1,
        maxItems: maxSteps,
        items: {
          oneOf: [...toolsByName.values()].map((tool) => ({
            type: 'object',
            properties: {
              tool: { const: tool.name },
              args: { type: 'object', properties: Object.fromEntries(Object.entries(tool.schema.properties).map(([name, property]) => [name, argumentSchema(property)])) },
              why: { type: 'string' },
            },
          })),
        },
      },
    },
  };
}

export type PlanCheck = { ok: true; plan: Plan } | { ok: false; reason: string };

/** Parses and checks a plan written by a model (or anyone): every problem is named. */
export function parsePlan(text: string, files: WorkspaceFiles): PlanCheck {
  let raw: unknown;
  try {
    raw = JSON.parse(extractJson(text));
  } catch {
    return { ok: false, reason: `The planner's answer is not JSON: '${text.replace(/\s+/g, ' ').slice(0, 120)}'` };
  }
  return checkPlan(raw, files);
}

export function checkPlan(raw: unknown, files: WorkspaceFiles): PlanCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'A plan must be a JSON object with goal and steps.' };
  const record = raw as Record<string, unknown>;
  if (typeof record.goal !== 'string' || record.goal.trim() === '') return { ok: false, reason: "The plan has no 'goal' text." };
  if (!Array.isArray(record.steps) || record.steps.length === 0) return { ok: false, reason: "The plan has no 'steps' list." };
  if (record.steps.length > maxPlanSteps) return { ok: false, reason: `The plan has ${record.steps.length} steps; at most ${maxPlanSteps} are allowed.` };
  const steps: PlanStep[] = [];
  const problems: string[] = [];
  record.steps.forEach((value, i) => {
    const step = value as Record<string, unknown>;
    const where = `Step ${i + 1}`;
    if (typeof step !== 'object' || step === null) return problems.push(`${where} is not an object.`);
    const tool = typeof step.tool === 'string' ? toolsByName.get(step.tool) : undefined;
    if (!tool) return problems.push(`${where} names the tool '${String(step.tool)}', which does not exist (tools: ${[...toolsByName.keys()].join(', ')}).`);
    const errors = validateArguments(tool.schema, step.args);
    if (errors.length) return problems.push(`${where} (${tool.name}): ${errors.join('; ')}.`);
    const args = step.args as Record<string, unknown>;
    for (const [name, value] of Object.entries(args)) {
      if (!isPathArgument(name)) continue;
      for (const file of Array.isArray(value) ? value : [value]) {
        try {
          files.resolve(String(file));
        } catch (error) {
          if (error instanceof PathRefused) problems.push(`${where} (${tool.name}): ${error.message}`);
          else throw error;
        }
      }
    }
    steps.push({ tool: tool.name, args, why: typeof step.why === 'string' ? step.why.slice(0, 300) : '' });
    return undefined;
  });
  if (problems.length) return { ok: false, reason: problems.join(' ') };
  if (!steps.some((step) => toolsByName.get(step.tool)?.privilege === 'propose') && steps.some((step) => toolsByName.get(step.tool)?.privilege === 'execute')) {
    return { ok: false, reason: 'The plan runs programs without proposing any change; nothing to verify.' };
  }
  return { ok: true, plan: { goal: record.goal.slice(0, 500), steps } };
}

function isPathArgument(name: string): boolean {
  return name === 'file' || name === 'programs';
}

/** A model may wrap its JSON in prose or a code fence: take the outermost object. */
function extractJson(text: string): string {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : text;
}
