/**
 * A refusal in AWS terms. Each protocol module turns it into its own wire
 * shape, so the SDK raises the exception class it raises against AWS.
 */
export class AwsError extends Error {
  constructor(
    /** Error code as AWS spells it, e.g. `TrailNotFoundException`, `NoSuchBucket`. */
    readonly code: string,
    message: string,
    /** HTTP status AWS answers with. */
    readonly status: number = 400,
    /** Extra members of the error body (S3 `BucketName`, DynamoDB `CancellationReasons`…). */
    readonly fields: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** Whether the caller or the service is to blame (Query protocol `Type`). */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** Anything thrown that is not an AwsError is an emulator bug: answer 500 like AWS would. */
export function toAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AwsError('InternalFailure', message, 500);
}
