import { AwsError } from '../../errors';
import { parsePolicy } from '../../policy';
import type { CallContext } from '../types';
import {
  type KmsKey,
  type KeyScope,
  aliasArn,
  defaultKeyPolicy,
  keyArn,
  newKeyId,
  resolveKey,
} from './model';

type Input = Record<string, any>;
type Operation = (input: Input, ctx: CallContext) => unknown;

const DAY = 86_400_000;
const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
];
const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'];

const validation = (message: string) =>
  new AwsError('ValidationException', message, 400);

function requiredString(input: Input, field: string, member: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

const scopeOf = (ctx: CallContext): KeyScope => ({
  accountId: ctx.identity.accountId,
  region: ctx.region,
});

function checkPolicy(policy: string): void {
  if (policy.length > 32768 || !parsePolicy(policy)) {
    throw new AwsError(
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
      400,
    );
  }
}

const seconds = (ms: number) => ms / 1000;

export function keyMetadata(key: KmsKey) {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: seconds(key.creationDate),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    ...(key.deletionDate !== undefined
      ? { DeletionDate: seconds(key.deletionDate) }
      : {}),
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...(key.keyUsage === 'ENCRYPT_DECRYPT'
      ? {
          EncryptionAlgorithms:
            key.keySpec === 'SYMMETRIC_DEFAULT'
              ? ['SYMMETRIC_DEFAULT']
              : ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
        }
      : {}),
    MultiRegion: key.multiRegion,
    ...(key.multiRegion
      ? {
          MultiRegionConfiguration: {
            MultiRegionKeyType: 'PRIMARY',
            PrimaryKey: { Arn: key.arn, Region: key.region },
            ReplicaKeys: [],
          },
        }
      : {}),
  };
}

/** KMS tags: a list of `{ TagKey, TagValue }`, keys 1-128 and values 0-256 characters. */
function tagsOf(tags: unknown): Record<string, string> {
  if (tags === undefined) return {};
  if (!Array.isArray(tags)) throw validation('Tags must be a list.');
  const result: Record<string, string> = {};
  for (const tag of tags) {
    const key = tag?.TagKey;
    const value = tag?.TagValue;
    if (
      typeof key !== 'string' ||
      key.length < 1 ||
      key.length > 128 ||
      typeof value !== 'string' ||
      value.length > 256
    ) {
      throw new AwsError(
        'TagException',
        'Each tag needs a TagKey of 1-128 characters and a TagValue of at most 256.',
        400,
      );
    }
    result[key] = value;
  }
  return result;
}

function pendingDeletion(key: KmsKey): AwsError {
  return new AwsError(
    'KMSInvalidStateException',
    `${key.arn} is pending deletion.`,
    400,
  );
}

/** Creates a key directly in the world (seeds and tests of other services use it too). */
export function createKey(
  world: CallContext['world'],
  scope: KeyScope,
  options: {
    policy?: string;
    description?: string;
    keySpec?: string;
    keyUsage?: string;
    multiRegion?: boolean;
    keyId?: string;
    tags?: Record<string, string>;
    time: number;
  },
): KmsKey {
  const multiRegion = options.multiRegion ?? false;
  const keyId = options.keyId ?? newKeyId(multiRegion);
  const key: KmsKey = {
    keyId,
    arn: keyArn(scope.region, scope.accountId, keyId),
    accountId: scope.accountId,
    region: scope.region,
    creationDate: options.time,
    description: options.description ?? '',
    keySpec: options.keySpec ?? 'SYMMETRIC_DEFAULT',
    keyUsage: options.keyUsage ?? 'ENCRYPT_DECRYPT',
    multiRegion,
    state: 'Enabled',
    policy: options.policy ?? defaultKeyPolicy(scope.accountId),
    tags: { ...options.tags },
  };
  world.kmsKeys.set(key.arn, key);
  return key;
}

const mutableKey = (input: Input, ctx: CallContext) =>
  resolveKey(ctx.world, requiredString(input, 'KeyId', 'keyId'), scopeOf(ctx), {
    aliases: false,
  });

