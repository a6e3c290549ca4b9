import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  KmsKeyFacts,
  PolicyDocument,
  Probe,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients } from './clients';
import { failed, isAwsError, probeValue } from './probe';

function parseKeyPolicy(text: string | undefined): PolicyDocument | null {
  if (!text) return null;
  const parsed = JSON.parse(text);
  return {
    Version: parsed.Version ?? '2012-10-17',
    Statement: Array.isArray(parsed.Statement)
      ? parsed.Statement
      : [parsed.Statement].filter(Boolean),
  };
}

/**
 * Reads a KMS key as CloudTrail would use it: DescribeKey (key id, key ARN,
 * alias name or alias ARN, in the clients' account and region), then
 * GetKeyPolicy (policy `default`) by the key ARN DescribeKey gave. Only read
 * calls. A key KMS does not know is `exists: false`; any other failure of
 * DescribeKey is `ok: false`, and of GetKeyPolicy a failed `policy` probe.
 */
export async function inspectKmsKey(
  clients: AwsClients,
  reference: string,
): Promise<Probe<KmsKeyFacts>> {
  let described;
  try {
    described = await clients.kms.send(
      new DescribeKeyCommand({ KeyId: reference }),
    );
  } catch (error) {
    if (isAwsError(error, 'NotFoundException')) {
      return { ok: true, value: { reference, exists: false } };
    }
    return failed(error);
  }
  const metadata = described.KeyMetadata;
  if (!metadata?.Arn) {
    return { ok: false, error: `DescribeKey gave no key for ${reference}` };
  }
  const policy = await probeValue(async () =>
    parseKeyPolicy(
      (
        await clients.kms.send(
          new GetKeyPolicyCommand({
            KeyId: metadata.Arn,
            PolicyName: 'default',
          }),
        )
      ).Policy,
    ),
  );
  return {
    ok: true,
    value: {
      reference,
      exists: true,
      arn: metadata.Arn,
      keyState: metadata.KeyState,
      ...(metadata.DeletionDate
        ? { deletionDate: metadata.DeletionDate.toISOString() }
        : {}),
      keySpec: metadata.KeySpec ?? metadata.CustomerMasterKeySpec,
      keyUsage: metadata.KeyUsage,
      policy,
    },
  };
}
