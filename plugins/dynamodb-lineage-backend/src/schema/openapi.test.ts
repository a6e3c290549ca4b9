import {
  CHECK_DEFINITIONS,
  CHECK_ORDER,
  buildCostForecast,
  FORENSICS_QUERY_STATUSES,
  forensicsQuerySchema,
  lineageRequestSchema,
} from '@lineage/plugin-dynamodb-lineage-common';
import { readFileSync } from 'fs';
import { resolve as resolvePath } from 'path';
import { parse } from 'yaml';
import { zodToJsonSchema } from 'zod-to-json-schema';

/*
 * The OpenAPI document restates some of the common package's vocabulary;
 * these tests keep the two equal.
 */

const schemas = parse(
  readFileSync(resolvePath(__dirname, 'openapi.yaml'), 'utf8'),
).components.schemas;

type JsonSchema = Record<string, any>;

function resolveRef(schema: JsonSchema): JsonSchema {
  const ref: string | undefined = schema.$ref;
  return ref ? schemas[ref.replace('#/components/schemas/', '')] : schema;
}

/**
 * What a client must know of a schema: types, enum values, defaults, which
 * properties exist and which are required, and the alternatives of a union.
 * Descriptions, patterns and bounds are left out: the server states them in
 * its 400 messages.
 */
function contract(raw: JsonSchema): JsonSchema {
  const schema = resolveRef(raw);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return { oneOf: alternatives.map(contract) };
  const values =
    schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined);
  return {
    type: schema.type,
    ...(values ? { enum: [...values].sort() } : {}),
    ...(schema.default !== undefined ? { default: schema.default } : {}),
    ...(schema.properties
      ? {
          properties: Object.fromEntries(
            Object.entries<JsonSchema>(schema.properties).map(([k, v]) => [
              k,
              contract(v),
            ]),
          ),
          required: [...(schema.required ?? [])].sort(),
          additionalProperties: schema.additionalProperties ?? true,
        }
      : {}),
    ...(schema.items && Object.keys(schema.items).length
      ? { items: contract(schema.items) }
      : {}),
  };
}

describe('openapi.yaml', () => {
  it('describes the POST /plan body as the provisioning request schema does', () => {
    const body = parse(
      readFileSync(resolvePath(__dirname, 'openapi.yaml'), 'utf8'),
    ).paths['/plan'].post.requestBody.content['application/json'].schema;
    const derived = zodToJsonSchema(lineageRequestSchema, {
      $refStrategy: 'none',
    }) as JsonSchema;
    expect(contract(body)).toEqual(contract(derived));
  });

  it('describes the POST /forensics/queries body as the forensics query schema does', () => {
    const body = parse(
      readFileSync(resolvePath(__dirname, 'openapi.yaml'), 'utf8'),
    ).paths['/forensics/queries'].post.requestBody.content['application/json']
      .schema;
    const derived = zodToJsonSchema(forensicsQuerySchema, {
      $refStrategy: 'none',
    }) as JsonSchema;
    expect(contract(body)).toEqual(contract(derived));
  });

  it('lists every forensics query status', () => {
    expect(schemas.ForensicsQueryStatus.enum).toEqual([
      ...FORENSICS_QUERY_STATUSES,
    ]);
  });

  it('lists every health check id, in the order checks run', () => {
    expect(schemas.HealthCheckResult.properties.id.enum).toEqual(CHECK_ORDER);
  });

  it('lists every severity a check has', () => {
    const severities = new Set(
      CHECK_ORDER.map(id => CHECK_DEFINITIONS[id].severity),
    );
    expect(schemas.HealthCheckResult.properties.severity.enum).toEqual(
      expect.arrayContaining([...severities]),
    );
  });
});

describe('the CostForecast schema', () => {
  it('names every field a forecast with all its parts carries, and requires the ones always there', () => {
    const hour = '2026-11-30T00:00:00.000Z';
    const forecast = buildCostForecast({
      metrics: [
        {
          accountId: '111111111111',
          region: 'us-east-1',
          from: hour,
          to: '2026-11-30T01:00:00.000Z',
          hours: [hour],
          tables: [
            {
              tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/a',
              perHour: { [hour]: 10 },
            },
          ],
          userErrorsPerHour: { [hour]: 1 },
          calls: { listMetrics: 1, getMetricData: 1 },
        },
      ],
      unavailable: ['111111111111/eu-west-1: AccessDenied'],
      lifecycle: { glacierAfterDays: 90 },
      insights: true,
      createKmsKey: true,
    });
    const schema = schemas.CostForecast;
    const keysOf = (value: object) => Object.keys(value).sort();
    expect(keysOf(forecast)).toEqual(keysOf(schema.properties));
    for (const field of schema.required) {
      expect(forecast).toHaveProperty(field);
    }
    for (const part of ['range', 'storage', 'insights', 'kmsKey'] as const) {
      expect(keysOf(forecast[part]!)).toEqual(
        keysOf(schema.properties[part].properties),
      );
    }
    expect(keysOf(forecast.perTable[0])).toEqual(
      keysOf(schemas.TableCostForecast.properties),
    );
  });
});
