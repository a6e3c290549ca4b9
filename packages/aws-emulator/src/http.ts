import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler answers; the server writes it to the socket. */
export interface HttpResult {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function writeResult(
  res: ServerResponse,
  result: HttpResult,
  isHead: boolean,
): void {
  let body: Buffer = Buffer.alloc(0);
  if (Buffer.isBuffer(result.body)) body = result.body;
  else if (result.body !== undefined) body = Buffer.from(result.body, 'utf8');
  const headers: Record<string, string> = { ...result.headers };
  if (headers['content-length'] === undefined) {
    headers['content-length'] = String(body.length);
  }
  res.writeHead(result.status, headers);
  res.end(isHead ? undefined : body);
}

export function jsonResult(status: number, value: unknown): HttpResult {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  };
}
