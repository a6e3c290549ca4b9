import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  AWS_REGIONS,
  isAwsRegion,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { siblingValues, type SiblingFieldNames } from './fieldContext';

export type AwsRegionPickerUiOptions = Pick<
  SiblingFieldNames,
  'ownerField' | 'accountField'
>;

/**
 * A region code. When the chosen account declares its regions in the
 * catalog, only those are offered: they are where the team runs DynamoDB.
 */
export function AwsRegionPicker(
  props: FieldExtensionComponentProps<string, AwsRegionPickerUiOptions>,
) {
  const {
    formData,
    onChange,
    rawErrors,
    required,
    schema,
    uiSchema,
    formContext,
    idSchema,
    disabled,
  } = props;
  const { owner, accountId } = siblingValues(
    formContext,
    uiSchema['ui:options'],
  );
  const api = useApi(dynamoDbLineageApiRef);
  const { value: account, loading } = useAsync(async () => {
    if (!owner || !accountId) return undefined;
    const accounts = await api.getAccounts(owner);
    return accounts.find(a => a.accountId === accountId);
  }, [api, owner, accountId]);

  const narrowed = account && account.regions.length > 0;
  const options = narrowed ? account.regions : AWS_REGIONS;
  const helperText = narrowed
    ? `Regions where ${account.title} runs DynamoDB`
    : schema.description ?? 'Home region of the trail';

  return (
    <FormControl
      margin="normal"
      required={required}
      error={rawErrors?.length > 0}
      fullWidth
      aria-busy={loading}
    >
      <Autocomplete<string, false, false, false>
        id={idSchema?.$id}
        disabled={disabled}
        loading={loading}
        options={[...options]}
        value={formData ?? null}
        onChange={(_event, value) => onChange(value ?? undefined)}
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'AWS region'}
            required={required}
            error={rawErrors?.length > 0}
            helperText={helperText}
            variant="outlined"
          />
        )}
      />
    </FormControl>
  );
}

export const validateAwsRegion: CustomFieldValidator<string> = (
  value,
  validation,
) => {
  if (value && !isAwsRegion(value)) {
    validation.addError(
      `AWS region must be a region code such as us-east-1, got "${value}".`,
    );
  }
};
