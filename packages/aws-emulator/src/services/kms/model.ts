import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../../errors';
import type { World } from '../../world';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface KmsKey {
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  creationDate: number;
  description: string;
  keySpec: string;
  keyUsage: string;
  multiRegion: boolean;
  state: KeyState;
  policy: string;
  deletionDate?: number;
  pendingWindowInDays?: number;
  /** Tag key → value (CreateKey `Tags`, TagResource). */
  tags: Record<string, string>;
}

export interface KmsAlias {
  /** `alias/…` */
  name: string;
  arn: string;
  accountId: string;
  region: string;
  targetKeyId: string;
  creationDate: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MRK = /^mrk-[0-9a-f]{32}$/;
const KEY_ARN = /^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

export const keyArn = (region: string, accountId: string, keyId: string) =>
  `arn:aws:kms:${region}:${accountId}:key/${keyId}`;

export const aliasArn = (region: string, accountId: string, name: string) =>
  `arn:aws:kms:${region}:${accountId}:${name}`;

export function newKeyId(multiRegion: boolean): string {
  return multiRegion ? `mrk-${randomBytes(16).toString('hex')}` : randomUUID();
}

/** The policy KMS gives a key created without one: the account may use IAM policies. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

const notFound = (message: string) =>
  new AwsError('NotFoundException', message, 400);

/** Where a key reference is resolved: the caller's account and region. */
export interface KeyScope {
  accountId: string;
  region: string;
}

/**
 * Resolves a key reference as KMS does: a key id or key ARN always; an alias
 * name (in the caller's account and region) or alias ARN only where the
 * operation accepts aliases.
 */
export function resolveKey(
  world: World,
  reference: string,
  scope: KeyScope,
  options: { aliases: boolean },
): KmsKey {
  const aliasArnMatch = ALIAS_ARN.exec(reference);
  if (reference.startsWith('alias/') || aliasArnMatch) {
    if (!options.aliases) {
      throw notFound(`Invalid keyId '${reference}'`);
    }
    const arn = aliasArnMatch
      ? reference
      : aliasArn(scope.region, scope.accountId, reference);
    const alias = world.kmsAliases.get(arn);
    if (!alias) throw notFound(`Alias ${arn} is not found.`);
    const key = world.kmsKeys.get(
      keyArn(alias.region, alias.accountId, alias.targetKeyId),
    );
    if (!key) throw notFound(`Alias ${arn} is not found.`);
    return key;
  }
  const keyArnMatch = KEY_ARN.exec(reference);
  let arn: string;
  if (keyArnMatch) {
    arn = reference;
  } else if (UUID.test(reference) || MRK.test(reference)) {
    arn = keyArn(scope.region, scope.accountId, reference);
  } else if (reference.startsWith('arn:')) {
    throw notFound(`Invalid arn ${reference}`);
  } else {
    throw notFound(`Invalid keyId '${reference}'`);
  }
  const key = world.kmsKeys.get(arn);
  if (!key) throw notFound(`Key '${arn}' does not exist`);
  return key;
}

/** The key a trail's KmsKeyId names, in the trail's account and home region. */
export function findTrailKey(
  world: World,
  reference: string,
  scope: KeyScope,
): KmsKey | undefined {
  try {
    return resolveKey(world, reference, scope, { aliases: true });
  } catch {
    return undefined;
  }
}
