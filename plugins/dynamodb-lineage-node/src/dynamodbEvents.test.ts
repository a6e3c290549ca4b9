import {
  CloudTrailRecord,
  isDynamoDbDataEvent,
  operationKind,
  principalOf,
  tableArnsOf,
} from './dynamodbEvents';

const table = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';

describe('DynamoDB event classification', () => {
  it('recognises data events by source and category', () => {
    expect(
      isDynamoDbDataEvent({
        eventSource: 'dynamodb.amazonaws.com',
        eventCategory: 'Data',
      }),
    ).toBe(true);
    expect(
      isDynamoDbDataEvent({
        eventSource: 'dynamodb.amazonaws.com',
        eventCategory: 'Management',
        managementEvent: true,
      }),
    ).toBe(false);
    expect(
      isDynamoDbDataEvent({
        eventSource: 's3.amazonaws.com',
        eventCategory: 'Data',
      }),
    ).toBe(false);
  });

  it('takes table identity from resources[].ARN', () => {
    expect(
      tableArnsOf({
        resources: [
          { type: 'AWS::DynamoDB::Table', ARN: table },
          { type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:1:key/x' },
        ],
      }),
    ).toEqual([table]);
  });

  it('names the role for assumed roles and the identity otherwise', () => {
    const role = 'arn:aws:iam::111111111111:role/payments-api';
    expect(
      principalOf({
        userIdentity: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::111111111111:assumed-role/payments-api/session-42',
          sessionContext: { sessionIssuer: { type: 'Role', arn: role } },
        },
      }),
    ).toEqual({ principal: role, principalType: 'AssumedRole' });
    expect(
      principalOf({
        userIdentity: {
          type: 'IAMUser',
          arn: 'arn:aws:iam::111111111111:user/ci',
        },
      }),
    ).toEqual({
      principal: 'arn:aws:iam::111111111111:user/ci',
      principalType: 'IAMUser',
    });
    expect(
      principalOf({
        userIdentity: {
          type: 'AWSService',
          invokedBy: 'dynamodb.amazonaws.com',
        },
      }),
    ).toEqual({
      principal: 'dynamodb.amazonaws.com',
      principalType: 'AWSService',
    });
  });

  it.each<[CloudTrailRecord, 'read' | 'write']>([
    [{ eventName: 'GetItem', readOnly: true }, 'read'],
    [{ eventName: 'TransactWriteItems', readOnly: false }, 'write'],
    [
      {
        eventName: 'ExecuteStatement',
        readOnly: false,
        requestParameters: { statement: 'SELECT * FROM "payments" WHERE pk=?' },
      },
      'read',
    ],
    [
      {
        eventName: 'ExecuteStatement',
        readOnly: false,
        requestParameters: {
          statement: 'UPDATE "payments" SET a=? WHERE pk=?',
        },
      },
      'write',
    ],
    [{ eventName: 'SomethingNew', readOnly: true }, 'read'],
  ])('classifies %j as %s', (record, kind) => {
    expect(operationKind(record)).toBe(kind);
  });
});
