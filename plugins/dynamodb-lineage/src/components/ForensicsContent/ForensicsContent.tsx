import { useState, type FormEvent } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  ANNOTATION_TABLE_ARNS,
  dynamodbLineageForensicsQueryPermission,
  parseListAnnotation,
} from '@lineage/plugin-dynamodb-lineage-common';
import { ForensicsResult } from './ForensicsResult';
import { RangeChoice, RangePicker, resolveRange } from './RangePicker';
import { POLL_INTERVAL_MS, useForensicsQuery } from './useForensicsQuery';

/** A list to choose from, or free text when the entity names none. */
function ChoiceOrText(props: {
  id: string;
  label: string;
  choices: string[];
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
}) {
  const { id, label, choices, value, onChange, placeholder } = props;
  return (
    <TextField
      id={id}
      label={label}
      select={choices.length > 1}
      value={value}
      onChange={e => onChange(e.target.value)}
      placeholder={placeholder}
      fullWidth
      margin="dense"
      InputLabelProps={{ shrink: true }}
    >
      {choices.length > 1 &&
        choices.map(choice => (
          <MenuItem key={choice} value={choice}>
            {choice}
          </MenuItem>
        ))}
    </TextField>
  );
}

function ItemHistory(props: { tables: string[]; pollIntervalMs: number }) {
  const { state, start, cancel, loadMore } = useForensicsQuery(
    props.pollIntervalMs,
  );
  const [tableArn, setTableArn] = useState(props.tables[0] ?? '');
  const [keyName, setKeyName] = useState('');
  const [keyValue, setKeyValue] = useState('');
  const [sortName, setSortName] = useState('');
  const [sortValue, setSortValue] = useState('');
  const [range, setRange] = useState<RangeChoice>({ preset: '24h' });

  const keyFields = [
    {
      id: 'item-history-key-name',
      label: 'Partition key name',
      value: keyName,
      onChange: setKeyName,
      placeholder: 'id',
    },
    {
      id: 'item-history-key-value',
      label: 'Partition key value',
      value: keyValue,
      onChange: setKeyValue,
      placeholder: 'order#123',
    },
    {
      id: 'item-history-sort-name',
      label: 'Sort key name (optional)',
      value: sortName,
      onChange: setSortName,
    },
    {
      id: 'item-history-sort-value',
      label: 'Sort key value',
      value: sortValue,
      onChange: setSortValue,
      disabled: !sortName.trim(),
    },
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const window = resolveRange(range, Date.now());
    if (!window) return;
    start({
      kind: 'item-history',
      tableArn: tableArn.trim(),
      key: {
        [keyName.trim()]: keyValue,
        ...(sortName.trim() ? { [sortName.trim()]: sortValue } : {}),
      },
      ...window,
    });
  };

  return (
    <InfoCard
      title="Item history"
      subheader="Who read and changed one item: every call naming its key, also inside batch and transaction calls."
    >
      <form onSubmit={submit} aria-label="Item history">
        <ChoiceOrText
          id="item-history-table"
          label="Table ARN"
          choices={props.tables}
          value={tableArn}
          onChange={setTableArn}
          placeholder="arn:aws:dynamodb:us-east-1:111111111111:table/payments"
        />
        <Grid container spacing={2}>
          {keyFields.map(field => (
            <Grid item xs={12} sm={3} key={field.id}>
              <TextField
                id={field.id}
                label={field.label}
                value={field.value}
                onChange={e => field.onChange(e.target.value)}
                placeholder={field.placeholder}
                disabled={field.disabled}
                fullWidth
                margin="dense"
                InputLabelProps={{ shrink: true }}
              />
            </Grid>
          ))}
        </Grid>
        <Box display="flex" alignItems="flex-end" mt={1}>
          <RangePicker id="item-history" value={range} onChange={setRange} />
          <Box ml={2}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={
                state.starting ||
                !tableArn.trim() ||
                !keyName.trim() ||
                !keyValue ||
                !resolveRange(range, Date.now())
              }
            >
              Find item history
            </Button>
          </Box>
        </Box>
      </form>
      <ForensicsResult state={state} onCancel={cancel} onLoadMore={loadMore} />
    </InfoCard>
  );
}

function PrincipalActivity(props: {
  principals: string[];
  pollIntervalMs: number;
}) {
  const { state, start, cancel, loadMore } = useForensicsQuery(
    props.pollIntervalMs,
  );
  const [principal, setPrincipal] = useState(props.principals[0] ?? '');
  const [range, setRange] = useState<RangeChoice>({ preset: '24h' });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const window = resolveRange(range, Date.now());
    if (!window) return;
    start({
      kind: 'principal-activity',
      principal: principal.trim(),
      ...window,
    });
  };

  return (
    <InfoCard
      title="Principal activity"
      subheader="Everything one IAM role or user did to DynamoDB in its account, per table and operation."
    >
      <form onSubmit={submit} aria-label="Principal activity">
        <ChoiceOrText
          id="principal-activity-principal"
          label="Principal (IAM role or user ARN)"
          choices={props.principals}
          value={principal}
          onChange={setPrincipal}
          placeholder="arn:aws:iam::111111111111:role/reporting-job"
        />
        <Box display="flex" alignItems="flex-end" mt={1}>
          <RangePicker
            id="principal-activity"
            value={range}
            onChange={setRange}
          />
          <Box ml={2}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={
                state.starting ||
                !principal.trim() ||
                !resolveRange(range, Date.now())
              }
            >
              Find activity
            </Button>
          </Box>
        </Box>
      </form>
      <ForensicsResult state={state} onCancel={cancel} onLoadMore={loadMore} />
    </InfoCard>
  );
}

/**
 * The "Investigate" tab: item history of the entity's tables and activity of
 * its IAM roles, from raw CloudTrail events. Needs the
 * `dynamodb-lineage.forensics.query` permission; without it the tab says so
 * and offers nothing to run.
 */
export function ForensicsContent(props: { pollIntervalMs?: number }) {
  const { entity } = useEntity();
  const { loading, allowed } = usePermission({
    permission: dynamodbLineageForensicsQueryPermission,
  });
  const pollIntervalMs = props.pollIntervalMs ?? POLL_INTERVAL_MS;
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <InfoCard title="Investigate">
        <Typography variant="body2" data-testid="forensics-not-allowed">
          Investigating raw events (item history, principal activity) needs the{' '}
          <code>{dynamodbLineageForensicsQueryPermission.name}</code>{' '}
          permission, which you do not have. Raw events name callers, source
          addresses and item keys, so this is granted apart from reading
          lineage: ask whoever runs Backstage.
        </Typography>
      </InfoCard>
    );
  }
  const annotations = entity.metadata.annotations ?? {};
  const tables = parseListAnnotation(annotations[ANNOTATION_TABLE_ARNS]);
  const principals = parseListAnnotation(annotations[ANNOTATION_IAM_ROLE_ARNS]);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ItemHistory tables={tables} pollIntervalMs={pollIntervalMs} />
      </Grid>
      <Grid item xs={12}>
        <PrincipalActivity
          principals={principals}
          pollIntervalMs={pollIntervalMs}
        />
      </Grid>
    </Grid>
  );
}
