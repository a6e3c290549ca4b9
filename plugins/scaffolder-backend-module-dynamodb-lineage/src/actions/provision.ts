import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  LineageSpec,
  PlannedChange,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AppliedChange,
  applyPlan,
  AwsClientFactory,
  AwsClients,
  ExecutablePlan,
  planConverged,
  ProvisioningAuthorizer,
  TrailDiscoveryService,
} from '@lineage/plugin-dynamodb-lineage-node';
import { consoleUrlsFor } from './consoleUrls';
import { findTrailEntityRef } from './trailEntity';
import { provisionExamples } from './provision.examples';
import { provisionInputSchema, specInputOf } from './specInput';

export const PROVISION_ACTION_ID = 'aws:dynamodb-lineage:provision';
export const PROVISION_AUDIT_EVENT_ID = 'dynamodb-lineage-provision';

export interface ProvisionActionOptions {
  clientFactory: AwsClientFactory;
  catalog: CatalogService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** Makes a new trail's entity appear at once; optional. */
  trailDiscovery?: TrailDiscoveryService;
  /** The Athena forensics database of an account, when configured: the plan names its CloudTrail table. */
  athenaDatabaseFor?: (accountId: string) => string | undefined;
}

/**
 * Creates or converges the DynamoDB lineage trail and its bucket in one
 * account and region: validate, authorize (account and owner), plan, then apply each planned
 * change as its own checkpoint, so a resumed task skips finished steps.
 */
export function createDynamoDbLineageProvisionAction(
  options: ProvisionActionOptions,
) {
  const { clientFactory, catalog, permissions, auditor, trailDiscovery } =
    options;
  const authorizer = new ProvisioningAuthorizer({ catalog, permissions });

  return createTemplateAction({
    id: PROVISION_ACTION_ID,
    description:
      'Creates or converges a CloudTrail trail that logs DynamoDB data events to a hardened S3 bucket, in an AWS account the initiator may provision in',
    examples: provisionExamples,
    supportsDryRun: true,
    schema: {
      input: provisionInputSchema,
      output: {
        trailArn: z => z.string().describe('ARN of the trail'),
        bucketName: z => z.string().describe('Bucket the trail delivers to'),
        bucketArn: z => z.string().describe('ARN of that bucket'),
        changes: z =>
          z
            .array(z.string())
            .describe(
              'Summary of each change made (in a dry run: each change that would be made)',
            ),
        plan: z =>
          z
            .any()
            .describe('The plan: ordered changes with field-level reasons'),
        consoleUrls: z =>
          z
            .object({ trail: z.string(), bucket: z.string() })
            .describe('AWS console pages of the trail and the bucket'),
        trailEntityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Catalog entity of the trail, when the catalog already has it (new trails appear at the next refresh)',
            ),
      },
    },
    async handler(ctx) {
      const { allowDuplicateCapture, ...actionInput } = ctx.input;
      const input = specInputOf(actionInput, ctx.user?.ref);
      const credentials = await ctx.getInitiatorCredentials();
      // Account and owner, before any AWS call.
      await authorizer.authorize({
        accountId: input.accountId,
        owner: input.owner,
        credentials,
      });

      // The plan POST /plan shows: an account-region a trail already covers
      // converges that trail and its bucket.
      const { plan, clients } = await planConverged(clientFactory, input, {
        allowDuplicateCapture,
        athenaDatabase: options.athenaDatabaseFor?.(input.accountId),
      });
      const { spec } = plan;
      ctx.output('trailArn', plan.trailArn);
      ctx.output('bucketName', spec.bucketName);
      ctx.output('bucketArn', plan.bucketArn);
      ctx.output('plan', plan);
      ctx.output(
        'consoleUrls',
        consoleUrlsFor({
          region: spec.region,
          trailArn: plan.trailArn,
          bucketName: spec.bucketName,
          s3KeyPrefix: spec.s3KeyPrefix,
        }),
      );
      plan.notes.forEach(note => ctx.logger.info(`Note: ${note}`));
      if (plan.athenaTable) {
        ctx.logger.info(
          `Athena table ${plan.athenaTable.database}.${plan.athenaTable.name}: ${plan.athenaTable.note}`,
        );
      }
      if (plan.blockers?.length) {
        plan.blockers.forEach(blocker => ctx.logger.error(blocker));
        if (plan.kmsPolicyStatement) {
          ctx.logger.info(
            `Add this statement to the key policy, then run again: ${JSON.stringify(
              plan.kmsPolicyStatement,
              null,
              2,
            )}`,
          );
        }
        throw new ConflictError(
          `Nothing was changed: ${plan.blockers.join('; ')}`,
        );
      }

      let changes: string[];
      if (plan.changes.length === 0) {
        ctx.logger.info(
          `Nothing to change: ${plan.trailArn} and bucket ${spec.bucketName} already match the spec`,
        );
        changes = [];
      } else if (ctx.isDryRun) {
        plan.changes.forEach(change =>
          ctx.logger.info(`Would ${change.action}: ${change.summary}`),
        );
        changes = plan.changes.map(change => change.summary);
      } else {
        changes = await applyWithCheckpoints(ctx, {
          clients,
          plan,
          auditor,
          who: initiatorOf(credentials, ctx.user?.ref),
        });
      }
      ctx.output('changes', changes);

      const trailEntityRef =
        (ctx.isDryRun
          ? undefined
          : await discoverTrailEntityRef(trailDiscovery, plan.trailArn, ctx)) ??
        (await findTrailEntityRef({
          trailArn: plan.trailArn,
          credentials,
          catalog,
        }));
      if (trailEntityRef) {
        ctx.output('trailEntityRef', trailEntityRef);
      }
    },
  });
}

