import { evaluatePolicy } from '../../policy';
import type { Trail } from '../cloudtrail/model';
import type { World } from '../../world';
import { findTrailKey } from './model';

/**
 * The error CloudTrail reports (GetTrailStatus LatestDeliveryError) when it
 * cannot encrypt a log file with the trail's KMS key: the key is disabled,
 * pending deletion, or its policy does not let CloudTrail call
 * kms:GenerateDataKey* for this trail. Undefined when the trail may encrypt,
 * has no key, or names a key the emulator does not hold.
 */
export function trailKeyError(world: World, trail: Trail): string | undefined {
  if (!trail.kmsKeyId) return undefined;
  const key = findTrailKey(world, trail.kmsKeyId, {
    accountId: trail.accountId,
    region: trail.homeRegion,
  });
  if (!key) return undefined;
  if (key.state === 'Disabled') return 'KMS.DisabledException';
  if (key.state === 'PendingDeletion') return 'KMS.KMSInvalidStateException';
  const decision = evaluatePolicy(key.policy, {
    service: 'cloudtrail.amazonaws.com',
    action: 'kms:GenerateDataKey',
    resource: key.arn,
    context: {
      'kms:EncryptionContext:aws:cloudtrail:arn': trail.arn,
      'aws:SourceArn': trail.arn,
      'aws:SourceAccount': trail.accountId,
      'kms:CallerAccount': trail.accountId,
    },
  });
  return decision === 'Allow' ? undefined : 'KMS.AccessDeniedException';
}
