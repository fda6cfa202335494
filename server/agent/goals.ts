/**
 * What a developer can ask the agent for: the three built-in refactorings,
 * whose plans are made in code from the semantic index (no model), and
 * free-form goals, planned by a model.
 */
import type { Goal } from './events';
import type { Plan } from './plan';

export type { Goal };

export function describeGoal(goal: Goal): string {
  switch (goal.kind) {
    case 'rename':
      return `Rename ${goal.name.toUpperCase()} (declared in ${goal.file}) to ${goal.newName.toUpperCase()} everywhere`;
    case 'widen':
      return `Widen ${goal.name.toUpperCase()} (declared in ${goal.file}) to PIC ${goal.picture.toUpperCase()}`;
    case 'extract':
      return `Extract lines ${goal.fromLine}-${goal.toLine} of ${goal.file} into paragraph ${goal.paragraph.toUpperCase()}`;
    case 'freeform':
      return goal.text.slice(0, 500);
  }
}

/** The built-in task's plan: look, propose, verify (compile, and samples the change reaches), then apply. */
export function builtinPlan(goal: Exclude<Goal, { kind: 'freeform' }>, sampleNames: readonly string[]): Plan {
  const steps: Plan['steps'] = [];
  if (goal.kind === 'rename' || goal.kind === 'widen') {
    steps.push({ tool: 'references', args: { file: goal.file, name: goal.name }, why: `Find every use of ${goal.name.toUpperCase()} before changing it.` });
  }
  if (goal.kind === 'rename') steps.push({ tool: 'proposeRename', args: { file: goal.file, name: goal.name, newName: goal.newName }, why: 'Rename it in the declaring file and every program and copybook that uses it.' });
  if (goal.kind === 'widen') steps.push({ tool: 'proposeWiden', args: { file: goal.file, name: goal.name, picture: goal.picture }, why: 'Change its PICTURE and list what depends on its size.' });
  if (goal.kind === 'extract') steps.push({ tool: 'proposeExtract', args: { file: goal.file, fromLine: goal.fromLine, toLine: goal.toLine, paragraph: goal.paragraph }, why: 'Move the statements into a new paragraph and PERFORM it.' });
  steps.push({ tool: 'compileCheck', args: {}, why: 'The affected programs must still compile (cobc, in a temporary copy).' });
  for (const sample of sampleNames) steps.push({ tool: 'runSample', args: { sample }, why: `Sample ${sample}'s output must stay the same.` });
  return { goal: describeGoal(goal), steps };
}
