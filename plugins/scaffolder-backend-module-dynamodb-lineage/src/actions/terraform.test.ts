import { createMockDirectory } from '@backstage/backend-test-utils';
import { InputError, NotAllowedError } from '@backstage/errors';
import fs from 'node:fs';
import { actionContext, USER_REF } from '../__testUtils__/fixtures';
import { createDynamoDbLineageTerraformAction } from './terraform';

const input = {
  accountId: '444444444444',
  region: 'us-east-1',
  owner: 'group:default/team-analytics',
};

describe('aws:dynamodb-lineage:terraform', () => {
  const workspace = createMockDirectory();
  beforeEach(() => workspace.clear());

  it('writes main.tf, variables.tf and outputs.tf into the workspace root', async () => {
    const action = createDynamoDbLineageTerraformAction();
    const { ctx, outputs, infoLines } = actionContext(input, {
      workspacePath: workspace.path,
    });

    await action.handler(ctx);

    const written = workspace.content({ shouldReadAsText: true }) as Record<
      string,
      string
    >;
    expect(Object.keys(written).sort()).toEqual([
      'main.tf',
      'outputs.tf',
      'variables.tf',
    ]);
    expect(written['main.tf']).toContain('resource "aws_cloudtrail"');
    expect(written['main.tf']).toContain('AWS::DynamoDB::Table');
    expect(written['main.tf']).toContain(USER_REF);
    expect(written['variables.tf']).toContain('"444444444444"');
    expect(written['variables.tf']).toContain(
      '"dynamodb-lineage-444444444444-us-east-1"',
    );
    expect(outputs()).toEqual({
      targetPath: '.',
      files: ['main.tf', 'variables.tf', 'outputs.tf'],
      terraform: written,
    });
    expect(infoLines()).toEqual([
      'Wrote main.tf',
      'Wrote variables.tf',
      'Wrote outputs.tf',
    ]);
  });

  it('writes into targetPath inside the workspace', async () => {
    const action = createDynamoDbLineageTerraformAction();
    const { ctx, outputs } = actionContext(
      { ...input, targetPath: 'infra/lineage' },
      { workspacePath: workspace.path },
    );

    await action.handler(ctx);

    expect(outputs().targetPath).toBe('infra/lineage');
    expect(outputs().files).toEqual([
      'infra/lineage/main.tf',
      'infra/lineage/variables.tf',
      'infra/lineage/outputs.tf',
    ]);
    expect(fs.existsSync(workspace.resolve('infra/lineage/main.tf'))).toBe(
      true,
    );
  });

  it.each(['../outside', 'infra/../../outside', '/tmp/outside'])(
    'refuses targetPath %s that leaves the workspace',
    async targetPath => {
      const action = createDynamoDbLineageTerraformAction();
      const { ctx } = actionContext(
        { ...input, targetPath },
        { workspacePath: workspace.resolve('ws') },
      );

      await expect(action.handler(ctx)).rejects.toThrow(NotAllowedError);
      expect(workspace.content()).toEqual({});
    },
  );

  it('refuses invalid input naming the field, writing nothing', async () => {
    const action = createDynamoDbLineageTerraformAction();
    const { ctx } = actionContext(
      { ...input, bucketName: 'Not_A_Bucket' },
      { workspacePath: workspace.path },
    );

    const error = await action.handler(ctx).catch(e => e);

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^bucketName:/);
    expect(workspace.content()).toEqual({});
  });
});
