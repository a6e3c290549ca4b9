import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  TrailDescription,
  TrailState,
  evaluateCoverage,
  trailReachesAccountRegion,
} from '@lineage/plugin-dynamodb-lineage-common';
import { AwsClients } from './clients';
import { inspectTrails } from './inspectTrails';
import { LineageSpecInput } from '@lineage/plugin-dynamodb-lineage-common';

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
 * there. Read calls only. Throws ServiceUnavailableError when CloudTrail or a
 * trail's selectors do not answer: deciding on a guess could create a
 * duplicate or re-point a working trail.
 */
export async function findCoveringTrails(
  clients: AwsClients,
  target: { accountId: string; region: string },
): Promise<CoveringTrail[]> {
  const described = await inspectTrails(clients, target);
  if (!described.ok) {
    throw new ServiceUnavailableError(
      `Cannot tell which trails already log ${target.accountId}/${target.region}: CloudTrail did not answer DescribeTrails (${described.error})`,
    );
  }
  const seen = new Set<string>();
  return described.value
    .filter(state => {
      if (seen.has(state.trail.arn)) return false;
      seen.add(state.trail.arn);
      return trailReachesAccountRegion(
        state.trail,
        target.accountId,
        target.region,
      );
    })
    .map(state => ({
      trail: state.trail,
      capturesDynamoDb: capturesDynamoDb(state, target),
    }));
}

function capturesDynamoDb(
  state: TrailState,
  target: { accountId: string; region: string },
): boolean {
  if (!state.eventSelectors.ok) {
    throw new ServiceUnavailableError(
      `Cannot tell whether trail ${state.trail.arn} captures DynamoDB data events: GetEventSelectors did not answer (${state.eventSelectors.error})`,
    );
  }
  return (
    evaluateCoverage({
      trail: state.trail,
      selectors: state.eventSelectors.value,
      target: { kind: 'all-tables', ...target },
    }).verdict !== 'not-covered'
  );
}

/**
 * Never breaks a working setup: when a trail of the account already logs the
 * account-region, the input defaults to converging it — its name, home
 * region, bucket and key prefix; the plan then keeps its other selectors and
 * bucket policy statements. A plan that would capture the DynamoDB data events
 * another trail already captures is refused (ConflictError naming that trail)
 * unless `allowDuplicateCapture`; the notes then state the doubled cost. A
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
