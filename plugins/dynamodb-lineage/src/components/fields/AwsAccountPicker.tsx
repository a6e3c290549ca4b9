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
  isValidAccountId,
  type OwnedAccount,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { siblingValues, type SiblingFieldNames } from './fieldContext';

export type AwsAccountPickerUiOptions = Pick<SiblingFieldNames, 'ownerField'>;

function accountLabel(option: OwnedAccount | string): string {
  if (typeof option === 'string') return option;
  // Entity titles often carry the id already, e.g. "payments-prod (111111111111)".
  return option.title.includes(option.accountId)
    ? option.title
    : `${option.title} (${option.accountId})`;
}

/**
 * The AWS accounts owned by the team chosen earlier in the form. Typing a
 * 12-digit id is allowed too, for accounts not (yet) in the catalog.
 */
export function AwsAccountPicker(
  props: FieldExtensionComponentProps<string, AwsAccountPickerUiOptions>,
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
  const { owner } = siblingValues(formContext, uiSchema['ui:options']);
  const api = useApi(dynamoDbLineageApiRef);
  const {
    value: accounts,
    loading,
    error,
  } = useAsync(async () => (owner ? api.getAccounts(owner) : []), [api, owner]);

  const selected =
    accounts?.find(a => a.accountId === formData) ?? formData ?? null;

  let helperText = schema.description ?? 'The account to enable tracking in';
  if (!owner) helperText = 'Choose the owning team first.';
  else if (error)
    helperText = `Could not list the team's accounts (${error.message}); type the 12-digit account id.`;
  else if (accounts && accounts.length === 0)
    helperText =
      'The team you chose owns no AWS account in the catalog; type the 12-digit account id.';

  return (
    <FormControl
      margin="normal"
      required={required}
      error={rawErrors?.length > 0}
      fullWidth
      aria-busy={loading}
    >
      <Autocomplete<OwnedAccount | string, false, false, true>
        id={idSchema?.$id}
        freeSolo
        disabled={disabled}
        loading={loading}
        options={accounts ?? []}
        value={selected}
        getOptionLabel={accountLabel}
        getOptionSelected={(option, value) =>
          typeof option !== 'string' &&
          typeof value !== 'string' &&
          option.accountId === value.accountId
        }
        onChange={(_event, value) => {
          if (value === null) onChange(undefined);
          else
            onChange(
              typeof value === 'string' ? value.trim() : value.accountId,
            );
        }}
        onInputChange={(_event, text, reason) => {
          // Typing sets the value; selecting an option resets the text to its label.
          if (reason === 'input') onChange(text.trim() || undefined);
        }}
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'AWS account'}
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

export const validateAwsAccount: CustomFieldValidator<string> = (
  value,
  validation,
) => {
  if (value && !isValidAccountId(value)) {
    validation.addError(
      `AWS account must be a 12-digit account id, got "${value}".`,
    );
  }
};
