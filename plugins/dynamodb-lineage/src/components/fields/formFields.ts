import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  awsAccountPickerField,
  awsRegionPickerField,
  dynamoDbTableScopePickerField,
  lineagePlanPreviewField,
  lineageTeamPickerField,
} from './fieldExtensions';

/* The same fields, bound for the new frontend system's FormFieldBlueprint. */

export const lineageTeamPickerFormField = createFormField({
  name: lineageTeamPickerField.name,
  component: lineageTeamPickerField.component,
  validation: lineageTeamPickerField.validation,
});

export const awsAccountPickerFormField = createFormField({
  name: awsAccountPickerField.name,
  component: awsAccountPickerField.component,
  validation: awsAccountPickerField.validation,
});

export const awsRegionPickerFormField = createFormField({
  name: awsRegionPickerField.name,
  component: awsRegionPickerField.component,
  validation: awsRegionPickerField.validation,
});

export const dynamoDbTableScopePickerFormField = createFormField({
  name: dynamoDbTableScopePickerField.name,
  component: dynamoDbTableScopePickerField.component,
  validation: dynamoDbTableScopePickerField.validation,
});

export const lineagePlanPreviewFormField = createFormField({
  name: lineagePlanPreviewField.name,
  component: lineagePlanPreviewField.component,
});
