import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { dynamoDbLineageApiRef } from './api/DynamoDbLineageApi';
import { DynamoDbLineageClient } from './api/DynamoDbLineageClient';
import {
  AwsAccountPickerFieldExtension,
  AwsRegionPickerFieldExtension,
  DynamoDbLineagePage,
  DynamoDbTableScopePickerFieldExtension,
  EntityDynamoDbLineageCard,
  LineagePlanPreviewFieldExtension,
  dynamoDbLineagePlugin,
} from './plugin';
import { demoOverview, paymentsGroup, paymentsTeam } from './testing/fixtures';
import { mockLineageApi } from './testing/mockApi';
import { permissionApi } from './testing/permissions';

describe('legacy frontend system plugin', () => {
  it('is the dynamodb-lineage plugin and builds its client from discovery and fetch', () => {
    expect(dynamoDbLineagePlugin.getId()).toBe('dynamodb-lineage');
    const factory = [...dynamoDbLineagePlugin.getApis()].find(
      f => f.api.id === dynamoDbLineageApiRef.id,
    );
    expect(factory).toBeDefined();
    expect(
      factory!.factory({
        discoveryApi: { getBaseUrl: async () => 'http://x' },
        fetchApi: { fetch },
      }),
    ).toBeInstanceOf(DynamoDbLineageClient);
  });

  it('renders the routable page', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            dynamoDbLineageApiRef,
            mockLineageApi({ getTeams: async () => demoOverview }),
          ],
          [permissionApiRef, permissionApi(false)],
        ]}
      >
        <Routes>
          <Route path="/dynamodb-lineage" element={<DynamoDbLineagePage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/dynamodb-lineage'] },
    );
    expect(
      await screen.findByRole('heading', { name: 'DynamoDB lineage' }),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('counter-coverage')).toHaveTextContent(
      '33%',
    );
  });

  it('renders the entity card extension', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            dynamoDbLineageApiRef,
            mockLineageApi({
              getEntityStatus: async () => ({
                kind: 'team',
                team: paymentsTeam,
              }),
            }),
          ],
        ]}
      >
        <EntityProvider entity={paymentsGroup}>
          <EntityDynamoDbLineageCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('2 of 2 account-regions covered'),
    ).toBeInTheDocument();
  });

  it('registers the four scaffolder field extensions', async () => {
    function FieldNames() {
      const fields = useCustomFieldExtensions(
        <ScaffolderFieldExtensions>
          <AwsAccountPickerFieldExtension />
          <AwsRegionPickerFieldExtension />
          <DynamoDbTableScopePickerFieldExtension />
          <LineagePlanPreviewFieldExtension />
        </ScaffolderFieldExtensions>,
      );
      return (
        <ul>
          {fields.map(f => (
            <li key={f.name}>{f.name}</li>
          ))}
        </ul>
      );
    }
    await renderInTestApp(<FieldNames />);
    expect(screen.getAllByRole('listitem').map(li => li.textContent)).toEqual([
      'AwsAccountPicker',
      'AwsRegionPicker',
      'DynamoDbTableScopePicker',
      'LineagePlanPreview',
    ]);
  });
});
