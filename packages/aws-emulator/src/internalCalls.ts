import type { HttpResult } from './http';
import { type Environment, type InternalCaller, dispatch } from './server';
import type { IncomingCall } from './services/types';

/**
 * Calls the emulated services from inside the emulator (seeds, background
 * traffic) through the same pipeline as wire calls, so they change state and
 * produce CloudTrail records exactly like SDK calls would.
 */

const SOURCE_IP = '10.0.12.34';
const USER_AGENT =
  'aws-sdk-java/2.25.16 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10 md/internal';

export interface JsonAnswer {
  status: number;
  body: Record<string, any>;
}

function incoming(partial: Partial<IncomingCall>): IncomingCall {
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    sourceIp: SOURCE_IP,
    userAgent: USER_AGENT,
    ...partial,
  };
}

function parse(result: HttpResult): JsonAnswer {
  const text = result.body === undefined ? '' : result.body.toString();
  return { status: result.status, body: text ? JSON.parse(text) : {} };
}

export async function callJson(
  env: Environment,
  caller: InternalCaller,
  target: string,
  input: unknown,
): Promise<JsonAnswer> {
  const result = await dispatch(
    env,
    incoming({
      headers: { 'x-amz-target': target },
      body: Buffer.from(JSON.stringify(input)),
    }),
    caller,
  );
  return parse(result);
}

export const callDynamoDb = (
  env: Environment,
  caller: InternalCaller,
  operation: string,
  input: unknown,
) => callJson(env, caller, `DynamoDB_20120810.${operation}`, input);

export const callCloudTrail = (
  env: Environment,
  caller: InternalCaller,
  operation: string,
  input: unknown,
) => callJson(env, caller, `CloudTrail_20131101.${operation}`, input);

/** Like callJson, but a refusal is a bug of the caller (a seed): throw it. */
export async function mustSucceed(
  answer: Promise<JsonAnswer>,
  what: string,
): Promise<JsonAnswer> {
  const result = await answer;
  if (result.status !== 200) {
    throw new Error(
      `${what} failed: ${result.status} ${JSON.stringify(result.body)}`,
    );
  }
  return result;
}

export async function putObjectInternal(
  env: Environment,
  caller: InternalCaller,
  bucket: string,
  key: string,
  body: Buffer,
): Promise<number> {
  const path = `/${encodeURIComponent(bucket)}/${key
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
  const result = await dispatch(
    env,
    incoming({
      method: 'PUT',
      path,
      headers: { 'content-type': 'application/json' },
      body,
    }),
    caller,
  );
  return result.status;
}
