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

/** A CloudTrail API call (JSON 1.1 protocol). */
export async function cloudTrailCall(
  url: string,
  accountId: string,
  operation: string,
  input: Record<string, unknown>,
  region = 'us-east-1',
) {
  const response = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${operation}`,
      authorization: authorization(accountId, region, 'cloudtrail'),
    },
    body: JSON.stringify(input),
  });
  await expectOk(response, `CloudTrail ${operation}`);
  return response.json();
}

/** S3 DeleteBucketPolicy (REST, path style). */
export async function deleteBucketPolicy(
  url: string,
  accountId: string,
  bucket: string,
) {
  const response = await fetch(`${url}/${bucket}?policy`, {
    method: 'DELETE',
    headers: { authorization: authorization(accountId, 'us-east-1', 's3') },
  });
  await expectOk(response, 'S3 DeleteBucketPolicy');
}
