import {
  CHECK_DEFINITIONS,
  CHECK_ORDER,
} from '@lineage/plugin-dynamodb-lineage-common';
import { readFileSync } from 'fs';
import { resolve as resolvePath } from 'path';
import { parse } from 'yaml';

/*
 * The OpenAPI document restates some of the common package's vocabulary;
 * these tests keep the two equal.
 */

const schemas = parse(
  readFileSync(resolvePath(__dirname, 'openapi.yaml'), 'utf8'),
).components.schemas;

describe('openapi.yaml', () => {
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
