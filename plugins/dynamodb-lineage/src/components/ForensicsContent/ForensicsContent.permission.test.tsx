import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  ANNOTATION_TABLE_ARNS,
  RESOURCE_TYPE_DYNAMODB_TABLE,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { mockLineageApi } from '../../testing/mockApi';
import { permissionApi } from '../../testing/permissions';
import { ForensicsContent } from './ForensicsContent';

/*
 * A file of its own: permission decisions are cached per permission for the
 * module's lifetime, so a denied user is rendered apart from allowed ones.
 */

const paymentsTable: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: '111111111111-us-east-1-payments',
    annotations: {
      [ANNOTATION_TABLE_ARNS]:
        'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
    },
  },
  spec: { type: RESOURCE_TYPE_DYNAMODB_TABLE, owner: 'team-payments' },
};

it('says which permission is missing and offers nothing to run without it', async () => {
  const api = mockLineageApi();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [dynamoDbLineageApiRef, api],
        [permissionApiRef, permissionApi(false)],
      ]}
    >
      <EntityProvider entity={paymentsTable}>
        <ForensicsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
  expect(await screen.findByTestId('forensics-not-allowed')).toHaveTextContent(
    'dynamodb-lineage.forensics.query',
  );
  expect(screen.queryByRole('button', { name: /find/i })).toBeNull();
  expect(screen.queryByRole('form')).toBeNull();
  expect(api.startForensicsQuery).not.toHaveBeenCalled();
});
