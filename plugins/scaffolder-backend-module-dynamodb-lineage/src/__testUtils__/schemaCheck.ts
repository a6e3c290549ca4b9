/**
 * A structural check of an action input against the JSON schema the action
 * declares: unknown keys, missing required keys, and — for values that are
 * not template expressions — type and enum. Returns the problems found.
 */
export function schemaProblems(
  value: unknown,
  schema: Record<string, any>,
  path = 'input',
): string[] {
  if (isTemplateExpression(value)) return [];
  const types: string[] = schema.type ? [schema.type].flat() : [];
  const problems: string[] = [];
  if (types.length && !types.some(type => hasType(value, type))) {
    return [`${path} should be ${types.join(' or ')}`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${path} should be one of ${schema.enum.join(', ')}`);
  }
  if (schema.pattern && typeof value === 'string') {
    if (!new RegExp(schema.pattern, 'u').test(value)) {
      problems.push(`${path} should match ${schema.pattern}`);
    }
  }
  if (hasType(value, 'object') && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in object)) problems.push(`${path}.${key} is required`);
    }
    for (const [key, item] of Object.entries(object)) {
      const property = schema.properties[key];
      if (!property) {
        if (schema.additionalProperties === false) {
          problems.push(`${path}.${key} is not an input of the action`);
        }
        continue;
      }
      problems.push(...schemaProblems(item, property, `${path}.${key}`));
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) =>
      problems.push(...schemaProblems(item, schema.items, `${path}[${i}]`)),
    );
  }
  return problems;
}

function isTemplateExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${{');
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return (
        typeof value === 'object' && value !== null && !Array.isArray(value)
      );
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}
