import { parseEntityYaml } from '@backstage/plugin-catalog-node';

/**
 * Parses a YAML document whose root is an object. Uses the catalog's YAML
 * reader, which this package already depends on, rather than a YAML library
 * of its own.
 */
export function parseYamlObject(text: string): Record<string, any> {
  const results = [
    ...parseEntityYaml(text, { type: 'file', target: 'test.yaml' }),
  ];
  if (results.length !== 1) {
    throw new Error(`Expected one YAML document, got ${results.length}`);
  }
  const [result] = results;
  if (result.type !== 'entity') {
    throw new Error(`Invalid YAML: ${JSON.stringify(result)}`);
  }
  return result.entity as unknown as Record<string, any>;
}
