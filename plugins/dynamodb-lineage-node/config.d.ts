/**
 * A duration as an object of units (`{ minutes: 30 }`), an ISO-8601 duration (`PT30M`)
 * or a string such as `30 minutes`, as `readDurationFromConfig` accepts.
 */
type Duration =
  | {
      years?: number;
      months?: number;
      weeks?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    }
  | string;

export interface Config {
  /** DynamoDB lineage tracking. AWS credentials come from the standard `aws` block. */
  dynamodbLineage?: {
    aws?: {
      /**
       * Endpoint of an AWS-compatible service (LocalStack or the dev emulator) used for every
       * client instead of the real AWS endpoints, STS included (so `roleName` and
       * `provisionRoleName` are assumed there too). Leave unset for real AWS.
       */
      endpoint?: string;
      /**
       * Read role: the IAM role the backend plugin and the catalog module assume in every
       * account (policies `docs/iam/dynamodb-lineage-read*.json`), from the credentials of
       * `aws.mainAccount`, with the account's or `aws.accountDefaults`' `externalId` and
       * `partition`. Unset: the `aws` block decides (`aws.accounts`, then
       * `aws.accountDefaults.roleName`).
       */
      roleName?: string;
      /** Attempts per AWS call with the SDK's standard retry mode (throttling, 5xx). Default 3. */
      maxAttempts?: number;
    };
    /**
     * Region codes where DynamoDB lineage is expected, used when an account does not name its
     * own regions. Default `[us-east-1]`.
     * @visibility frontend
     */
    regions?: string[];
    /**
     * Accounts to watch for organisations that do not model AWS accounts as catalog entities.
     * Catalog entities win when both name the same account.
     */
    accounts?: Array<{
      /** 12-digit AWS account id. */
      accountId: string;
      /** Region codes in scope for this account; defaults to `dynamodbLineage.regions`. */
      regions?: string[];
      /** Entity ref of the owning team, e.g. `group:default/team-payments`. */
      owner?: string;
    }>;
    /** When trail delivery is considered late. */
    freshness?: {
      /**
       * Age of the latest delivery that makes a trail degraded. Default 30 minutes.
       * @visibility frontend
       */
      warnAfter?: Duration;
      /**
       * Age of the latest delivery that makes a trail failing. Default 2 hours.
       * @visibility frontend
       */
      failAfter?: Duration;
      /**
       * A trail that started logging less than this ago and has not delivered yet is `pending`,
       * not failing. Default 15 minutes.
       * @visibility frontend
       */
      firstDeliveryWindow?: Duration;
    };
    integrity?: {
      /**
       * Digest files of this long before each refresh are verified for `trail.log-integrity`
       * (each account-region at most once an hour), with every log file they list. From 1 hour
       * to 7 days. Default 6 hours.
       */
      window?: Duration;
    };
    forensics?: {
      /**
       * Amazon Athena over each trail's own bucket, for item history and principal activity
       * over long ranges. Present (even empty) turns it on for every account; the plugin
       * creates, once per trail and account, a CloudTrail table with partition projection
       * on region and day (`CREATE EXTERNAL TABLE IF NOT EXISTS`), needing the role's
       * Athena, Glue and S3 permissions (`docs/iam/dynamodb-lineage-forensics.json`).
       */
      athena?: {
        /** Athena work group. Default `primary`. */
        workGroup?: string;
        /** `s3://bucket/prefix/` for query results. Default: the work group's result location. */
        outputLocation?: string;
        /** Glue database holding the CloudTrail tables (created when missing). Default `dynamodb_lineage`. */
        database?: string;
        /** Region Athena runs in. Default: the trail's home region, where its bucket is. */
        region?: string;
        /**
         * A query whose estimated scan (compressed bytes under the partitions it reads, from an
         * S3 listing) exceeds this is refused with the estimate and its cost. In GB. Default 10.
         */
        maxScanGb?: number;
        /** Per-account settings: each key overrides the global one for that account. */
        accounts?: Array<{
          /** 12-digit AWS account id. */
          accountId: string;
          workGroup?: string;
          outputLocation?: string;
          database?: string;
          region?: string;
          maxScanGb?: number;
        }>;
      };
    };
    lineage?: {
      /**
       * Compressed bytes of CloudTrail log files read for one lineage request, in MB.
       * Bounds latency and cost; the answer says when the budget cut the window short. Default 64.
       */
      byteBudgetMb?: number;
      /**
       * Days of already delivered logs the lineage store reads when it first sees a trail
       * (per account-region). Default 7, at most 90; 0 starts from the current day.
       */
      backfillDays?: number;
      /** Days of daily lineage edges kept; older days are deleted. Default 400, at most 3650. */
      retentionDays?: number;
      /**
       * What one scheduled ingestion run of one trail may read; the rest waits for the next
       * run, which resumes where this one stopped.
       */
      ingest?: {
        /** Compressed MB of log files per run. Default 512, at most 65536. */
        byteBudgetMb?: number;
        /** Time after which a run starts no further batch of files. Default 3 minutes, at most 1 hour. */
        timeBudget?: Duration;
      };
    };
  };
}
