import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';

export const repoRoot = path.resolve(__dirname, '../../../..');

export function readRepoFile(relativePath: string): string {
  return fs.readFileSync(path.join(repoRoot, relativePath), 'utf8');
}

/** Every YAML document of a file in this repository, as entities. */
export function readYamlDocuments(relativePath: string): Entity[] {
  return YAML.parseAllDocuments(readRepoFile(relativePath)).map(
    doc => doc.toJSON() as Entity,
  );
}

/** The demo catalog's files, as the dev app's catalog locations list them. */
export const DEMO_CATALOG_FILES = [
  'examples/org.yaml',
  'examples/aws-accounts.yaml',
  'examples/components.yaml',
];

/**
 * Entities of catalog files as the catalog serves them: with the ownedBy
 * relation it derives from spec.owner. Default: the demo catalog.
 */
export function catalogEntities(files = DEMO_CATALOG_FILES): Entity[] {
  return files.flatMap(readYamlDocuments).map(entity =>
    typeof entity.spec?.owner === 'string'
      ? {
          ...entity,
          relations: [
            {
              type: 'ownedBy',
              targetRef: stringifyEntityRef(
                parseEntityRef(entity.spec.owner, { defaultKind: 'group' }),
              ),
            },
          ],
        }
      : entity,
  );
}

export const demoAccountIds = [
  '111111111111',
  '222222222222',
  '333333333333',
  '444444444444',
];

/** `aws.accounts` for the emulator: access key id = account id. */
export const emulatorAwsAccounts = demoAccountIds.map(accountId => ({
  accountId,
  accessKeyId: accountId,
  secretAccessKey: 'emulator',
}));

/**
 * The values the template's form starts with: every parameter's `default`,
 * and an object's from its fields' defaults.
 */
export function templateDefaultValues(): Record<string, unknown> {
  const [template] = readYamlDocuments(
    'templates/dynamodb-lineage/template.yaml',
  );
  const defaultsOf = (
    properties: Record<string, any> = {},
  ): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(properties).flatMap(
        ([name, field]): [string, unknown][] => {
          if (field.default !== undefined) return [[name, field.default]];
          if (field.type === 'object') {
            const nested = defaultsOf(field.properties);
            return Object.keys(nested).length ? [[name, nested]] : [];
          }
          return [];
        },
      ),
    );
  return Object.assign(
    {},
    ...(template.spec!.parameters as { properties?: object }[]).map(page =>
      defaultsOf(page.properties),
    ),
  );
}

/** A member of team-analytics runs the template with its defaults. */
export const analyticsTemplateValues: Record<string, unknown> = {
  ...templateDefaultValues(),
  owner: 'group:default/team-analytics',
  accountId: '444444444444',
  region: 'us-east-1',
};

/** Runs the repository's template as the guest user and waits for the end. */
export async function runTemplateTask(server: any, values: object) {
  const auth = mockCredentials.user.header('user:default/guest');
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', auth)
    .send({ templateRef: 'template:default/dynamodb-lineage', values });
  if (created.status !== 201) {
    throw new Error(`task not created: ${created.status} ${created.text}`);
  }
  for (let attempt = 0; attempt < 300; attempt++) {
    const task = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
      .set('Authorization', auth);
    if (task.body.status === 'completed' || task.body.status === 'failed') {
      const events = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
        .set('Authorization', auth);
      return {
        status: task.body.status as string,
        events: events.body as any[],
      };
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error('task did not finish');
}
