import { entitySchemaValidator } from '@backstage/catalog-model';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import path from 'node:path';
import { schemaProblems } from './__testUtils__/schemaCheck';
import { parseYamlObject } from './__testUtils__/yaml';
import scaffolderModule from './index';

const repoRoot = path.resolve(__dirname, '../../..');
const templatePath = path.join(
  repoRoot,
  'templates/dynamodb-lineage/template.yaml',
);
const frontendSrc = path.join(repoRoot, 'plugins/dynamodb-lineage/src');

/** Field extensions the scaffolder frontend ships; the template may use them. */
const BUILT_IN_FIELDS = [
  'EntityPicker',
  'EntityNamePicker',
  'EntityTagsPicker',
  'MultiEntityPicker',
  'MyGroupsPicker',
  'OwnedEntityPicker',
  'OwnerPicker',
  'RepoBranchPicker',
  'RepoUrlPicker',
];

/** The `name` of every field extension the frontend plugin defines. */
function frontendFieldNames(): string[] {
  const names: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\./.test(entry.name)) {
        const source = fs.readFileSync(file, 'utf8');
        if (!source.includes('FieldExtensionOptions')) continue;
        for (const match of source.matchAll(/\bname: '([A-Za-z]+)'/g)) {
          names.push(match[1]);
        }
      }
    }
  };
  visit(frontendSrc);
  return names;
}

/** Every value under `key` anywhere in a parsed document. */
function collect(node: unknown, key: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach(item => collect(item, key, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) found.push(v);
      collect(v, key, found);
    }
  }
  return found;
}

