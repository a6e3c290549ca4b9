import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { inspectKmsKey } from './inspectKmsKey';
import { awsError, testClients } from './__fixtures__/aws';

const kms = mockClient(KMSClient);
const ARN =
  'arn:aws:kms:us-east-1:111111111111:key/6f1c2a9e-4b7d-4e2a-9c3f-8d5e7a1b2c3d';
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
    },
  ],
};

beforeEach(() => kms.reset());

describe('inspectKmsKey', () => {
  it('describes the key by the given reference, then reads the default policy by its ARN', async () => {
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: '6f1c2a9e-4b7d-4e2a-9c3f-8d5e7a1b2c3d',
        Arn: ARN,
        KeyState: 'PendingDeletion',
        DeletionDate: new Date('2026-12-08T00:00:00Z'),
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
      },
    });
    kms
      .on(GetKeyPolicyCommand)
      .resolves({ Policy: JSON.stringify(POLICY), PolicyName: 'default' });

    const result = await inspectKmsKey(testClients(), 'alias/logs');

    expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, {
      KeyId: 'alias/logs',
    });
    expect(kms).toHaveReceivedCommandWith(GetKeyPolicyCommand, {
      KeyId: ARN,
      PolicyName: 'default',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        reference: 'alias/logs',
        exists: true,
        arn: ARN,
        keyState: 'PendingDeletion',
        deletionDate: '2026-12-08T00:00:00.000Z',
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        policy: { ok: true, value: POLICY },
      },
    });
  });

  it('reports a key KMS does not know as missing, without reading a policy', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
    expect(await inspectKmsKey(testClients(), 'alias/gone')).toEqual({
      ok: true,
      value: { reference: 'alias/gone', exists: false },
    });
    expect(kms).not.toHaveReceivedCommand(GetKeyPolicyCommand);
  });

  it('keeps access denied as unanswered, for the key and for its policy', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException'));
    expect(await inspectKmsKey(testClients(), ARN)).toMatchObject({
      ok: false,
      code: 'AccessDeniedException',
    });

    kms.reset();
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: { KeyId: 'k', Arn: ARN, KeyState: 'Enabled' },
    });
    kms.on(GetKeyPolicyCommand).rejects(awsError('AccessDeniedException'));
    const result = await inspectKmsKey(testClients(), ARN);
    expect(result.ok && result.value.policy).toMatchObject({
      ok: false,
      code: 'AccessDeniedException',
    });
  });
});
