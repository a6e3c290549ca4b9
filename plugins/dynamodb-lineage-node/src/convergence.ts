import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  buildSpec,
  LineageSpecInput,
  TrailDescription,
  evaluateCoverage,
  trailReachesAccountRegion,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClientFactory, AwsClients } from './clients';
import { askEventSelectors, describeTrails } from './inspectTrails';
import { planLineage } from './plan';
import { ExecutablePlan } from './planTypes';
import { plannedAthenaTable } from './forensics/athenaTable';

/** A trail that logs an account-region, and whether it captures its DynamoDB data events. */
export interface CoveringTrail {
  trail: TrailDescription;
  capturesDynamoDb: boolean;
}

export interface ConvergenceOptions {
  /** Create a second capture of the same DynamoDB data events anyway. */
  allowDuplicateCapture?: boolean;
  /** What the existing capture costs a month, when a refresh measured it. */
  monthlyCostUsd?: (trailArn: string) => number | undefined;
}

export interface Convergence {
  /** The input with the trail, home region, bucket and prefix to converge filled in. */
  input: LineageSpecInput;
  notes: string[];
  /** The trail whose capture the plan duplicates (only with `allowDuplicateCapture`). */
  duplicates?: TrailDescription;
}

/**
 * The trails that log the account-region (shadow and organization trails
 * included), each with whether its selectors capture any DynamoDB data event
 * there. Read calls only: one DescribeTrails, then GetEventSelectors for each
 * of those trails that has custom selectors. Throws ServiceUnavailableError
 * when CloudTrail or a trail's selectors do not answer: deciding on a guess
 * could create a duplicate or re-point a working trail.
 */
export async function findCoveringTrails(
  clients: AwsClients,
  target: { accountId: string; region: string },
): Promise<CoveringTrail[]> {
  const described = await describeTrails(clients);
  if (!described.ok) {
    throw new ServiceUnavailableError(
      `Cannot tell which trails already log ${target.accountId}/${target.region}: CloudTrail did not answer DescribeTrails (${described.error})`,
    );
  }
  const seen = new Set<string>();
  const reaching = described.value.filter(trail => {
    if (seen.has(trail.arn)) return false;
    seen.add(trail.arn);
    return trailReachesAccountRegion(trail, target.accountId, target.region);
  });
  return Promise.all(
    reaching.map(async trail => {
      const selectors = await askEventSelectors(clients, trail);
      if (!selectors.ok) {
        throw new ServiceUnavailableError(
          `Cannot tell whether trail ${trail.arn} captures DynamoDB data events: GetEventSelectors did not answer (${selectors.error})`,
        );
      }
      return {
        trail,
        capturesDynamoDb:
          evaluateCoverage({
            trail,
            selectors: selectors.value,
            target: { kind: 'all-tables', ...target },
          }).verdict !== 'not-covered',
      };
    }),
  );
}

/**
 * Never breaks a working setup: when a trail of the account already logs the
 * account-region, the input defaults to converging it — its name, home
 * region, bucket and key prefix; the plan then keeps its other selectors and
 * bucket policy statements. A plan that would capture the DynamoDB data events
 * another trail already captures is refused (ConflictError naming that trail)
 * unless `allowDuplicateCapture`; the notes then state the doubled cost. A
 * converged trail that has a KMS key keeps it instead of a created one. A
 * trail moves to another bucket only when the input names that bucket, and the
 * notes say where its earlier logs stay.
 */
