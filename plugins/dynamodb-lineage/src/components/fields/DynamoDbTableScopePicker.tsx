import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  tablePrefixProblem,
  tryParseTableArn,
  validateTableArn,
  type TableScope,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { siblingValues, type SiblingFieldNames } from './fieldContext';

export type DynamoDbTableScopePickerUiOptions = Pick<
  SiblingFieldNames,
  'accountField' | 'regionField'
>;

const MODES: { mode: TableScope['mode']; label: string }[] = [
  { mode: 'all', label: 'Every table of the account and region' },
  { mode: 'tables', label: 'Only these tables' },
  { mode: 'prefix', label: 'Tables whose name starts with' },
];

function splitLines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map(item => item.trim())
    .filter(Boolean);
}

/**
 * A multi-line list input. It keeps the raw text itself: rebuilding it from
 * the parsed items would swallow the newline being typed.
 */
function ListTextField(props: {
  id: string;
  label: string;
  items: string[];
  onItemsChange: (items: string[]) => void;
  disabled?: boolean;
  helperText: string;
}) {
  const { id, label, items, onItemsChange, disabled, helperText } = props;
  const [text, setText] = useState(() => items.join('\n'));
  return (
    <TextField
      id={id}
      label={label}
      multiline
      minRows={3}
      fullWidth
      variant="outlined"
      disabled={disabled}
      value={text}
      onChange={event => {
        setText(event.target.value);
        onItemsChange(splitLines(event.target.value));
      }}
      helperText={helperText}
    />
  );
}

function tableName(arn: string): string {
  return tryParseTableArn(arn)?.tableName ?? arn;
}

function scopeForMode(
  mode: TableScope['mode'],
  previous?: TableScope,
): TableScope {
  if (mode === 'tables') {
    return {
      mode,
      tableArns: previous?.mode === 'tables' ? previous.tableArns : [],
    };
  }
  if (mode === 'prefix') {
    return {
      mode,
      prefixes: previous?.mode === 'prefix' ? previous.prefixes : [],
    };
  }
  return { mode: 'all' };
}

/**
 * Which tables the trail records: all, a list, or name prefixes. The list
 * offers the tables AWS reports for the chosen account and region; when AWS
 * cannot be asked, ARNs are typed instead.
 */
export function DynamoDbTableScopePicker(
  props: FieldExtensionComponentProps<
    TableScope,
    DynamoDbTableScopePickerUiOptions
  >,
) {
  const {
    formData,
    onChange,
    rawErrors,
    schema,
    uiSchema,
    formContext,
    idSchema,
    disabled,
  } = props;
  const scope: TableScope = formData?.mode ? formData : { mode: 'all' };
  const { accountId, region } = siblingValues(
    formContext,
    uiSchema['ui:options'],
  );
  const api = useApi(dynamoDbLineageApiRef);
  const wantsList = scope.mode === 'tables' && !!accountId && !!region;
  const tables = useAsync(
    async () =>
      wantsList && accountId && region
        ? api.getTables({ accountId, region })
        : undefined,
    [api, wantsList, accountId, region],
  );
  const baseId = idSchema?.$id ?? 'scope';
  // Also busy in the render between choosing "tables" and the request.
  const listing =
    tables.loading || (wantsList && !tables.value && !tables.error);

  return (
    <FormControl
      component="fieldset"
      margin="normal"
      error={rawErrors?.length > 0}
      fullWidth
      aria-busy={listing}
    >
      <FormLabel component="legend">
        {schema.title ?? 'DynamoDB tables to record'}
      </FormLabel>
      <RadioGroup
        aria-label="Table scope"
        name={`${baseId}-mode`}
        value={scope.mode}
        onChange={event =>
          onChange(
            scopeForMode(event.target.value as TableScope['mode'], scope),
          )
        }
      >
        {MODES.map(m => (
          <FormControlLabel
            key={m.mode}
            value={m.mode}
            control={<Radio disabled={disabled} />}
            label={m.label}
          />
        ))}
      </RadioGroup>

      {scope.mode === 'tables' && (
        <Box mt={1}>
          {tables.value && !tables.error ? (
            <Autocomplete<string, true, false, true>
              id={`${baseId}-tables`}
              multiple
              freeSolo
              disabled={disabled}
              options={tables.value}
              getOptionLabel={tableName}
              value={scope.tableArns}
              onChange={(_event, value) =>
                onChange({
                  mode: 'tables',
                  tableArns: value.map(v => v.trim()).filter(Boolean),
                })
              }
              renderInput={params => (
                <TextField
                  {...params}
                  label="Tables"
                  variant="outlined"
                  helperText={`${
                    tables.value?.length ?? 0
                  } tables in ${accountId} ${region}`}
                />
              )}
            />
          ) : (
            <ListTextField
              id={`${baseId}-table-arns`}
              label="Table ARNs, one per line"
              disabled={disabled || tables.loading}
              items={scope.tableArns}
              onItemsChange={tableArns =>
                onChange({ mode: 'tables', tableArns })
              }
              helperText={
                tables.error
                  ? `Could not list the tables of ${accountId} ${region} (${tables.error.message}). Type their ARNs, e.g. arn:aws:dynamodb:${region}:${accountId}:table/orders.`
                  : 'e.g. arn:aws:dynamodb:us-east-1:111111111111:table/orders'
              }
            />
          )}
        </Box>
      )}

      {scope.mode === 'prefix' && (
        <Box mt={1}>
          <ListTextField
            id={`${baseId}-prefixes`}
            label="Name prefixes, one per line"
            disabled={disabled}
            items={scope.prefixes}
            onItemsChange={prefixes => onChange({ mode: 'prefix', prefixes })}
            helperText="Table-name prefixes such as orders- (or table ARN prefixes)"
          />
        </Box>
      )}
      {schema.description && (
        <FormHelperText>{schema.description}</FormHelperText>
      )}
    </FormControl>
  );
}

export const validateTableScope: CustomFieldValidator<
  TableScope,
  DynamoDbTableScopePickerUiOptions
> = (scope, validation, context) => {
  if (!scope || !scope.mode) return;
  if (scope.mode === 'tables') {
    if (scope.tableArns.length === 0) {
      validation.addError('Table scope "tables" needs at least one table ARN.');
      return;
    }
    const { accountId, region } = siblingValues(
      { formData: context.formData },
      context.uiSchema?.['ui:options'],
    );
    for (const arn of scope.tableArns) {
      const problem = validateTableArn(arn);
      const parts = problem ? undefined : tryParseTableArn(arn);
      if (!parts) {
        validation.addError(`${problem}.`);
      } else if (accountId && parts.accountId !== accountId) {
        validation.addError(
          `Table ${parts.tableName} is in account ${parts.accountId}, not in the chosen account ${accountId}.`,
        );
      } else if (region && parts.region !== region) {
        validation.addError(
          `Table ${parts.tableName} is in ${parts.region}, not in the chosen region ${region}.`,
        );
      }
    }
  }
  if (scope.mode === 'prefix') {
    if (scope.prefixes.length === 0) {
      validation.addError('Table scope "prefix" needs at least one prefix.');
      return;
    }
    for (const prefix of scope.prefixes) {
      if (tablePrefixProblem(prefix)) {
        validation.addError(
          `"${prefix}" is not a table-name prefix (letters, digits, _ . -) nor a table ARN prefix.`,
        );
      }
    }
  }
};