/** Every string in a parsed document. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object')
    return Object.values(node).flatMap(strings);
  return [];
}

async function registeredActions(): Promise<TemplateAction<any, any, any>[]> {
  const added: TemplateAction<any, any, any>[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        { addActions: (...actions: any[]) => added.push(...actions) },
      ],
    ],
    features: [
      scaffolderModule,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  return added;
}

describe('templates/dynamodb-lineage/template.yaml', () => {
  const template = parseYamlObject(fs.readFileSync(templatePath, 'utf8'));
  const pages: Record<string, any>[] = template.spec.parameters;
  const parameters: Record<string, any> = Object.assign(
    {},
    ...pages.map(page => page.properties),
  );

  it('is a valid v1beta3 Template entity owned by the platform team', () => {
    expect(() => entitySchemaValidator()(template)).not.toThrow();
    expect(template).toMatchObject({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'dynamodb-lineage' },
      spec: { owner: 'group:default/platform' },
    });
    expect(template.spec.steps.length).toBeGreaterThan(0);
  });

  it('asks for team, account and region first, then scope, storage, options and the plan', () => {
    expect(pages.map(page => page.title)).toEqual([
      'Team & account',
      'Scope',
      'Storage',
      'Options',
      'Review the plan',
    ]);
    expect(pages[0].required).toEqual(['owner', 'accountId', 'region']);
    // Shown by display name, stored as the group's entity ref.
    expect(parameters.owner['ui:field']).toBe('LineageTeamPicker');
    expect(parameters.owner.type).toBe('string');
    expect(parameters.accountId['ui:field']).toBe('AwsAccountPicker');
    expect(parameters.region['ui:field']).toBe('AwsRegionPicker');
    expect(parameters.scope['ui:field']).toBe('DynamoDbTableScopePicker');
    expect(parameters.readWriteType.enum).toEqual([
      'All',
      'ReadOnly',
      'WriteOnly',
    ]);
    expect(parameters.lifecycle.properties.glacierAfterDays.default).toBe(90);
    expect(parameters.insights.description).toMatch(/\$0\.10 per\s+100,000/);
    expect(parameters.planPreview['ui:field']).toBe('LineagePlanPreview');
    expect(parameters.mode.enum).toEqual(['apply', 'pull-request']);
  });

  it('uses only field extensions that exist', () => {
    const known = new Set([...BUILT_IN_FIELDS, ...frontendFieldNames()]);
    const used = collect(pages, 'ui:field') as string[];
    expect(used.length).toBeGreaterThanOrEqual(5);
    expect(used.filter(field => !known.has(field))).toEqual([]);
  });

  it('gives every custom field a standard JSON schema type, so the form works without the extension', () => {
    const custom = Object.values(parameters).filter(
      p => p['ui:field'] && !BUILT_IN_FIELDS.includes(p['ui:field']),
    );
    expect(custom.length).toBe(5);
    for (const property of custom) {
      expect(['string', 'object', 'null']).toContain(property.type);
    }
  });

  it('uses registered actions with inputs their schemas accept', async () => {
    const actions = new Map(
      (await registeredActions()).map(action => [action.id, action]),
    );
    for (const step of template.spec.steps) {
      const action = actions.get(step.action);
      expect([step.id, action?.id]).toEqual([step.id, step.action]);
      expect([
        step.id,
        schemaProblems(step.input, action!.schema!.input!),
      ]).toEqual([step.id, []]);
    }
    expect(
      template.spec.steps.map((s: { action: string }) => s.action),
    ).toEqual([
      'aws:dynamodb-lineage:provision',
      'aws:dynamodb-lineage:terraform',
    ]);
  });

  it('refers only to parameters and step outputs that exist', async () => {
    const actions = new Map(
      (await registeredActions()).map(action => [action.id, action]),
    );
    const steps = new Map<string, TemplateAction<any, any, any>>(
      template.spec.steps.map((s: { id: string; action: string }) => [
        s.id,
        actions.get(s.action)!,
      ]),
    );
    const text = strings({
      steps: template.spec.steps,
      output: template.spec.output,
    });

    const parameterRefs = text.flatMap(s =>
      [...s.matchAll(/parameters\.([A-Za-z]+)/g)].map(m => m[1]),
    );
    expect(parameterRefs.length).toBeGreaterThan(10);
    expect(parameterRefs.filter(name => !(name in parameters))).toEqual([]);

    const outputRefs = text.flatMap(s =>
      [...s.matchAll(/steps\.([A-Za-z-]+)\.output\.([A-Za-z]+)/g)].map(m => ({
        step: m[1],
        output: m[2],
      })),
    );
    expect(outputRefs.length).toBeGreaterThan(3);
    for (const ref of outputRefs) {
      const outputs = steps.get(ref.step)?.schema?.output?.properties ?? {};
      expect([ref, ref.output in outputs]).toEqual([ref, true]);
    }
  });

  it('applies only in apply mode and renders Terraform only in pull-request mode', () => {
    const [provision, terraform] = template.spec.steps;
    expect(provision.if).toBe("${{ parameters.mode == 'apply' }}");
    expect(terraform.if).toBe("${{ parameters.mode == 'pull-request' }}");
  });

  it('writes output conditions that render a boolean', () => {
    // A condition that renders nothing is dropped by the scaffolder, which then
    // keeps the item: a bare reference to an optional output is a bug.
    const conditions = [
      ...template.spec.output.links,
      ...template.spec.output.text,
    ].flatMap((item: { if?: string }) => (item.if ? [item.if] : []));
    expect(conditions.length).toBeGreaterThan(0);
    for (const condition of conditions) {
      expect(condition).toMatch(/==|!=|\bis defined\b|\bnot\b/);
    }
  });

  it('links to the trail in the AWS console and the catalog, and to the team page', () => {
    const links: { url?: string; entityRef?: string }[] =
      template.spec.output.links;
    expect(links.map(l => l.url ?? l.entityRef)).toEqual([
      '${{ steps.provision.output.consoleUrls.trail }}',
      '${{ steps.provision.output.consoleUrls.bucket }}',
      '${{ steps.provision.output.trailEntityRef }}',
      '${{ parameters.owner }}',
    ]);
  });
});
