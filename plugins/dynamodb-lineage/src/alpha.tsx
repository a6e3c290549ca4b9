import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { Content } from '@backstage/core-components';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
  EntityContentLayoutBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import {
  RESOURCE_TYPE_AWS_ACCOUNT,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
  RESOURCE_TYPE_DYNAMODB_TABLE,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from './api/DynamoDbLineageApi';
import { DynamoDbLineageClient } from './api/DynamoDbLineageClient';
import { isDataLineageAvailable } from './components/DynamoDbLineageCard/lineageTarget';
import { rootRouteRef } from './routes';

/** @alpha */
export const dynamoDbLineageApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dynamoDbLineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DynamoDbLineageClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The overview page; the app's page header carries the title, and the page
 * appears in the navigation through its title and icon.
 *
 * @alpha
 */
export const dynamoDbLineagePage = PageBlueprint.make({
  params: {
    path: '/dynamodb-lineage',
    title: 'DynamoDB lineage',
    icon: <StorageIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/DynamoDbLineagePage/DynamoDbLineageOverview').then(
        m => (
          <Content>
            <m.DynamoDbLineageOverview />
          </Content>
        ),
      ),
  },
});

/**
 * Shown on Groups, on Components (those without declared tables see how to
 * declare them), and on
 * `aws-account` and `cloudtrail-trail` Resources. Override `filter` in
 * app-config to narrow or widen it.
 *
 * @alpha
 */
export const dynamoDbLineageEntityCard = EntityCardBlueprint.make({
  params: {
    filter: {
      $any: [
        { kind: 'group' },
        // Components without the table annotation get the card too: it says
        // what to add.
        { kind: 'component' },
        {
          kind: 'resource',
          'spec.type': {
            $in: [RESOURCE_TYPE_AWS_ACCOUNT, RESOURCE_TYPE_CLOUDTRAIL_TRAIL],
          },
        },
      ],
    },
    loader: () =>
      import('./components/DynamoDbLineageCard/DynamoDbLineageCard').then(m => (
        <m.DynamoDbLineageCard />
      )),
  },
});

/**
 * Data lineage: writers → table → readers, the daily activity of a table and
 * the governance findings. Shown on Components, on `dynamodb-table`
 * Resources and on any entity that maps IAM roles to itself.
 *
 * @alpha
 */
export const dataLineageEntityCard = EntityCardBlueprint.make({
  name: 'data-lineage',
  params: {
    filter: isDataLineageAvailable,
    loader: () =>
      import('./components/LineageGraphCard/LineageGraphCard').then(m => (
        <m.LineageGraphCard />
      )),
  },
});

/**
 * The "Investigate" tab of `dynamodb-table` Resources and Components: item
 * history by key and principal activity from raw CloudTrail events, for users
 * with the `dynamodb-lineage.forensics.query` permission (others see why
 * they cannot).
 *
 * @alpha
 */
export const investigateEntityContent = EntityContentBlueprint.make({
  name: 'investigate',
  params: {
    path: 'investigate',
    title: 'Investigate',
    filter: {
      $any: [
        { kind: 'component' },
        { kind: 'resource', 'spec.type': RESOURCE_TYPE_DYNAMODB_TABLE },
      ],
    },
    loader: () =>
      import('./components/ForensicsContent/ForensicsContent').then(m => (
        <m.ForensicsContent />
      )),
  },
});

/**
 * The overview tab of a `cloudtrail-trail` Resource: the lineage card over
 * the full width, About and Links below it.
 *
 * @alpha
 */
export const trailPageLayout = EntityContentLayoutBlueprint.make({
  name: 'trail',
  params: {
    filter: {
      kind: 'resource',
      'spec.type': RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
    },
    loader: () =>
      import('./components/TrailPageLayout/TrailPageLayout').then(
        m => m.TrailPageLayout,
      ),
  },
});

/**
 * The overview tab of a Group: the profile on top, then the lineage card and
 * the other content cards over the full width.
 *
 * @alpha
 */
export const groupPageLayout = EntityContentLayoutBlueprint.make({
  name: 'group',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/TrailPageLayout/TrailPageLayout').then(
        m => m.GroupPageLayout,
      ),
  },
});

/** @alpha */
export const lineageTeamPickerFormField = FormFieldBlueprint.make({
  name: 'lineage-team-picker',
  params: {
    field: () =>
      import('./components/fields/formFields').then(
        m => m.lineageTeamPickerFormField,
      ),
  },
});

/** @alpha */
export const awsAccountPickerFormField = FormFieldBlueprint.make({
  name: 'aws-account-picker',
  params: {
    field: () =>
      import('./components/fields/formFields').then(
        m => m.awsAccountPickerFormField,
      ),
  },
});

/** @alpha */
export const awsRegionPickerFormField = FormFieldBlueprint.make({
  name: 'aws-region-picker',
  params: {
    field: () =>
      import('./components/fields/formFields').then(
        m => m.awsRegionPickerFormField,
      ),
  },
});

/** @alpha */
export const dynamoDbTableScopePickerFormField = FormFieldBlueprint.make({
  name: 'dynamodb-table-scope-picker',
  params: {
    field: () =>
      import('./components/fields/formFields').then(
        m => m.dynamoDbTableScopePickerFormField,
      ),
  },
});

/** @alpha */
export const lineagePlanPreviewFormField = FormFieldBlueprint.make({
  name: 'lineage-plan-preview',
  params: {
    field: () =>
      import('./components/fields/formFields').then(
        m => m.lineagePlanPreviewFormField,
      ),
  },
});

/**
 * DynamoDB lineage tracking for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'dynamodb-lineage',
  title: 'DynamoDB lineage',
  icon: <StorageIcon />,
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
  extensions: [
    dynamoDbLineageApi,
    dynamoDbLineagePage,
    dynamoDbLineageEntityCard,
    dataLineageEntityCard,
    investigateEntityContent,
    trailPageLayout,
    groupPageLayout,
    lineageTeamPickerFormField,
    awsAccountPickerFormField,
    awsRegionPickerFormField,
    dynamoDbTableScopePickerFormField,
    lineagePlanPreviewFormField,
  ],
});
