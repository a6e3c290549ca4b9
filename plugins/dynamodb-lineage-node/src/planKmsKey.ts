import {
  AWS_PARTITION,
  LineageSpec,
  dedicatedKeyAlias,
  dedicatedKeyPolicy,
  estimateDedicatedKeyMonthlyCostUsd,
} from '@lineage/plugin-dynamodb-lineage-common';
import { desiredTags } from './desiredState';
import { ExecutableChange } from './planTypes';

/**
 * Creating the key dedicated to the spec's trail (when `createKmsKey` and no
 * key has its alias yet): a symmetric key whose policy lets CloudTrail
 * encrypt for this trail only, tagged like the trail, then its alias. First
 * in the plan: the bucket's encryption and the trail name the key by alias.
 */
export function planDedicatedKeyCreation(
  spec: LineageSpec,
  trailArn: string,
): ExecutableChange {
  const aliasName = dedicatedKeyAlias(spec.trailName);
  const policy = dedicatedKeyPolicy({
    partition: AWS_PARTITION,
    accountId: spec.accountId,
    trailArn,
  });
  const cost = estimateDedicatedKeyMonthlyCostUsd(1);
  return {
    key: 'kms-key:create',
    resource: 'kms-key',
    action: 'create',
    summary: `Create KMS key ${aliasName} for ${
      spec.trailName
    }'s logs: $${cost.keyUsd.toFixed(
      2,
    )} a month, plus about $${cost.requestsUsd.toFixed(
      2,
    )} a month of requests per region that delivers logs`,
    changes: [
      {
        field: 'KeyPolicy',
        desired: policy,
        reason: `CIS 3.5: CloudTrail encrypts with it for ${trailArn} only; the account's IAM policies grant reading`,
      },
      {
        field: 'AliasName',
        desired: aliasName,
        reason: 'the trail, the bucket and later runs find the key by it',
      },
    ],
    request: {
      operation: 'CreateKey',
      input: {
        Description: `CloudTrail log files of trail ${spec.trailName} (DynamoDB lineage)`,
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Policy: JSON.stringify(policy),
        Tags: Object.entries(desiredTags(spec)).map(([TagKey, TagValue]) => ({
          TagKey,
          TagValue,
        })),
      },
      aliasName,
    },
  };
}
