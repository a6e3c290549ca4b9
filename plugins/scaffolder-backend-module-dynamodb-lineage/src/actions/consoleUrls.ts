/**
 * AWS console pages of what the provision action manages. The action accepts
 * only commercial regions, so the `aws` partition's console hosts apply.
 */
export interface ConsoleUrls {
  /** The trail's page in the CloudTrail console of its home region. */
  trail: string;
  /** The bucket's log objects in the S3 console. */
  bucket: string;
}

export function consoleUrlsFor(options: {
  region: string;
  trailArn: string;
  bucketName: string;
  s3KeyPrefix?: string;
}): ConsoleUrls {
  const region = encodeURIComponent(options.region);
  const logsPrefix = `${
    options.s3KeyPrefix ? `${options.s3KeyPrefix}/` : ''
  }AWSLogs/`;
  return {
    // The console routes on the raw ARN in the fragment, where `:` and `/` are allowed.
    trail: `https://${region}.console.aws.amazon.com/cloudtrailv2/home?region=${region}#/trails/${options.trailArn}`,
    bucket: `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(
      options.bucketName,
    )}?region=${region}&prefix=${encodeURIComponent(logsPrefix)}`,
  };
}
