import type { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, within } from '@testing-library/react';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  RESOURCE_TYPE_DYNAMODB_TABLE,
} from '@lineage/plugin-dynamodb-lineage-common';
import plugin, {
  awsAccountPickerFormField,
  awsRegionPickerFormField,
  dataLineageEntityCard,
  dynamoDbLineageApi,
  dynamoDbLineageEntityCard,
  dynamoDbLineagePage,
  dynamoDbTableScopePickerFormField,
  investigateEntityContent,
  lineagePlanPreviewFormField,
  lineageTeamPickerFormField,
} from './alpha';
import { dynamoDbLineageApiRef } from './api/DynamoDbLineageApi';
import { DynamoDbLineageClient } from './api/DynamoDbLineageClient';
import {
  accountWithoutId,
  componentWithoutTables,
  demoOverview,
  paymentsAccount,
  paymentsComponent,
  paymentsGroup,
  paymentsTeam,
  paymentsTrailEntity,
  unrelatedResource,
} from './testing/fixtures';
import { paymentsGraph } from './testing/lineageGraphFixtures';
import { mockLineageApi } from './testing/mockApi';
import { permissionApi } from './testing/permissions';

describe('new frontend system plugin', () => {
  it('is the dynamodb-lineage plugin with all its extensions', () => {
    expect(plugin.pluginId).toBe('dynamodb-lineage');
    expect(plugin.title).toBe('DynamoDB lineage');
    for (const id of [
      'api:dynamodb-lineage',
      'page:dynamodb-lineage',
      'entity-card:dynamodb-lineage',
      'entity-card:dynamodb-lineage/data-lineage',
      'entity-content:dynamodb-lineage/investigate',
      'entity-content-layout:dynamodb-lineage/group',
      'entity-content-layout:dynamodb-lineage/trail',
      'scaffolder-form-field:dynamodb-lineage/lineage-team-picker',
      'scaffolder-form-field:dynamodb-lineage/aws-account-picker',
      'scaffolder-form-field:dynamodb-lineage/aws-region-picker',
      'scaffolder-form-field:dynamodb-lineage/dynamodb-table-scope-picker',
      'scaffolder-form-field:dynamodb-lineage/lineage-plan-preview',
    ]) {
      expect(() => plugin.getExtension(id as never)).not.toThrow();
    }
    expect(() => plugin.getExtension('page:not-ours' as never)).toThrow();
  });

  it('provides the client through discovery and fetch', () => {
    const factory = createExtensionTester(dynamoDbLineageApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(dynamoDbLineageApiRef.id);
    const client = factory.factory({
      discoveryApi: { getBaseUrl: async () => 'http://x' },
      fetchApi: { fetch },
    });
    expect(client).toBeInstanceOf(DynamoDbLineageClient);
  });

  it('puts the card on groups, components, accounts and trails only', () => {
    const filter = createExtensionTester(dynamoDbLineageEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction as never,
    ) as unknown as (entity: Entity) => boolean;
    expect(filter(paymentsGroup)).toBe(true);
    expect(filter(paymentsComponent)).toBe(true);
    expect(filter(paymentsAccount)).toBe(true);
    expect(filter(accountWithoutId)).toBe(true);
    expect(filter(paymentsTrailEntity)).toBe(true);
    // It tells a component without tables what to add.
    expect(filter(componentWithoutTables)).toBe(true);
    expect(filter(unrelatedResource)).toBe(false);
  });

  it('puts the data lineage card on components, dynamodb-table Resources and entities mapped by IAM role', () => {
    const filter = createExtensionTester(dataLineageEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction as never,
    ) as unknown as (entity: Entity) => boolean;
    expect(filter(paymentsComponent)).toBe(true);
    expect(filter(componentWithoutTables)).toBe(true);
    const table: Entity = {
      ...unrelatedResource,
      spec: { ...unrelatedResource.spec, type: RESOURCE_TYPE_DYNAMODB_TABLE },
    };
    expect(filter(table)).toBe(true);
    const mappedJob: Entity = {
      ...unrelatedResource,
      metadata: {
        ...unrelatedResource.metadata,
        annotations: {
          [ANNOTATION_IAM_ROLE_ARNS]:
            'arn:aws:iam::111111111111:role/reporting-job',
        },
      },
    };
    expect(filter(mappedJob)).toBe(true);
    expect(filter(unrelatedResource)).toBe(false);
    expect(filter(paymentsGroup)).toBe(false);
    expect(filter(paymentsAccount)).toBe(false);
  });

  it('puts the Investigate tab on components and dynamodb-table Resources only', () => {
    const tester = createExtensionTester(investigateEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Investigate',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('investigate');
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction as never,
    ) as unknown as (entity: Entity) => boolean;
    expect(filter(paymentsComponent)).toBe(true);
    expect(
      filter({
        ...unrelatedResource,
        spec: { ...unrelatedResource.spec, type: RESOURCE_TYPE_DYNAMODB_TABLE },
      }),
    ).toBe(true);
    expect(filter(unrelatedResource)).toBe(false);
    expect(filter(paymentsGroup)).toBe(false);
    expect(filter(paymentsAccount)).toBe(false);
  });

  it('renders the data lineage card', async () => {
    const api = mockLineageApi({
      getLineageGraph: async () => paymentsGraph,
    });
    const card = createExtensionTester(dataLineageEntityCard).reactElement();
    renderInTestApp(
      <EntityProvider entity={paymentsComponent}>{card}</EntityProvider>,
      { apis: [[dynamoDbLineageApiRef, api]] },
    );
    expect(
      await screen.findByTestId('lineage-flow-payments'),
    ).toBeInTheDocument();
  });

  it('renders the entity card', async () => {
    const api = mockLineageApi({
      getEntityStatus: async () => ({ kind: 'team', team: paymentsTeam }),
    });
    const card = createExtensionTester(
      dynamoDbLineageEntityCard,
    ).reactElement();
    renderInTestApp(
      <EntityProvider entity={paymentsGroup}>{card}</EntityProvider>,
      {
        apis: [[dynamoDbLineageApiRef, api]],
      },
    );
    expect(
      await screen.findByText('2 of 2 account-regions covered'),
    ).toBeInTheDocument();
  });

  it('renders the overview page at /dynamodb-lineage', async () => {
    const tester = createExtensionTester(dynamoDbLineagePage);
    renderInTestApp(tester.reactElement(), {
      apis: [
        [
          dynamoDbLineageApiRef,
          mockLineageApi({ getTeams: async () => demoOverview }),
        ],
        [permissionApiRef, permissionApi(false)],
      ],
    });
    expect(
      within(await screen.findByTestId('counter-failing')).getByText('2'),
    ).toBeInTheDocument();
    expect(tester.get(coreExtensionData.routePath)).toBe('/dynamodb-lineage');
  });

  it('loads the five form fields under the names templates use', async () => {
    // The field's name is what a template's `ui:field` refers to.
    async function loadedName(extension: typeof awsAccountPickerFormField) {
      const loader = createExtensionTester(extension).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      );
      return ((await loader()) as unknown as { name: string }).name;
    }
    const names = [
      await loadedName(
        lineageTeamPickerFormField as unknown as typeof awsAccountPickerFormField,
      ),
      await loadedName(awsAccountPickerFormField),
      await loadedName(
        awsRegionPickerFormField as unknown as typeof awsAccountPickerFormField,
      ),
      await loadedName(
        dynamoDbTableScopePickerFormField as unknown as typeof awsAccountPickerFormField,
      ),
      await loadedName(
        lineagePlanPreviewFormField as unknown as typeof awsAccountPickerFormField,
      ),
    ];
    expect(names).toEqual([
      'LineageTeamPicker',
      'AwsAccountPicker',
      'AwsRegionPicker',
      'DynamoDbTableScopePicker',
      'LineagePlanPreview',
    ]);
  });
});
