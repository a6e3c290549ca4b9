import {
  BackstageCredentials,
  PermissionsService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  BucketState,
  LineageSpec,
  LineageSpecInput,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsClientFactory,
  findCoveringTrails,
  inspectBucket,
  ProvisioningAuthorizer,
  renderTerraform,
  resolveConvergence,
} from '@lineage/plugin-dynamodb-lineage-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  specFromInput,
  specInputOf,
  terraformSpecInputSchema,
} from './specInput';
import { terraformExamples } from './terraform.examples';

export const TERRAFORM_ACTION_ID = 'aws:dynamodb-lineage:terraform';
const DEFAULT_TARGET_PATH = '.';

/** What the action needs to look at the account-region before rendering. */
export interface TerraformActionOptions {
  clientFactory: AwsClientFactory;
  catalog: CatalogService;
  permissions: PermissionsService;
  /**
   * The Glue database of Athena forensics for an account, when configured:
   * the files then declare the CloudTrail table the plugin would create.
   */
  athenaDatabaseFor?: (accountId: string) => string | undefined;
}

/**
 * Writes the lineage trail as Terraform (`main.tf`, `variables.tf`,
 * `outputs.tf`) into the task workspace, for templates that publish a pull
 * request instead of changing AWS directly. It never changes AWS. With AWS
 * access (as the backend module wires it) it first authorizes the caller,
 * then reads the account-region as the provision action does: a trail of the
 * account that already logs it is refused (Terraform would create a second
 * trail next to it, where apply converges it), and so is a trail capturing
 * the same DynamoDB data events; an existing bucket is adopted with `import`
 * blocks. Without AWS access it renders the spec as given.
 */
export function createDynamoDbLineageTerraformAction(
  options?: TerraformActionOptions,
) {
  const authorizer = options
    ? new ProvisioningAuthorizer({
        catalog: options.catalog,
        permissions: options.permissions,
      })
    : undefined;

  /** The existing bucket to adopt, after refusing what would duplicate a trail. */
  async function inspect(
    input: LineageSpecInput,
    spec: LineageSpec,
    credentials: BackstageCredentials,
  ): Promise<BucketState | undefined> {
    if (!options || !authorizer) return undefined;
    // Account and owner, before any AWS call.
    await authorizer.authorize({
      accountId: input.accountId,
      owner: input.owner,
      credentials,
    });
    const clients = await options.clientFactory.forAccount(
      input.accountId,
      input.region,
    );
    const covering = await findCoveringTrails(clients, {
      accountId: input.accountId,
      region: input.region,
    });
    // Throws ConflictError when another trail captures the same events.
    const converged = resolveConvergence(input, covering).input;
    const existing = covering.find(
      c =>
        c.trail.accountId === input.accountId &&
        c.trail.name === converged.trailName,
    );
    if (existing) {
      throw new ConflictError(
        `Trail ${existing.trail.arn} already logs ${input.accountId}/${input.region}. The Terraform export creates a trail, so it would add a second one next to it: choose "Apply now in AWS" to converge ${existing.trail.name} (its other selectors and bucket policy statements are kept), or add the DynamoDB data-event selector to ${existing.trail.name} where it is managed today.`,
      );
    }
    return inspectBucket(clients, spec.bucketName);
  }

  return createTemplateAction({
    id: TERRAFORM_ACTION_ID,
    description:
      'Renders DynamoDB lineage tracking (a CloudTrail trail with DynamoDB data-event selectors and its hardened S3 bucket) as Terraform files in the workspace',
    examples: terraformExamples,
    supportsDryRun: true,
    schema: {
      input: {
        ...terraformSpecInputSchema,
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory inside the workspace to write the files to; default the workspace root',
            ),
      },
      output: {
        targetPath: z =>
          z
            .string()
            .describe(
              'Directory the files were written to, relative to the workspace',
            ),
        files: z =>
          z
            .array(z.string())
            .describe('Paths of the written files, relative to the workspace'),
        terraform: z =>
          z
            .record(z.string())
            .describe('Content of each file by file name, for display'),
      },
    },
    async handler(ctx) {
      const { targetPath = DEFAULT_TARGET_PATH, ...specInput } = ctx.input;
      const spec = specFromInput(specInput, ctx.user?.ref);
      // Refuses `..` and absolute paths that would leave the workspace.
      const targetDir = resolveSafeChildPath(ctx.workspacePath, targetPath);
      const bucket = options
        ? await inspect(
            specInputOf(specInput, ctx.user?.ref),
            spec,
            await ctx.getInitiatorCredentials(),
          )
        : undefined;
      const athenaDatabase = options?.athenaDatabaseFor?.(spec.accountId);
      const rendered = renderTerraform(spec, {
        ...(bucket ? { bucket } : {}),
        ...(athenaDatabase ? { athena: { database: athenaDatabase } } : {}),
      });

      await fs.mkdir(targetDir, { recursive: true });
      const files: string[] = [];
      for (const [name, content] of Object.entries(rendered)) {
        const file = path.join(targetDir, name);
        await fs.writeFile(file, content, 'utf8');
        files.push(toPosix(path.relative(ctx.workspacePath, file)));
        ctx.logger.info(`Wrote ${files[files.length - 1]}`);
      }

      ctx.output(
        'targetPath',
        toPosix(path.relative(ctx.workspacePath, targetDir)) || '.',
      );
      ctx.output('files', files);
      ctx.output('terraform', { ...rendered });
    },
  });
}

function toPosix(relativePath: string): string {
  return relativePath.split(path.sep).join('/');
}
