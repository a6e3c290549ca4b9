import {
  accountWithoutId,
  analyticsGroup,
  componentWithoutTables,
  paymentsAccount,
  paymentsComponent,
  paymentsTrailEntity,
  unrelatedResource,
} from '../../testing/fixtures';
import { isDynamoDbLineageAvailable, lineageTargetOf } from './lineageTarget';

describe('lineageTargetOf', () => {
  it('reads what each kind of entity stands for', () => {
    expect(lineageTargetOf(analyticsGroup)).toEqual({ kind: 'team' });
    expect(lineageTargetOf(paymentsComponent)).toEqual({
      kind: 'component',
      tableArns: [
        'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
        'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
      ],
    });
    expect(lineageTargetOf(paymentsAccount)).toEqual({
      kind: 'aws-account',
      accountId: '111111111111',
    });
    expect(lineageTargetOf(paymentsTrailEntity)).toEqual({
      kind: 'trail',
      trailArn:
        'arn:aws:cloudtrail:us-east-1:111111111111:trail/dynamodb-lineage',
    });
  });

  it('names the missing annotation', () => {
    expect(lineageTargetOf(componentWithoutTables)).toEqual({
      kind: 'missing-annotation',
      annotation: 'dynamodb-lineage/table-arns',
      entityKind: 'Component',
    });
    expect(lineageTargetOf(accountWithoutId)).toMatchObject({
      annotation: 'aws.amazon.com/account-id',
    });
    expect(
      lineageTargetOf({
        ...paymentsTrailEntity,
        metadata: { name: 'trail-without-arn' },
      }),
    ).toMatchObject({ annotation: 'dynamodb-lineage/trail-arn' });
  });
});

describe('isDynamoDbLineageAvailable', () => {
  it('is true only where the card has something to show', () => {
    expect(isDynamoDbLineageAvailable(analyticsGroup)).toBe(true);
    expect(isDynamoDbLineageAvailable(paymentsComponent)).toBe(true);
    expect(isDynamoDbLineageAvailable(paymentsAccount)).toBe(true);
    expect(isDynamoDbLineageAvailable(paymentsTrailEntity)).toBe(true);
    expect(isDynamoDbLineageAvailable(componentWithoutTables)).toBe(false);
    expect(isDynamoDbLineageAvailable(accountWithoutId)).toBe(false);
    expect(isDynamoDbLineageAvailable(unrelatedResource)).toBe(false);
  });
});
