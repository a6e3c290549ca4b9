import {
  cloudTrailKeyPolicyStatement,
  cloudTrailMayEncrypt,
  kmsKeyBlocker,
  kmsKeyProblems,
} from './kmsKeyPolicy';
import type { KmsKeyFacts, PolicyStatement } from './types';

const target = {
  partition: 'aws',
  accountId: '111111111111',
  trailArn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/lineage',
};
const keyArn =
  'arn:aws:kms:us-east-1:111111111111:key/6f1c2a9e-4b7d-4e2a-9c3f-8d5e7a1b2c3d';
const policy = (...Statement: PolicyStatement[]) => ({
  Version: '2012-10-17',
  Statement,
});
const rootStatement: PolicyStatement = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111111111111:root' },
  Action: 'kms:*',
  Resource: '*',
};
const cloudTrail = (extra: Partial<PolicyStatement>): PolicyStatement => ({
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 'kms:GenerateDataKey*',
  Resource: '*',
  ...extra,
});

describe('cloudTrailMayEncrypt', () => {
  it('accepts the statement it recommends', () => {
    expect(
      cloudTrailMayEncrypt(
        policy(rootStatement, cloudTrailKeyPolicyStatement(target)),
        { ...target, keyArn },
      ),
    ).toBe(true);
  });

  it.each([
    ['no condition', {}, true],
    ['kms:* action', { Action: 'kms:*' }, true],
    ['exact kms:GenerateDataKey', { Action: ['kms:GenerateDataKey'] }, true],
    ['only kms:Decrypt', { Action: 'kms:Decrypt' }, false],
    ['another service', { Principal: { Service: 's3.amazonaws.com' } }, false],
    [
      'the encryption context of another account',
      {
        Condition: {
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn':
              'arn:aws:cloudtrail:*:222222222222:trail/*',
          },
        },
      },
      false,
    ],
    [
      'the encryption context of this trail',
      {
        Condition: {
          StringEquals: {
            'kms:EncryptionContext:aws:cloudtrail:arn': target.trailArn,
          },
        },
      },
      true,
    ],
    [
      'another trail as aws:SourceArn',
      {
        Condition: {
          StringEquals: {
            'aws:SourceArn':
              'arn:aws:cloudtrail:us-east-1:111111111111:trail/other',
          },
        },
      },
      false,
    ],
    [
      'a wildcard SourceArn',
      {
        Condition: {
          StringLike: {
            'aws:SourceArn': 'arn:aws:cloudtrail:*:111111111111:trail/*',
          },
        },
      },
      true,
    ],
    [
      'an unknown condition key',
      { Condition: { StringEquals: { 'kms:ViaService': 'x' } } },
      false,
    ],
  ])('with %s', (_name, extra, expected) => {
    expect(
      cloudTrailMayEncrypt(policy(rootStatement, cloudTrail(extra)), {
        ...target,
        keyArn,
      }),
    ).toBe(expected);
  });

  it('refuses when a deny covers CloudTrail, and without a policy', () => {
    expect(
      cloudTrailMayEncrypt(
        policy(cloudTrail({}), cloudTrail({ Effect: 'Deny', Action: 'kms:*' })),
        target,
      ),
    ).toBe(false);
    expect(cloudTrailMayEncrypt(policy(rootStatement), target)).toBe(false);
    expect(cloudTrailMayEncrypt(null, target)).toBe(false);
  });
});

describe('kmsKeyProblems', () => {
  const usable: KmsKeyFacts = {
    reference: 'alias/logs',
    exists: true,
    arn: keyArn,
    keyState: 'Enabled',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    policy: {
      ok: true,
      value: policy(rootStatement, cloudTrailKeyPolicyStatement(target)),
    },
  };

  it('finds nothing wrong with a usable key', () => {
    expect(kmsKeyProblems(usable, target)).toEqual([]);
  });

  it('names each problem with its fix', () => {
    expect(kmsKeyProblems({ ...usable, exists: false }, target)).toEqual([
      {
        problem: 'the key alias/logs does not exist in account 111111111111',
        fix: 'Encrypt with a key that exists, or stop encrypting with this one.',
      },
    ]);
    expect(kmsKeyProblems({ ...usable, keyState: 'Disabled' }, target)).toEqual(
      [
        {
          problem: 'the key is disabled',
          fix: 'Enable the key.',
          command: `aws kms enable-key --key-id ${keyArn}`,
        },
      ],
    );
    expect(
      kmsKeyProblems(
        {
          ...usable,
          keyState: 'PendingDeletion',
          deletionDate: '2026-12-08T00:00:00.000Z',
        },
        target,
      ),
    ).toEqual([
      expect.objectContaining({
        problem: 'the key is scheduled for deletion',
        command: `aws kms cancel-key-deletion --key-id ${keyArn}`,
      }),
    ]);
    expect(
      kmsKeyProblems(
        { ...usable, keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' },
        target,
      ),
    ).toEqual([
      expect.objectContaining({
        problem: 'the key is not a symmetric encryption key',
      }),
    ]);
    const [policyProblem] = kmsKeyProblems(
      { ...usable, policy: { ok: true, value: policy(rootStatement) } },
      target,
    );
    expect(policyProblem.problem).toBe(
      "the key's policy does not let CloudTrail encrypt for this trail",
    );
    expect(policyProblem.statement).toEqual(
      cloudTrailKeyPolicyStatement(target),
    );
  });

  it('names the key in a plan blocker, with the command that fixes it', () => {
    const disabled = { ...usable, keyState: 'Disabled' };
    const [problem] = kmsKeyProblems(disabled, target);
    expect(kmsKeyBlocker(disabled, problem)).toBe(
      `KMS key ${keyArn}: the key is disabled. Enable the key: aws kms enable-key --key-id ${keyArn}`,
    );
  });

  it('leaves an unreadable policy to the caller', () => {
    expect(
      kmsKeyProblems(
        {
          ...usable,
          policy: { ok: false, error: 'denied', code: 'AccessDeniedException' },
        },
        target,
      ),
    ).toEqual([]);
  });
});
