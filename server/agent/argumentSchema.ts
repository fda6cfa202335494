/**
 * The JSON-schema subset the agent's tools declare their arguments in (an
 * object of string, integer, number, boolean and string-array properties),
 * and its validator: a model's plan is checked against it before anything
 * runs, and every error names the step, the argument and what was expected.
 * The same schemas are handed to the model (JSON-schema grammar locally,
 * JSON mode remotely), so what the model is told and what is checked agree.
 */

export interface PropertySchema {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'array';
  description: string;
  items?: { type: 'string' };
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
}

export interface ArgumentSchema {
  type: 'object';
  properties: Record<string, PropertySchema>;
  required: string[];
  additionalProperties: false;
}

/** Errors in `value` against `schema`; empty when valid. */
export function validateArguments(schema: ArgumentSchema, value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`arguments must be an object, not ${describe(value)}`];
  const errors: string[] = [];
  const record = value as Record<string, unknown>;
  for (const name of schema.required) if (!(name in record)) errors.push(`'${name}' is required`);
  for (const [name, item] of Object.entries(record)) {
    const property = schema.properties[name];
    if (!property) {
      errors.push(`'${name}' is not an argument (expected ${Object.keys(schema.properties).join(', ') || 'none'})`);
      continue;
    }
    const problem = checkProperty(property, item);
    if (problem) errors.push(`'${name}' ${problem}`);
  }
  return errors;
}

function checkProperty(property: PropertySchema, value: unknown): string | undefined {
  switch (property.type) {
    case 'string':
      if (typeof value !== 'string') return `must be a string, not ${describe(value)}`;
      if (property.maxLength !== undefined && value.length > property.maxLength) return `is longer than ${property.maxLength} characters`;
      return undefined;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, not ${describe(value)}`;
      if (property.type === 'integer' && !Number.isInteger(value)) return `must be a whole number, not ${value}`;
      if (property.minimum !== undefined && value < property.minimum) return `must be at least ${property.minimum}`;
      if (property.maximum !== undefined && value > property.maximum) return `must be at most ${property.maximum}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, not ${describe(value)}`;
    case 'array':
      if (!Array.isArray(value)) return `must be a list, not ${describe(value)}`;
      if (property.maxItems !== undefined && value.length > property.maxItems) return `has more than ${property.maxItems} items`;
      if (value.some((item) => typeof item !== 'string')) return 'must be a list of strings';
      return undefined;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}
