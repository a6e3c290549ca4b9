import { LineageEntity, lineageTargetOf } from './lineageTarget';

const TABLES =
  'arn:aws:dynamodb:us-east-1:111111111111:table/payments, arn:aws:dynamodb:us-east-1:111111111111:table/ledger';
const TRAIL_ARN =
  'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage';

function entity(
  kind: string,
  annotations: Record<string, string> = {},
  spec?: Record<string, unknown>,
): LineageEntity {
  return { kind, metadata: { annotations }, ...(spec ? { spec } : {}) };
}

describe('lineageTargetOf', () => {
  it('reads what each kind of entity stands for, whatever the case of kind and type', () => {
    expect(lineageTargetOf(entity('Group'))).toEqual({ kind: 'team' });
    expect(
      lineageTargetOf(
        entity('component', { 'dynamodb-lineage/table-arns': TABLES }),
      ),
    ).toEqual({
      kind: 'component',
      tableArns: [
        'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
        'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
      ],
    });
    expect(
      lineageTargetOf(
        entity(
          'Resource',
          { 'aws.amazon.com/account-id': ' 111111111111 ' },
          { type: 'AWS-Account' },
        ),
      ),
    ).toEqual({ kind: 'aws-account', accountId: '111111111111' });
    expect(
      lineageTargetOf(
        entity(
          'Resource',
          { 'dynamodb-lineage/trail-arn': TRAIL_ARN },
          { type: 'cloudtrail-trail' },
        ),
      ),
    ).toEqual({ kind: 'trail', trailArn: TRAIL_ARN });
  });

  it('names the missing annotation', () => {
    expect(lineageTargetOf(entity('Component'))).toEqual({
      kind: 'missing-annotation',
      annotation: 'dynamodb-lineage/table-arns',
      entityKind: 'Component',
    });
    expect(
      lineageTargetOf(entity('Resource', {}, { type: 'aws-account' })),
    ).toMatchObject({ annotation: 'aws.amazon.com/account-id' });
    expect(
      lineageTargetOf(entity('Resource', {}, { type: 'cloudtrail-trail' })),
    ).toMatchObject({ annotation: 'dynamodb-lineage/trail-arn' });
  });

  it('stands for nothing for other entities', () => {
    for (const other of [
      entity('User'),
      entity('Resource', {}, { type: 'database' }),
      entity('Resource', { 'aws.amazon.com/account-id': '111111111111' }),
      entity('API', { 'dynamodb-lineage/table-arns': TABLES }),
    ]) {
      expect(lineageTargetOf(other)).toEqual({ kind: 'unsupported' });
    }
  });
});
