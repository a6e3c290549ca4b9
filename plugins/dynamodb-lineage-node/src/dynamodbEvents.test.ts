import {
  CloudTrailRecord,
  isDynamoDbDataEvent,
  operationKind,
  principalOf,
  PrincipalCache,
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
    ).toEqual({
      principal: role,
      principalType: 'AssumedRole',
      principalAccountId: '111111111111',
    });
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
      principalAccountId: '111111111111',
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

/*
 * `userIdentity` as AWS's CloudTrail userIdentity element reference shows it,
 * one sample per identity type (extra fields kept as AWS writes them).
 */
describe('principalOf on the documented identity shapes', () => {
  const assumedRole = {
    type: 'AssumedRole',
    principalId: 'AROAIDPPEZS35WEXAMPLE:AssumedRoleSessionName',
    arn: 'arn:aws:sts::123456789012:assumed-role/RoleToBeAssumed/MySessionName',
    accountId: '123456789012',
    accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    sessionContext: {
      attributes: {
        creationDate: '20131102T010628Z',
        mfaAuthenticated: 'false',
      },
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAIDPPEZS35WEXAMPLE',
        arn: 'arn:aws:iam::123456789012:role/service/RoleToBeAssumed',
        accountId: '123456789012',
        userName: 'RoleToBeAssumed',
      },
    },
  };

  it.each<[string, Record<string, unknown>, ReturnType<typeof principalOf>]>([
    [
      'an assumed role, by its session issuer (with the role path)',
      assumedRole,
      {
        principal: 'arn:aws:iam::123456789012:role/service/RoleToBeAssumed',
        principalType: 'AssumedRole',
        principalAccountId: '123456789012',
      },
    ],
    [
      'an assumed role without a session issuer, rebuilt from the session ARN',
      {
        type: 'AssumedRole',
        principalId: 'AROAIDPPEZS35WEXAMPLE:MySessionName',
        arn: 'arn:aws:sts::123456789012:assumed-role/RoleToBeAssumed/MySessionName',
        accountId: '123456789012',
      },
      {
        principal: 'arn:aws:iam::123456789012:role/RoleToBeAssumed',
        principalType: 'AssumedRole',
        principalAccountId: '123456789012',
      },
    ],
    [
      'an assumed role in another partition',
      {
        type: 'AssumedRole',
        arn: 'arn:aws-us-gov:sts::123456789012:assumed-role/RoleToBeAssumed/s',
      },
      {
        principal: 'arn:aws-us-gov:iam::123456789012:role/RoleToBeAssumed',
        principalType: 'AssumedRole',
        principalAccountId: '123456789012',
      },
    ],
    [
      'an IAM user',
      {
        type: 'IAMUser',
        principalId: 'AIDAJ45Q7YFFAREXAMPLE',
        arn: 'arn:aws:iam::123456789012:user/Alice',
        accountId: '123456789012',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        userName: 'Alice',
      },
      {
        principal: 'arn:aws:iam::123456789012:user/Alice',
        principalType: 'IAMUser',
        principalAccountId: '123456789012',
      },
    ],
    [
      'the account root',
      {
        type: 'Root',
        principalId: '123456789012',
        arn: 'arn:aws:iam::123456789012:root',
        accountId: '123456789012',
        accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      },
      {
        principal: 'arn:aws:iam::123456789012:root',
        principalType: 'Root',
        principalAccountId: '123456789012',
      },
    ],
    [
      'a federated user, by the IAM user that issued the session',
      {
        type: 'FederatedUser',
        principalId: '123456789012:Bob',
        arn: 'arn:aws:sts::123456789012:federated-user/Bob',
        accountId: '123456789012',
        accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
        sessionContext: {
          sessionIssuer: {
            type: 'IAMUser',
            principalId: 'AIDAJ45Q7YFFAREXAMPLE',
            arn: 'arn:aws:iam::123456789012:user/IAMUserName',
            accountId: '123456789012',
            userName: 'IAMUserName',
          },
        },
      },
      {
        principal: 'arn:aws:iam::123456789012:user/IAMUserName',
        principalType: 'FederatedUser',
        principalAccountId: '123456789012',
      },
    ],
    [
      'an AWS service, by its name',
      { type: 'AWSService', invokedBy: 'backup.amazonaws.com' },
      { principal: 'backup.amazonaws.com', principalType: 'AWSService' },
    ],
    [
      'an AWS service that carries a principal id too',
      {
        type: 'AWSService',
        principalId: 'AROAEXAMPLE:dynamodb-autoscaling',
        invokedBy: 'dynamodb.application-autoscaling.amazonaws.com',
      },
      {
        principal: 'dynamodb.application-autoscaling.amazonaws.com',
        principalType: 'AWSService',
      },
    ],
    [
      'another account, by its account id',
      {
        type: 'AWSAccount',
        principalId: 'AIDAJ45Q7YFFAREXAMPLE',
        accountId: '444455556666',
      },
      {
        principal: '444455556666',
        principalType: 'AWSAccount',
        principalAccountId: '444455556666',
      },
    ],
  ])('normalises %s', (_, userIdentity, expected) => {
    expect(principalOf({ userIdentity } as CloudTrailRecord)).toEqual(expected);
  });

  it('labels a caller from another account than the table with its own account', () => {
    const record = {
      recipientAccountId: '111111111111',
      userIdentity: {
        ...assumedRole,
        arn: 'arn:aws:sts::222222222222:assumed-role/reporting-job/run-7',
        accountId: '222222222222',
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: 'arn:aws:iam::222222222222:role/reporting-job',
            accountId: '222222222222',
          },
        },
      },
    };
    expect(principalOf(record)).toEqual({
      principal: 'arn:aws:iam::222222222222:role/reporting-job',
      principalType: 'AssumedRole',
      principalAccountId: '222222222222',
    });
  });

  it('keeps a service-linked role, whose session a service started, as the role', () => {
    const roleArn =
      'arn:aws:iam::111111111111:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication';
    expect(
      principalOf({
        userIdentity: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForDynamoDBReplication/ReplicationSession',
          invokedBy: 'replication.dynamodb.amazonaws.com',
          sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn } },
        },
      }).principal,
    ).toBe(roleArn);
  });

  it('says unknown when the record names no caller', () => {
    expect(principalOf({})).toEqual({
      principal: 'unknown',
      principalType: 'Unknown',
    });
  });
});

describe('PrincipalCache', () => {
  const session = (issuer: string, accountId = '111111111111') => ({
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/app/session-1',
      accountId,
      sessionContext: { sessionIssuer: { type: 'Role', arn: issuer } },
    },
  });

  it('answers as principalOf, once per identity', () => {
    const cache = new PrincipalCache();
    const record = session('arn:aws:iam::111111111111:role/svc/app');
    const first = cache.of(record);
    expect(first).toEqual(principalOf(record));
    expect(cache.of(session('arn:aws:iam::111111111111:role/svc/app'))).toBe(
      first,
    );
  });

  it('computes again when a field the answer depends on differs', () => {
    const cache = new PrincipalCache();
    cache.of(session('arn:aws:iam::111111111111:role/svc/app'));
    const other = session('arn:aws:iam::111111111111:role/other/app');
    expect(cache.of(other).principal).toBe(
      'arn:aws:iam::111111111111:role/other/app',
    );
    const service = {
      userIdentity: {
        type: 'AWSService',
        arn: 'arn:aws:sts::111111111111:assumed-role/app/session-1',
        invokedBy: 'events.amazonaws.com',
      },
    };
    expect(cache.of(service)).toEqual(principalOf(service));
    expect(cache.of({})).toEqual(principalOf({}));
  });
});
