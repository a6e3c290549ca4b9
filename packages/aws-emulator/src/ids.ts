import { createHash, randomBytes, randomUUID } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += alphabet[bytes[i] % alphabet.length];
  }
  return out;
}

export const uuid = (): string => randomUUID();

/** Request ids in the style of the service: S3 uses 16 hex chars, DynamoDB 52 upper-case letters and digits, the others UUIDs. */
export const s3RequestId = (): string =>
  randomBytes(8).toString('hex').toUpperCase();

export const dynamoDbRequestId = (): string =>
  randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 52);

/** Temporary access key id, `ASIA` + 16 chars, as STS issues. */
export const sessionAccessKeyId = (): string => `ASIA${randomFrom(BASE32, 16)}`;

export const secretKey = (): string => randomBytes(30).toString('base64');

export const sessionToken = (): string => randomBytes(96).toString('base64');

/** Unique id of an IAM principal, e.g. `AROA…` for roles, `AIDA…` for users. */
export function principalUniqueId(
  prefix: 'AROA' | 'AIDA',
  name: string,
): string {
  // Stable per name so that repeated sessions of one role share the role id.
  const digest = createHash('sha256').update(name).digest();
  let out = '';
  for (let i = 0; i < 17; i++) out += BASE32[digest[i] % 32];
  return `${prefix}${out}`;
}

/** The 64-hex canonical user id S3 shows as a bucket owner. */
export const canonicalUserId = (accountId: string): string =>
  createHash('sha256').update(`canonical:${accountId}`).digest('hex');

/** The random tail of a CloudTrail log file name. */
export const logFileSuffix = (): string => randomFrom(ALNUM, 16);

export const md5Hex = (body: Buffer): string =>
  createHash('md5').update(body).digest('hex');

export const sha256Hex = (body: Buffer | string): string =>
  createHash('sha256').update(body).digest('hex');