export function resolveConvergence(
  input: LineageSpecInput,
  covering: CoveringTrail[],
  options: ConvergenceOptions = {},
): Convergence {
  const own = covering.filter(c => c.trail.accountId === input.accountId);
  const named = input.trailName
    ? own.find(c => c.trail.name === input.trailName)
    : own.find(c => c.capturesDynamoDb) ?? own[0];
  const notes: string[] = [];
  let resolved: LineageSpecInput = input;

  if (named) {
    const { trail } = named;
    resolved = {
      ...input,
      trailName: trail.name,
      region: trail.homeRegion,
      bucketName: input.bucketName ?? trail.s3BucketName,
      ...(input.bucketName === undefined && trail.s3KeyPrefix
        ? { s3KeyPrefix: trail.s3KeyPrefix }
        : {}),
    };
    notes.push(
      `Converges the existing trail ${trail.name} (home region ${
        trail.homeRegion
      }) instead of creating another: its other event selectors and bucket policy statements are kept.${
        trail.homeRegion !== input.region
          ? ` It is multi-region, so ${input.region} is covered from ${trail.homeRegion}.`
          : ''
      }`,
    );
    if (input.createKmsKey && trail.kmsKeyId) {
      const { createKmsKey: _create, ...rest } = resolved;
      resolved = { ...rest, kmsKeyId: trail.kmsKeyId };
      notes.push(
        `Keeps KMS key ${trail.kmsKeyId}, which already encrypts ${trail.name}'s logs: no key is created.`,
      );
    }
    if (resolved.bucketName !== trail.s3BucketName) {
      notes.push(
        `Moves ${trail.name} from s3://${trail.s3BucketName} to s3://${
          resolved.bucketName
        } because the input names that bucket: logs delivered so far stay in s3://${
          trail.s3BucketName
        }/${
          trail.s3KeyPrefix ? `${trail.s3KeyPrefix}/` : ''
        }AWSLogs/ (nothing is copied or deleted).`,
      );
    }
  }

  const others = covering.filter(
    c => c.capturesDynamoDb && c.trail.arn !== named?.trail.arn,
  );
  if (others.length === 0) return { input: resolved, notes };
  const [existing] = others;
  const what = `DynamoDB data events of ${input.accountId}/${input.region} are already captured by trail ${existing.trail.arn} (bucket ${existing.trail.s3BucketName})`;
  if (!options.allowDuplicateCapture) {
    throw new ConflictError(
      `${what}. A second trail would bill every data event twice: converge that trail (${
        existing.trail.accountId === input.accountId
          ? `trailName: ${existing.trail.name}, or leave trailName out`
          : `it belongs to account ${existing.trail.accountId}`
      }) or set allowDuplicateCapture: true.`,
    );
  }
  const cost = options.monthlyCostUsd?.(existing.trail.arn);
  notes.push(
    `${what}: this plan captures them a second time (allowDuplicateCapture), doubling the data-event bill${
      cost !== undefined
        ? ` — about $${cost.toFixed(2)} a month more at the measured volume`
        : ' ($0.10 per 100,000 events, the same again as the existing trail)'
    }.`,
  );
  return { input: resolved, notes, duplicates: existing.trail };
}

export interface ConvergedPlanOptions {
  /** Create a second capture of the same DynamoDB data events anyway. */
  allowDuplicateCapture?: boolean;
  /** What a trail's capture costs a month, when a refresh measured it. */
  monthlyCostUsd?: (trailArn: string) => Promise<number | undefined>;
  /** The Athena database of forensics for the account, when configured: the plan names its CloudTrail table. */
  athenaDatabase?: string;
}

/**
 * The plan for an input as POST /plan and the provision action both make it:
 * the trails that already log the account-region first, the input converged
 * onto the one of the account that does (see {@link resolveConvergence}),
 * then the plan in that trail's home region. Read calls only. The plan's
 * notes start with the convergence notes; `clients` point at the home region,
 * where the plan must be applied.
 */
export async function planConverged(
  aws: AwsClientFactory,
  input: LineageSpecInput,
  options: ConvergedPlanOptions = {},
): Promise<{
  plan: ExecutablePlan;
  clients: AwsClients;
  duplicates?: TrailDescription;
}> {
  const clients = await aws.forAccount(input.accountId, input.region);
  const covering = await findCoveringTrails(clients, {
    accountId: input.accountId,
    region: input.region,
  });
  const costs = new Map<string, number>();
  if (options.monthlyCostUsd) {
    for (const { trail, capturesDynamoDb } of covering) {
      const cost = capturesDynamoDb
        ? await options.monthlyCostUsd(trail.arn)
        : undefined;
      if (cost !== undefined) costs.set(trail.arn, cost);
    }
  }
  const convergence = resolveConvergence(input, covering, {
    allowDuplicateCapture: options.allowDuplicateCapture,
    monthlyCostUsd: arn => costs.get(arn),
  });
  const spec = buildSpec(convergence.input);
  const homeClients =
    spec.region === input.region
      ? clients
      : await aws.forAccount(spec.accountId, spec.region);
  const { plan } = await planLineage(homeClients, spec);
  return {
    plan: {
      ...plan,
      notes: [...convergence.notes, ...plan.notes],
      ...(options.athenaDatabase
        ? { athenaTable: plannedAthenaTable(spec, options.athenaDatabase) }
        : {}),
    },
    clients: homeClients,
    ...(convergence.duplicates ? { duplicates: convergence.duplicates } : {}),
  };
}
