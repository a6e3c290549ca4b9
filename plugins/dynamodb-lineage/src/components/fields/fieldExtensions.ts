import type { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import type { TableScope } from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsAccountPicker,
  type AwsAccountPickerUiOptions,
  validateAwsAccount,
} from './AwsAccountPicker';
import {
  AwsRegionPicker,
  type AwsRegionPickerUiOptions,
  validateAwsRegion,
} from './AwsRegionPicker';
import {
  DynamoDbTableScopePicker,
  type DynamoDbTableScopePickerUiOptions,
  validateTableScope,
} from './DynamoDbTableScopePicker';
import { LineageTeamPicker, validateLineageTeam } from './LineageTeamPicker';
import {
  LineagePlanPreview,
  type LineagePlanPreviewUiOptions,
} from './LineagePlanPreview';

/*
 * One definition per field, used by both frontend systems: the legacy
 * `createScaffolderFieldExtension` and the new `createFormField`. The `name`
 * is what a template writes in `ui:field`.
 */

const siblingOptionSchema = {
  ownerField: {
    type: 'string',
    description: 'Form property holding the owning team (default owner)',
  },
  accountField: {
    type: 'string',
    description: 'Form property holding the AWS account id (default accountId)',
  },
  regionField: {
    type: 'string',
    description: 'Form property holding the region (default region)',
  },
} as const;

export const lineageTeamPickerField: FieldExtensionOptions<string> = {
  name: 'LineageTeamPicker',
  component: LineageTeamPicker,
  validation: validateLineageTeam,
  schema: {
    returnValue: { type: 'string' },
  },
};

export const awsAccountPickerField: FieldExtensionOptions<
  string,
  AwsAccountPickerUiOptions
> = {
  name: 'AwsAccountPicker',
  component: AwsAccountPicker,
  validation: validateAwsAccount,
  schema: {
    returnValue: { type: 'string', pattern: '^\\d{12}$' },
    uiOptions: {
      type: 'object',
      properties: { ownerField: siblingOptionSchema.ownerField },
    },
  },
};

export const awsRegionPickerField: FieldExtensionOptions<
  string,
  AwsRegionPickerUiOptions
> = {
  name: 'AwsRegionPicker',
  component: AwsRegionPicker,
  validation: validateAwsRegion,
  schema: {
    returnValue: { type: 'string' },
    uiOptions: {
      type: 'object',
      properties: {
        ownerField: siblingOptionSchema.ownerField,
        accountField: siblingOptionSchema.accountField,
      },
    },
  },
};

export const dynamoDbTableScopePickerField: FieldExtensionOptions<
  TableScope,
  DynamoDbTableScopePickerUiOptions
> = {
  name: 'DynamoDbTableScopePicker',
  component: DynamoDbTableScopePicker,
  validation: validateTableScope,
  schema: {
    returnValue: {
      type: 'object',
      required: ['mode'],
      properties: {
        mode: { type: 'string', enum: ['all', 'tables', 'prefix'] },
        tableArns: { type: 'array', items: { type: 'string' } },
        prefixes: { type: 'array', items: { type: 'string' } },
      },
    },
    uiOptions: {
      type: 'object',
      properties: {
        accountField: siblingOptionSchema.accountField,
        regionField: siblingOptionSchema.regionField,
      },
    },
  },
};

export const lineagePlanPreviewField: FieldExtensionOptions<
  unknown,
  LineagePlanPreviewUiOptions
> = {
  name: 'LineagePlanPreview',
  component: LineagePlanPreview,
  schema: {
    // Read-only: the preview never writes a value into the form.
    returnValue: { type: 'string' },
    uiOptions: {
      type: 'object',
      properties: {
        ...siblingOptionSchema,
        scopeField: {
          type: 'string',
          description: 'Form property holding the table scope (default scope)',
        },
      },
    },
  },
};
