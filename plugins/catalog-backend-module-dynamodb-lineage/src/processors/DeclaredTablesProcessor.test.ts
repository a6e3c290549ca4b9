import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { DeclaredTablesProcessor } from './DeclaredTablesProcessor';

const PAYMENTS = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const LEDGER = 'arn:aws:dynamodb:us-east-1:111111111111:table/Ledger';
const location = { type: 'url', target: 'https://example.com/catalog.yaml' };

function entity(
  kind: string,
  tableArns: string | undefined,
  spec: object = { type: 'service', owner: 'team-a' },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name: 'payments-api',
      annotations: tableArns
        ? { 'dynamodb-lineage/table-arns': tableArns }
        : {},
    },
    spec,
  };
}

async function process(subject: Entity) {
  const logger = mockServices.logger.mock();
  const emitted: CatalogProcessorResult[] = [];
  const result = await new DeclaredTablesProcessor({
    logger,
  }).postProcessEntity(subject, location, r => emitted.push(r));
  expect(result).toBe(subject);
  const relations = emitted.map(r => {
    if (r.type !== 'relation') throw new Error(`unexpected ${r.type}`);
    const { source, type, target } = r.relation;
    return `${source.kind}:${source.namespace}/${source.name} ${type} ${target.kind}:${target.namespace}/${target.name}`;
  });
  return { relations, logger };
}

describe('DeclaredTablesProcessor', () => {
  it('relates a component to each table it declares, both ways', async () => {
    const { relations } = await process(
      entity('Component', ` ${PAYMENTS}, ${LEDGER} ,${PAYMENTS}`),
    );
    expect(relations).toEqual([
      'Component:default/payments-api dependsOn resource:default/111111111111-us-east-1-payments',
      'resource:default/111111111111-us-east-1-payments dependencyOf Component:default/payments-api',
      expect.stringMatching(
        /^Component:default\/payments-api dependsOn resource:default\/111111111111-us-east-1-ledger-[0-9a-f]{8}$/,
      ),
      expect.stringMatching(
        /^resource:default\/111111111111-us-east-1-ledger-[0-9a-f]{8} dependencyOf Component:default\/payments-api$/,
      ),
    ]);
  });

  it('relates a Resource that declares tables, but not a table Resource to itself', async () => {
    expect(
      (await process(entity('Resource', PAYMENTS, { type: 'lambda' })))
        .relations,
    ).toHaveLength(2);
    expect(
      (
        await process(
          entity('Resource', PAYMENTS, {
            type: 'dynamodb-table',
            owner: 'team-a',
          }),
        )
      ).relations,
    ).toEqual([]);
  });

  it('leaves other kinds and entities without the annotation alone', async () => {
    expect((await process(entity('System', PAYMENTS))).relations).toEqual([]);
    expect((await process(entity('Component', undefined))).relations).toEqual(
      [],
    );
  });

  it('ignores values that are not table ARNs, with a warning naming the entity, and keeps the good ones', async () => {
    const { relations, logger } = await process(
      entity(
        'Component',
        `payments, ${PAYMENTS}/stream/2024-01-01T00:00:00.000, arn:aws:s3:::bucket, ${PAYMENTS}`,
      ),
    );
    expect(relations).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledTimes(3);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^component:default\/payments-api: ignoring a value of dynamodb-lineage\/table-arns: .*"payments"/,
      ),
    );
  });
});