export const OPERATIONS: Record<string, Operation> = {
  CreateKey(input, ctx) {
    if (input.Policy !== undefined) {
      if (typeof input.Policy !== 'string')
        throw validation('Policy must be a string.');
      checkPolicy(input.Policy);
    }
    const keySpec = input.KeySpec ?? input.CustomerMasterKeySpec;
    if (keySpec !== undefined && !KEY_SPECS.includes(keySpec)) {
      throw validation(
        `1 validation error detected: Value '${keySpec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${KEY_SPECS.join(
          ', ',
        )}]`,
      );
    }
    const keyUsage = input.KeyUsage;
    if (keyUsage !== undefined && !KEY_USAGES.includes(keyUsage)) {
      throw validation(
        `1 validation error detected: Value '${keyUsage}' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [${KEY_USAGES.join(
          ', ',
        )}]`,
      );
    }
    const spec = keySpec ?? 'SYMMETRIC_DEFAULT';
    const usage =
      keyUsage ??
      (spec.startsWith('HMAC') ? 'GENERATE_VERIFY_MAC' : 'ENCRYPT_DECRYPT');
    if (
      (spec === 'SYMMETRIC_DEFAULT' && usage !== 'ENCRYPT_DECRYPT') ||
      (spec.startsWith('HMAC') && usage !== 'GENERATE_VERIFY_MAC') ||
      (spec.startsWith('ECC') && usage !== 'SIGN_VERIFY')
    ) {
      throw validation(
        `KeyUsage ${usage} is not compatible with KeySpec ${spec}`,
      );
    }
    const key = createKey(ctx.world, scopeOf(ctx), {
      tags: tagsOf(input.Tags),
      policy: input.Policy,
      description:
        typeof input.Description === 'string' ? input.Description : '',
      keySpec: spec,
      keyUsage: usage,
      multiRegion: input.MultiRegion === true,
      time: ctx.time,
    });
    return { KeyMetadata: keyMetadata(key) };
  },

  DescribeKey(input, ctx) {
    const key = resolveKey(
      ctx.world,
      requiredString(input, 'KeyId', 'keyId'),
      scopeOf(ctx),
      { aliases: true },
    );
    return { KeyMetadata: keyMetadata(key) };
  },

  GetKeyPolicy(input, ctx) {
    const key = mutableKey(input, ctx);
    const name = input.PolicyName ?? 'default';
    if (name !== 'default') {
      throw new AwsError('NotFoundException', 'No such policy exists', 400);
    }
    return { Policy: key.policy, PolicyName: 'default' };
  },

  PutKeyPolicy(input, ctx) {
    const key = mutableKey(input, ctx);
    const policy = requiredString(input, 'Policy', 'policy');
    const name = input.PolicyName ?? 'default';
    if (name !== 'default') {
      throw new AwsError('NotFoundException', 'No such policy exists', 400);
    }
    if (key.state === 'PendingDeletion') throw pendingDeletion(key);
    checkPolicy(policy);
    key.policy = policy;
    return {};
  },

  CreateAlias(input, ctx) {
    const name = requiredString(input, 'AliasName', 'aliasName');
    if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(name)) {
      throw validation(
        `1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$`,
      );
    }
    if (name.startsWith('alias/aws/')) {
      throw new AwsError(
        'NotAuthorizedException',
        'Cannot create alias with prefix alias/aws/',
        400,
      );
    }
    const key = mutableKey({ KeyId: input.TargetKeyId }, ctx);
    if (key.state === 'PendingDeletion') throw pendingDeletion(key);
    const scope = scopeOf(ctx);
    const arn = aliasArn(scope.region, scope.accountId, name);
    if (ctx.world.kmsAliases.has(arn)) {
      throw new AwsError(
        'AlreadyExistsException',
        `An alias with the name ${arn} already exists`,
        400,
      );
    }
    ctx.world.kmsAliases.set(arn, {
      name,
      arn,
      accountId: scope.accountId,
      region: scope.region,
      targetKeyId: key.keyId,
      creationDate: ctx.time,
    });
    return {};
  },

  ListAliases(input, ctx) {
    const scope = scopeOf(ctx);
    const only =
      input.KeyId !== undefined
        ? resolveKey(ctx.world, String(input.KeyId), scope, {
            aliases: false,
          }).keyId
        : undefined;
    const aliases = [...ctx.world.kmsAliases.values()]
      .filter(
        a =>
          a.accountId === scope.accountId &&
          a.region === scope.region &&
          (only === undefined || a.targetKeyId === only),
      )
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(a => ({
        AliasName: a.name,
        AliasArn: a.arn,
        TargetKeyId: a.targetKeyId,
        CreationDate: seconds(a.creationDate),
        LastUpdatedDate: seconds(a.creationDate),
      }));
    return { Aliases: aliases, Truncated: false };
  },

  GetKeyRotationStatus(input, ctx) {
    mutableKey(input, ctx);
    // Keys here never rotate: EnableKeyRotation is not emulated.
    return { KeyRotationEnabled: false };
  },

  ListResourceTags(input, ctx) {
    const key = mutableKey(input, ctx);
    return {
      Tags: Object.entries(key.tags)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
      Truncated: false,
    };
  },

  TagResource(input, ctx) {
    const key = mutableKey(input, ctx);
    if (key.state === 'PendingDeletion') throw pendingDeletion(key);
    Object.assign(key.tags, tagsOf(input.Tags));
    return {};
  },

  UntagResource(input, ctx) {
    const key = mutableKey(input, ctx);
    if (key.state === 'PendingDeletion') throw pendingDeletion(key);
    if (!Array.isArray(input.TagKeys)) {
      throw validation(
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
      );
    }
    for (const tagKey of input.TagKeys) delete key.tags[String(tagKey)];
    return {};
  },

  DisableKey(input, ctx) {
    const key = mutableKey(input, ctx);
    if (key.state === 'PendingDeletion') throw pendingDeletion(key);
    key.state = 'Disabled';
    return {};
  },

  EnableKey(input, ctx) {
    const key = mutableKey(input, ctx);
    if (key.state === 'PendingDeletion') throw pendingDeletion(key);
    key.state = 'Enabled';
    return {};
  },

  ScheduleKeyDeletion(input, ctx) {
    const key = mutableKey(input, ctx);
    const days = input.PendingWindowInDays ?? 30;
    if (!Number.isInteger(days) || days < 7 || days > 30) {
      throw validation(
        `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30 and greater than or equal to 7`,
      );
    }
    if (key.state === 'PendingDeletion') throw pendingDeletion(key);
    key.state = 'PendingDeletion';
    key.deletionDate = ctx.time + days * DAY;
    key.pendingWindowInDays = days;
    return {
      KeyId: key.arn,
      DeletionDate: seconds(key.deletionDate),
      KeyState: key.state,
      PendingWindowInDays: days,
    };
  },

  CancelKeyDeletion(input, ctx) {
    const key = mutableKey(input, ctx);
    if (key.state !== 'PendingDeletion') {
      throw new AwsError(
        'KMSInvalidStateException',
        `${key.arn} is not pending deletion.`,
        400,
      );
    }
    key.state = 'Disabled';
    key.deletionDate = undefined;
    key.pendingWindowInDays = undefined;
    return { KeyId: key.arn };
  },
};
