import {
  createHash,
  createSign,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/** The key that signs digest files, as ListPublicKeys describes it. */
export interface DigestSigningKey {
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo, DER. */
  publicKeyDer: Buffer;
  fingerprint: string;
  validFrom: number;
  validUntil: number;
}

const YEAR = 365 * 24 * 3_600_000;
/** Far enough back for seeds written in the past and aged worlds. */
const VALID_FROM = Date.parse('2020-01-01T00:00:00Z');

let signingKey: DigestSigningKey | undefined;

/**
 * One RSA key per process signs every digest, made on first use. It is valid
 * from 2020 for ten years past its creation, so digests of any emulated time
 * in that span verify with it.
 */
export function digestSigningKey(): DigestSigningKey {
  if (!signingKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
    });
    const publicKeyDer = publicKey.export({ type: 'spki', format: 'der' });
    signingKey = {
      privateKey,
      publicKeyDer,
      fingerprint: createHash('md5').update(publicKeyDer).digest('hex'),
      validFrom: VALID_FROM,
      validUntil: Date.now() + 10 * YEAR,
    };
  }
  return signingKey;
}

/** SHA256withRSA over the string CloudTrail signs, hex-encoded as in the object's metadata. */
export function signDigest(stringToSign: string): string {
  return createSign('RSA-SHA256')
    .update(stringToSign)
    .sign(digestSigningKey().privateKey, 'hex');
}

/**
 * ListPublicKeys: the keys valid at some point of [StartTime, EndTime]. The
 * `Value` blob is the DER key (base64 on the wire, as every JSON blob; the
 * CLI v2 keeps blobs undecoded and `validate-logs` decodes it itself).
 */
export function listPublicKeys(
  startMs: number | undefined,
  endMs: number | undefined,
  nowMs: number,
): Array<Record<string, unknown>> {
  const key = digestSigningKey();
  const end = endMs ?? nowMs;
  const start = startMs ?? end - 24 * 3_600_000;
  if (start > key.validUntil || end < key.validFrom) return [];
  return [
    {
      Value: key.publicKeyDer.toString('base64'),
      ValidityStartTime: key.validFrom / 1000,
      ValidityEndTime: key.validUntil / 1000,
      Fingerprint: key.fingerprint,
    },
  ];
}
