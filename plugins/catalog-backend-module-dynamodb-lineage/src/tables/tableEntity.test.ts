import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { AwsAccount } from '@lineage/plugin-dynamodb-lineage-node';
import { tableEntityName, tableEntityRef, toTableEntity } from './tableEntity';

const arn = (name: string, region = 'us-east-1', accountId = '111111111111') =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;

describe('tableEntityName', () => {
  it('joins account, region and table name when that is already a valid name', () => {
    expect(tableEntityName(arn('payments'))).toBe(
      '111111111111-us-east-1-payments',
    );
    expect(tableEntityName(arn('orders_v2.archive'))).toBe(
      '111111111111-us-east-1-orders_v2.archive',
    );
  });

  it('lowercases and adds a hash of the ARN so `Orders` and `orders` (two DynamoDB tables) differ', () => {
    const upper = tableEntityName(arn('Orders'));
    expect(upper).toMatch(/^111111111111-us-east-1-orders-[0-9a-f]{8}$/);
    expect(upper).not.toBe(tableEntityName(arn('orders')));
  });

  it('cuts long names to 63 characters with a stable suffix; distinct tables stay distinct', () => {
    const stem = 'a'.repeat(200);
    const first = tableEntityName(arn(`${stem}1`, 'ap-southeast-2'));
    const second = tableEntityName(arn(`${stem}2`, 'ap-southeast-2'));
    expect(first.length).toBe(63);
    expect(first).toMatch(/^111111111111-ap-southeast-2-a+-[0-9a-f]{8}$/);
    expect(first).not.toBe(second);
    expect(tableEntityName(arn(`${stem}1`, 'ap-southeast-2'))).toBe(first);
  });

  it.each(['abc', 'A.b-C_d', '___', '...', `-${'x'.repeat(254)}`, 'a..b'])(
    'always yields a valid entity name for table %s',
    name => {
      expect(
        KubernetesValidatorFunctions.isValidObjectName(
          tableEntityName(arn(name)),
        ),
      ).toBe(true);
    },
  );

  it('distinguishes partitions', () => {
    expect(
      tableEntityName('arn:aws-cn:dynamodb:cn-north-1:111111111111:table/Pay'),
    ).not.toBe(
      tableEntityName('arn:aws:dynamodb:cn-north-1:111111111111:table/Pay'),
    );
  });

  it('refuses what is not a table ARN', () => {
    expect(() => tableEntityName('arn:aws:s3:::bucket')).toThrow(
      /dynamodb ARN/,
    );
    expect(() => tableEntityRef(`${arn('orders')}/stream/2024`)).toThrow(
      /not a table/,
    );
  });

  it('gives the entity ref in the default namespace', () => {
    expect(tableEntityRef(arn('payments'))).toBe(
      'resource:default/111111111111-us-east-1-payments',
    );
  });
});

describe('toTableEntity', () => {
  const account: AwsAccount = {
    accountId: '111111111111',
    regions: ['us-east-1'],
    title: '111111111111',
  };

  it('falls back to the unknown owner and no dependency for a config account without an owner', () => {
    const entity = toTableEntity(arn('payments'), account);
    expect(entity.spec).toEqual({ type: 'dynamodb-table', owner: 'unknown' });
    expect(entity.metadata.description).toBe(
      'DynamoDB table in AWS account 111111111111, region us-east-1.',
    );
  });

  it('links the console of the table’s partition', () => {
    const entity = toTableEntity(
      'arn:aws-cn:dynamodb:cn-north-1:111111111111:table/payments',
      { ...account, owner: 'group:default/team-a' },
    );
    expect(entity.metadata.links?.[0].url).toBe(
      'https://cn-north-1.console.amazonaws.cn/dynamodbv2/home?region=cn-north-1#table?name=payments',
    );
    expect(entity.spec?.owner).toBe('group:default/team-a');
  });
});
