import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import { fakeAws } from '../__testUtils__/fakeAws';
import {
  actionContext,
  demoAccounts,
  permissionsWith,
  recordingAuditor,
} from '../__testUtils__/fixtures';
import { schemaProblems } from '../__testUtils__/schemaCheck';
import { parseYamlObject } from '../__testUtils__/yaml';
import { createDynamoDbLineageProvisionAction } from './provision';
import { createDynamoDbLineageTerraformAction } from './terraform';

/** The single step of an example, as a template author would copy it. */
function exampleStep(example: string) {
  const parsed = parseYamlObject(example);
  expect(parsed.steps).toHaveLength(1);
  return parsed.steps[0] as {
    id: string;
    action: string;
    input: Record<string, any>;
  };
}

describe('action examples', () => {
  const provision = () => {
    const aws = fakeAws();
    const action = createDynamoDbLineageProvisionAction({
      clientFactory: aws.factory,
      catalog: catalogServiceMock({ entities: demoAccounts }),
      permissions: permissionsWith(AuthorizeResult.ALLOW),
      auditor: recordingAuditor().auditor,
    });
    return { action, aws };
  };

  const provisionExamples = provision().action.examples ?? [];
  it('provision has examples', () => {
    expect(provisionExamples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(provisionExamples.map(e => [e.description, e.example]))(
    'provision: %s',
    async (_description, example) => {
      const step = exampleStep(example);
      const { action, aws } = provision();
      expect(step.action).toBe(action.id);
      expect(schemaProblems(step.input, action.schema!.input!)).toEqual([]);
      const { ctx, outputs } = actionContext(step.input);

      await action.handler(ctx);

      const { accountId, region, trailName = 'dynamodb-lineage' } = step.input;
      expect(outputs().trailArn).toBe(
        `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`,
      );
      expect(aws.forAccount).toHaveBeenCalledWith(accountId, region);
      expect(aws.mutatingOperations()).toContain('StartLogging');
      const logsPrefix = `${
        step.input.s3KeyPrefix ? `${step.input.s3KeyPrefix}/` : ''
      }AWSLogs/`;
      expect(outputs().consoleUrls.bucket).toContain(
        `prefix=${encodeURIComponent(logsPrefix)}`,
      );
      expect(outputs().bucketName).toBe(
        step.input.bucketName ?? `dynamodb-lineage-${accountId}-${region}`,
      );
    },
  );

  const terraformExamples =
    createDynamoDbLineageTerraformAction().examples ?? [];
  it('terraform has examples', () => {
    expect(terraformExamples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(terraformExamples.map(e => [e.description, e.example]))(
    'terraform: %s',
    async (_description, example) => {
      const step = exampleStep(example);
      const action = createDynamoDbLineageTerraformAction();
      expect(step.action).toBe(action.id);
      expect(schemaProblems(step.input, action.schema!.input!)).toEqual([]);
      const workspace = createMockDirectory();
      const { ctx, outputs } = actionContext(step.input, {
        workspacePath: workspace.path,
      });

      await action.handler(ctx);

      const files: string[] = outputs().files;
      expect(files.map(f => f.split('/').pop()).sort()).toEqual([
        'main.tf',
        'outputs.tf',
        'variables.tf',
      ]);
      const read = (name: string) =>
        fs.readFileSync(
          workspace.resolve(files.find(f => f.endsWith(name))!),
          'utf8',
        );
      expect(read('variables.tf')).toContain(`"${step.input.accountId}"`);
      expect(read('main.tf')).toContain('resource "aws_cloudtrail"');
      expect(read('main.tf')).toContain(step.input.owner);
    },
  );
});
