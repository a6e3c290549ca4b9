import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { lineageRequestFields } from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClientFactory } from '@lineage/plugin-dynamodb-lineage-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseYamlObject } from './__testUtils__/yaml';
import { createDynamoDbLineageProvisionAction } from './actions/provision';

/*
 * The form a template shows is JSON Schema written by hand; the actions take
 * the provisioning request schema. Every template parameter that names a
 * request field must describe that field: same type, enum values and
 * defaults the schema accepts, required where the schema requires it.
 */

type JsonSchema = Record<string, any>;

const repoRoot = path.resolve(__dirname, '../../..');

/** Parameters only the form uses (delivery mode, plan preview). */
const FORM_ONLY = ['mode', 'planPreview'];

function templateFiles(dir = path.join(repoRoot, 'templates')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return templateFiles(file);
    return entry.name === 'template.yaml' ? [file] : [];
  });
}

function lineageTemplates() {
  return templateFiles()
    .map(file => ({
      name: path.relative(repoRoot, file),
      template: parseYamlObject(fs.readFileSync(file, 'utf8')),
    }))
    .filter(({ template }) =>
      template.spec.steps.some((step: { action: string }) =>
        step.action.startsWith('aws:dynamodb-lineage:'),
      ),
    );
}

function requestJsonSchema(): JsonSchema {
  const action = createDynamoDbLineageProvisionAction({
    clientFactory: {} as AwsClientFactory,
    catalog: catalogServiceMock(),
    permissions: mockServices.permissions(),
    auditor: mockServices.auditor.mock(),
  });
  return action.schema!.input as JsonSchema;
}

/** The schema's alternatives: the branches of a union, or the schema itself. */
function branches(schema: JsonSchema): JsonSchema[] {
  return schema.anyOf ?? schema.oneOf ?? [schema];
}

function typeOf(schema: JsonSchema): string | undefined {
  const types = new Set(branches(schema).map(b => b.type));
  return types.size === 1 ? [...types][0] : undefined;
}

/** Where the template's `field` disagrees with the request schema's. */
function disagreements(
  field: string,
  form: JsonSchema,
  schema: JsonSchema,
): string[] {
  const problems: string[] = [];
  const type = typeOf(schema);
  if (form.type !== type) {
    problems.push(`${field}: type ${form.type}, the schema's is ${type}`);
    return problems;
  }
  const allowed = branches(schema).flatMap(
    b => b.enum ?? (b.const !== undefined ? [b.const] : []),
  );
  if (form.enum && allowed.length) {
    const extra = form.enum.filter((v: unknown) => !allowed.includes(v));
    if (extra.length) {
      problems.push(`${field}: offers ${extra.join(', ')}, not in the schema`);
    }
  }
  if (form.default !== undefined && schema.default !== undefined) {
    if (JSON.stringify(form.default) !== JSON.stringify(schema.default)) {
      problems.push(
        `${field}: default ${JSON.stringify(
          form.default,
        )}, the schema's is ${JSON.stringify(schema.default)}`,
      );
    }
  }
  const minimum = branches(schema).find(b => b.minimum !== undefined)?.minimum;
  if (minimum !== undefined && form.minimum !== undefined) {
    if (form.minimum < minimum) {
      problems.push(`${field}: minimum ${form.minimum} below ${minimum}`);
    }
  }
  if (form.type === 'object' && form.properties) {
    for (const [key, property] of Object.entries<JsonSchema>(form.properties)) {
      const inSchema = branches(schema)
        .map(b => b.properties?.[key])
        .filter(Boolean);
      if (!inSchema.length) {
        problems.push(`${field}.${key}: not a field of the schema`);
        continue;
      }
      const merged = { ...inSchema[0], anyOf: inSchema };
      problems.push(...disagreements(`${field}.${key}`, property, merged));
    }
  }
  if (form.type === 'array' && form.items) {
    // A union branch that forbids the list has items of no type.
    const items = branches(schema)
      .map(b => b.items)
      .find(i => i?.type || i?.anyOf);
    if (items) problems.push(...disagreements(`${field}[]`, form.items, items));
  }
  return problems;
}

describe.each(lineageTemplates())('$name', ({ template }) => {
  const pages: JsonSchema[] = template.spec.parameters;
  const parameters: Record<string, JsonSchema> = Object.assign(
    {},
    ...pages.map(page => page.properties),
  );
  const required = new Set(pages.flatMap(page => page.required ?? []));
  const schema = requestJsonSchema();

  it('asks only for fields of the provisioning request, as the request schema describes them', () => {
    const fields = Object.keys(parameters).filter(k => !FORM_ONLY.includes(k));
    expect(fields.length).toBeGreaterThan(5);
    const problems = fields.flatMap(field =>
      schema.properties[field]
        ? disagreements(field, parameters[field], schema.properties[field])
        : [`${field}: not a field of the provisioning request`],
    );
    expect(problems).toEqual([]);
  });

  it('requires what the request requires', () => {
    expect(schema.required.length).toBeGreaterThan(0);
    expect(
      schema.required.filter((field: string) => !required.has(field)),
    ).toEqual([]);
  });

  it('offers defaults the request schema accepts', () => {
    const withDefaults = Object.entries(parameters).filter(
      ([field, p]) => !FORM_ONLY.includes(field) && p.default !== undefined,
    );
    expect(withDefaults.length).toBeGreaterThan(0);
    for (const [field, property] of withDefaults) {
      const result = (
        lineageRequestFields as Record<string, { safeParse(v: unknown): any }>
      )[field].safeParse(property.default);
      expect([field, result.success]).toEqual([field, true]);
    }
  });
});

describe('the template parameter check', () => {
  const schema = requestJsonSchema();

  it('finds a type, an enum value, a default or a field the request does not have', () => {
    expect(
      disagreements(
        'readWriteType',
        { type: 'boolean' },
        schema.properties.readWriteType,
      ),
    ).toEqual(["readWriteType: type boolean, the schema's is string"]);
    expect(
      disagreements(
        'readWriteType',
        { type: 'string', enum: ['All', 'Everything'] },
        schema.properties.readWriteType,
      ),
    ).toEqual(['readWriteType: offers Everything, not in the schema']);
    expect(
      disagreements(
        'lifecycle',
        {
          type: 'object',
          properties: {
            glacierAfterDays: { type: 'integer', default: 30 },
            deleteAfterDays: { type: 'integer' },
          },
        },
        schema.properties.lifecycle,
      ),
    ).toEqual([
      "lifecycle.glacierAfterDays: default 30, the schema's is 90",
      'lifecycle.deleteAfterDays: not a field of the schema',
    ]);
    expect(
      disagreements(
        'scope',
        {
          type: 'object',
          properties: { mode: { type: 'string', enum: ['all', 'some'] } },
        },
        schema.properties.scope,
      ),
    ).toEqual(['scope.mode: offers some, not in the schema']);
  });
});
