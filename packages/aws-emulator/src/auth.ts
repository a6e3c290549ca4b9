import type { IncomingHttpHeaders } from 'node:http';

/** What the SigV4 credential scope of a request says. */
export interface SignatureScope {
  accessKeyId: string;
  region: string;
  service: string;
  sessionToken?: string;
}

const SCOPE = /^([^/\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;

/**
 * Reads the credential scope from the Authorization header or from presigned
 * query parameters. Signatures are not verified: the emulator trusts the scope
 * but, like AWS, refuses requests that carry no signature at all.
 *
 * @returns the scope, `undefined` for an unsigned request, or `'malformed'`.
 */
export function readSignatureScope(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): SignatureScope | undefined | 'malformed' {
  const header = headers.authorization;
  const token =
    (headers['x-amz-security-token'] as string | undefined) ??
    query.get('X-Amz-Security-Token') ??
    undefined;
  if (header) {
    if (!header.startsWith('AWS4-HMAC-SHA256 ')) return 'malformed';
    const credential = /Credential=([^,\s]+)/.exec(header)?.[1];
    const signature = /Signature=([0-9a-f]+)/.exec(header)?.[1];
    const scope = credential ? SCOPE.exec(credential) : null;
    if (!scope || !signature) return 'malformed';
    return {
      accessKeyId: scope[1],
      region: scope[2],
      service: scope[3],
      sessionToken: token,
    };
  }
  const algorithm = query.get('X-Amz-Algorithm');
  if (algorithm) {
    const scope = SCOPE.exec(query.get('X-Amz-Credential') ?? '');
    if (
      algorithm !== 'AWS4-HMAC-SHA256' ||
      !scope ||
      !query.get('X-Amz-Signature')
    ) {
      return 'malformed';
    }
    return {
      accessKeyId: scope[1],
      region: scope[2],
      service: scope[3],
      sessionToken: token,
    };
  }
  return undefined;
}
