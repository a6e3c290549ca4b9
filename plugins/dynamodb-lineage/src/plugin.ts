import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { dynamoDbLineageApiRef } from './api/DynamoDbLineageApi';
import { DynamoDbLineageClient } from './api/DynamoDbLineageClient';
import {
  awsAccountPickerField,
  awsRegionPickerField,
  lineageTeamPickerField,
  dynamoDbTableScopePickerField,
  lineagePlanPreviewField,
} from './components/fields/fieldExtensions';
import { rootRouteRef } from './routes';

/**
 * DynamoDB lineage tracking for the legacy frontend system.
 *
 * @public
 */
export const dynamoDbLineagePlugin = createPlugin({
  id: 'dynamodb-lineage',
  apis: [
    createApiFactory({
      api: dynamoDbLineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DynamoDbLineageClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * Every team's lineage-tracking status; mount at `/dynamodb-lineage`.
 *
 * @public
 */
export const DynamoDbLineagePage = dynamoDbLineagePlugin.provide(
  createRoutableExtension({
    name: 'DynamoDbLineagePage',
    component: () =>
      import('./components/DynamoDbLineagePage/DynamoDbLineagePage').then(
        m => m.DynamoDbLineagePage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The entity card for Groups, Components with tables, and `aws-account` /
 * `cloudtrail-trail` Resources.
 *
 * @public
 */
export const EntityDynamoDbLineageCard = dynamoDbLineagePlugin.provide(
  createComponentExtension({
    name: 'EntityDynamoDbLineageCard',
    component: {
      lazy: () =>
        import('./components/DynamoDbLineageCard/DynamoDbLineageCard').then(
          m => m.DynamoDbLineageCard,
        ),
    },
  }),
);

/**
 * Data lineage of a Component, a `dynamodb-table` Resource or any entity
 * annotated with its IAM roles: writers → table → readers, daily activity,
 * governance findings.
 *
 * @public
 */
export const EntityDynamoDbDataLineageCard = dynamoDbLineagePlugin.provide(
  createComponentExtension({
    name: 'EntityDynamoDbDataLineageCard',
    component: {
      lazy: () =>
        import('./components/LineageGraphCard/LineageGraphCard').then(
          m => m.LineageGraphCard,
        ),
    },
  }),
);

/**
 * The "Investigate" tab content for `dynamodb-table` Resources and
 * Components: item history by key and principal activity from raw
 * CloudTrail events, behind `dynamodb-lineage.forensics.query`.
 *
 * @public
 */
export const EntityDynamoDbInvestigateContent = dynamoDbLineagePlugin.provide(
  createComponentExtension({
    name: 'EntityDynamoDbInvestigateContent',
    component: {
      lazy: () =>
        import('./components/ForensicsContent/ForensicsContent').then(
          m => m.ForensicsContent,
        ),
    },
  }),
);

/** @public `ui:field: LineageTeamPicker`: the owning team, by display name */
export const LineageTeamPickerFieldExtension = dynamoDbLineagePlugin.provide(
  createScaffolderFieldExtension(lineageTeamPickerField),
);

/** @public `ui:field: AwsAccountPicker` */
export const AwsAccountPickerFieldExtension = dynamoDbLineagePlugin.provide(
  createScaffolderFieldExtension(awsAccountPickerField),
);

/** @public `ui:field: AwsRegionPicker` */
export const AwsRegionPickerFieldExtension = dynamoDbLineagePlugin.provide(
  createScaffolderFieldExtension(awsRegionPickerField),
);

/** @public `ui:field: DynamoDbTableScopePicker` */
export const DynamoDbTableScopePickerFieldExtension =
  dynamoDbLineagePlugin.provide(
    createScaffolderFieldExtension(dynamoDbTableScopePickerField),
  );

/** @public `ui:field: LineagePlanPreview`, on the template's last step */
export const LineagePlanPreviewFieldExtension = dynamoDbLineagePlugin.provide(
  createScaffolderFieldExtension(lineagePlanPreviewField),
);
