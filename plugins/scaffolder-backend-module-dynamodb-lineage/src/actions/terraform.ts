import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { renderTerraform } from '@lineage/plugin-dynamodb-lineage-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { specFromInput, terraformSpecInputSchema } from './specInput';
import { terraformExamples } from './terraform.examples';

export const TERRAFORM_ACTION_ID = 'aws:dynamodb-lineage:terraform';
const DEFAULT_TARGET_PATH = '.';

/**
 * Writes the lineage trail as Terraform (`main.tf`, `variables.tf`,
 * `outputs.tf`) into the task workspace, for templates that publish a pull
 * request instead of changing AWS directly. Makes no AWS call.
 */
export function createDynamoDbLineageTerraformAction() {
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
      const rendered = renderTerraform(spec);

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
