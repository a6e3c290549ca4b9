import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { LineageRelation } from '@lineage/plugin-dynamodb-lineage-common';
import { DataFlowProcessor } from './DataFlowProcessor';

const ORDERS = 'arn:aws:dynamodb:us-east-1:222222222222:table/orders';
const PAYMENTS = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const location = { type: 'url', target: 'https://example.com/catalog.yaml' };

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', owner: 'team-a' },
});

const relation = (
  entityRef: string,
  tableArn: string,
  access: 'read' | 'write',
  extra: Partial<LineageRelation> = {},
): LineageRelation => ({
  entityRef,
  tableArn,
  access,
  calls: 3,
  lastSeen: '2026-12-01T10:00:00.000Z',
  ...extra,
});

/** A relation set as the lineage backend answers it: payments-api writes orders, reporting-job reads it and writes payments. */
const SET: LineageRelation[] = [
  relation('component:default/payments-api', ORDERS, 'write', {
    tableEntityRef: 'resource:default/222222222222-us-east-1-orders',
  }),
  relation('component:default/reporting-job', ORDERS, 'read'),
  relation('component:default/reporting-job', PAYMENTS, 'write'),
  relation('component:default/reporting-job', PAYMENTS, 'read'),
];

async function process(subject: Entity, set: LineageRelation[] = SET) {
  const logger = mockServices.logger.mock();
  const relationsOf = jest.fn((ref: string) =>
    set.filter(r => r.entityRef === ref.toLocaleLowerCase('en-US')),
  );
  const emitted: CatalogProcessorResult[] = [];
  await new DataFlowProcessor({
    relations: { relationsOf },
    logger,
  }).postProcessEntity(subject, location, r => emitted.push(r));
  const relations = emitted.map(r => {
    if (r.type !== 'relation') throw new Error(`unexpected ${r.type}`);
    const { source, type, target } = r.relation;
    return `${source.name} ${type} ${target.name}`;
  });
  return { relations, logger, relationsOf };
}

describe('DataFlowProcessor', () => {
  it('emits writesTo/writtenBy for a writer, with the table entity the backend named', async () => {
    const { relations, relationsOf } = await process(component('payments-api'));
    expect(relationsOf).toHaveBeenCalledWith('component:default/payments-api');
    expect(relations).toEqual([
      'payments-api writesTo 222222222222-us-east-1-orders',
      '222222222222-us-east-1-orders writtenBy payments-api',
    ]);
  });

  it('emits readsFrom/readBy for a reader and both pairs for an entity that reads and writes; the table entity named from its ARN when the backend does not name it', async () => {
    const { relations } = await process(component('reporting-job'));
    expect(relations).toEqual([
      'reporting-job readsFrom 222222222222-us-east-1-orders',
      '222222222222-us-east-1-orders readBy reporting-job',
      'reporting-job writesTo 111111111111-us-east-1-payments',
      '111111111111-us-east-1-payments writtenBy reporting-job',
      'reporting-job readsFrom 111111111111-us-east-1-payments',
      '111111111111-us-east-1-payments readBy reporting-job',
    ]);
  });

  it('emits nothing for an entity without observed access', async () => {
    expect((await process(component('billing-ui'))).relations).toEqual([]);
  });

  it('ignores a relation whose table entity ref is broken, with a warning, and keeps the others', async () => {
    const { relations, logger } = await process(component('payments-api'), [
      relation('component:default/payments-api', ORDERS, 'write', {
        tableEntityRef: 'not a ref:',
      }),
      relation('component:default/payments-api', PAYMENTS, 'read'),
    ]);
    expect(relations).toEqual([
      'payments-api readsFrom 111111111111-us-east-1-payments',
      '111111111111-us-east-1-payments readBy payments-api',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `component:default/payments-api: ignoring the observed write of ${ORDERS}`,
      ),
    );
  });
});
