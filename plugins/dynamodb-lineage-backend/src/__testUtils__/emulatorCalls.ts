/*
 * Changes a test makes to the emulated AWS world behind the plugin's back,
 * the way an operator would. The emulator reads only the credential scope of
 * the signature (access key id = account id), so no signing is needed.
 */

function authorization(accountId: string, region: string, service: string) {
  return `AWS4-HMAC-SHA256 Credential=${accountId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;
}

async function expectOk(response: Response, what: string) {
  if (!response.ok) {
    throw new Error(
      `${what} failed: ${response.status} ${await response.text()}`,
    );
  }
}

/** A call in the AWS JSON protocol: `target` is the X-Amz-Target prefix of the service. */
async function jsonCall(
  call: { url: string; accountId: string; region: string; service: string },
  protocol: '1.0' | '1.1',
  target: string,
  input: Record<string, unknown>,
) {
  const response = await fetch(`${call.url}/`, {
    method: 'POST',
    headers: {
      'content-type': `application/x-amz-json-${protocol}`,
      'x-amz-target': target,
      authorization: authorization(call.accountId, call.region, call.service),
    },
    body: JSON.stringify(input),
  });
  await expectOk(response, target);
  return response.json();
}

/** A CloudTrail API call (JSON 1.1 protocol). */
export async function cloudTrailCall(
  url: string,
  accountId: string,
  operation: string,
  input: Record<string, unknown>,
  region = 'us-east-1',
) {
  return jsonCall(
    { url, accountId, region, service: 'cloudtrail' },
    '1.1',
    `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${operation}`,
    input,
  );
}

/** An S3 REST call in us-east-1 (path style) that must succeed. */
async function s3Call(
  url: string,
  accountId: string,
  request: { method: string; path: string; operation: string; body?: string },
) {
  const response = await fetch(`${url}/${request.path}`, {
    method: request.method,
    headers: { authorization: authorization(accountId, 'us-east-1', 's3') },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  await expectOk(response, `S3 ${request.operation}`);
}

/** S3 CreateBucket in us-east-1 (REST, path style). */
export async function createBucket(
  url: string,
  accountId: string,
  bucket: string,
) {
  await s3Call(url, accountId, {
    method: 'PUT',
    path: bucket,
    operation: 'CreateBucket',
  });
}

/** S3 PutBucketPolicy (REST, path style), replacing the bucket's policy. */
export async function putBucketPolicy(
  url: string,
  accountId: string,
  bucket: string,
  policy: object,
) {
  await s3Call(url, accountId, {
    method: 'PUT',
    path: `${bucket}?policy`,
    operation: 'PutBucketPolicy',
    body: JSON.stringify(policy),
  });
}

/** S3 DeleteBucketPolicy (REST, path style). */
export async function deleteBucketPolicy(
  url: string,
  accountId: string,
  bucket: string,
) {
  await s3Call(url, accountId, {
    method: 'DELETE',
    path: `${bucket}?policy`,
    operation: 'DeleteBucketPolicy',
  });
}

/** A DynamoDB control-plane API call (JSON 1.0 protocol). */
export async function dynamoDbCall(
  url: string,
  accountId: string,
  operation: string,
  input: Record<string, unknown>,
  region = 'us-east-1',
) {
  return jsonCall(
    { url, accountId, region, service: 'dynamodb' },
    '1.0',
    `DynamoDB_20120810.${operation}`,
    input,
  );
}

/** S3 ListObjectsV2 (REST, path style): the keys under `prefix`, first page. */
export async function listS3Keys(
  url: string,
  accountId: string,
  bucket: string,
  prefix: string,
): Promise<string[]> {
  const response = await fetch(
    `${url}/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`,
    { headers: { authorization: authorization(accountId, 'us-east-1', 's3') } },
  );
  await expectOk(response, 'S3 ListObjectsV2');
  return [...(await response.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map(
    match => match[1],
  );
}

/** S3 GetObject (REST, path style): the object's bytes. */
export async function getS3Object(
  url: string,
  accountId: string,
  bucket: string,
  key: string,
): Promise<Buffer> {
  const response = await fetch(`${url}/${bucket}/${key}`, {
    headers: { authorization: authorization(accountId, 'us-east-1', 's3') },
  });
  await expectOk(response, 'S3 GetObject');
  return Buffer.from(await response.arrayBuffer());
}

/** S3 PutObject (REST, path style), over whatever the key holds. */
export async function putS3Object(
  url: string,
  accountId: string,
  bucket: string,
  key: string,
  body: Buffer,
) {
  const response = await fetch(`${url}/${bucket}/${key}`, {
    method: 'PUT',
    headers: { authorization: authorization(accountId, 'us-east-1', 's3') },
    body,
  });
  await expectOk(response, 'S3 PutObject');
}