/**
 * Runs trail discovery now so the trail's entity appears in the catalog
 * within seconds, and returns its ref. A discovery failure only costs the
 * link: the scheduled discovery still finds the trail.
 */
async function discoverTrailEntityRef(
  trailDiscovery: TrailDiscoveryService | undefined,
  trailArn: string,
  ctx: { logger: { warn(message: string): void } },
): Promise<string | undefined> {
  if (!trailDiscovery) return undefined;
  try {
    const trails = await trailDiscovery.discoverNow();
    return trails?.find(t => t.arn === trailArn)?.entityRef;
  } catch (error) {
    ctx.logger.warn(
      `Trail discovery after provisioning failed (${
        (error as Error).message
      }); the trail appears in the catalog at the next scheduled discovery`,
    );
    return undefined;
  }
}

/**
 * Applies the plan with each change in its own checkpoint, keyed by the
 * change: a resumed task gets the stored result instead of calling AWS again.
 * applyPlan logs one line per change it runs; a change a checkpoint already
 * holds is logged here instead.
 */
async function applyWithCheckpoints(
  ctx: Pick<ActionContext<any>, 'checkpoint' | 'logger'>,
  options: {
    clients: AwsClients;
    plan: ExecutablePlan;
    auditor: AuditorService;
    who: string;
  },
): Promise<string[]> {
  const { clients, plan, auditor, who } = options;
  const applied = await applyPlan(clients, plan, {
    logger: ctx.logger,
    runStep: async (change, run) => {
      let ran = false;
      const result = await ctx.checkpoint({
        key: change.key,
        fn: async () => {
          ran = true;
          // A plain object literal, which the checkpoint stores as JSON.
          return {
            ...(await audited({ auditor, who, spec: plan.spec, change }, run)),
          };
        },
      });
      if (!ran) {
        ctx.logger.info(`Already done earlier in this task: ${change.summary}`);
      }
      return result;
    },
  });
  return applied.map(change => change.summary);
}

function initiatorOf(
  credentials: BackstageCredentials,
  userRef: string | undefined,
): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? userRef ?? principal.subject ?? 'unknown';
}

/** One auditor event around one mutating step, with its outcome. */
async function audited(
  context: {
    auditor: AuditorService;
    who: string;
    spec: LineageSpec;
    change: PlannedChange;
  },
  run: () => Promise<AppliedChange>,
): Promise<AppliedChange> {
  const { auditor, who, spec, change } = context;
  const event = await auditor.createEvent({
    eventId: PROVISION_AUDIT_EVENT_ID,
    severityLevel: 'medium',
    meta: {
      who,
      what: change.summary,
      change: change.key,
      accountId: spec.accountId,
      region: spec.region,
      trailName: spec.trailName,
      bucketName: spec.bucketName,
    },
  });
  try {
    const result = await run();
    await event.success({
      meta: { outcome: result.outcome, operations: result.operations },
    });
    return result;
  } catch (error) {
    await event.fail({ error: error as Error, meta: { outcome: 'failed' } });
    throw error;
  }
}
