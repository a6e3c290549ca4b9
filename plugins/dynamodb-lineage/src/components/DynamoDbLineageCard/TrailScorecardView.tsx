import { useMemo } from 'react';
import { Table, TrendLine, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  HealthCheckResult,
  TrailHealth,
  TrailHistoryPoint,
} from '@lineage/plugin-dynamodb-lineage-common';
import { DATA_EVENT_PRICE_USD_PER_100K } from '@lineage/plugin-dynamodb-lineage-common';
import {
  byUrgency,
  compareCheckStatus,
  compareSeverity,
} from '../shared/checkOrder';
import { formatCount, formatUsd } from '../shared/cost';
import { BREAK_WORD } from '../shared/textStyles';
import { CheckStatusLabel, OverallStatusLabel } from '../shared/StatusLabel';
import { StatusSummary } from '../shared/StatusSummary';
import { formatAge, lastLogText } from '../shared/time';

type CheckRow = HealthCheckResult & { key: string };

const checkColumns: TableColumn<CheckRow>[] = [
  {
    title: 'Check',
    field: 'title',
    render: row => (
      <>
        {row.title}
        <Typography variant="body2" color="textSecondary">
          {row.id}
        </Typography>
      </>
    ),
  },
  {
    title: 'Status',
    field: 'status',
    customSort: compareCheckStatus,
    render: row => <CheckStatusLabel status={row.status} />,
  },
  {
    title: 'Severity',
    field: 'severity',
    customSort: compareSeverity,
  },
  {
    title: 'Evidence',
    field: 'evidence',
    sorting: false,
    cellStyle: BREAK_WORD,
  },
  {
    title: 'Remediation',
    field: 'remediation',
    sorting: false,
    cellStyle: BREAK_WORD,
    render: row => row.remediation ?? '—',
  },
  {
    title: 'Controls',
    field: 'controls',
    sorting: false,
    render: row => (row.controls.length ? row.controls.join(', ') : '—'),
  },
];

function FreshnessTrend(props: { history: TrailHistoryPoint[] }) {
  const recent = props.history.slice(-12);
  const ages = recent
    .map(p => p.deliveryAgeMinutes)
    .filter((age): age is number => typeof age === 'number');
  if (recent.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No history yet: the trend appears after a few refreshes.
      </Typography>
    );
  }
  return (
    <>
      {ages.length > 1 && (
        <Box maxWidth={320}>
          <TrendLine
            data={ages}
            title="Minutes between each check and the latest delivery"
            color="#1f77b4"
          />
        </Box>
      )}
      <Box component="table" data-testid="freshness-history">
        <thead>
          <tr>
            <th align="left">Checked</th>
            <th align="left">Status</th>
            <th align="right">Delivery age</th>
          </tr>
        </thead>
        <tbody>
          {[...recent].reverse().map(point => (
            <tr key={point.checkedAt}>
              <td>{formatAge(point.checkedAt)}</td>
              <td>
                <OverallStatusLabel status={point.status} />
              </td>
              <td align="right">
                {point.deliveryAgeMinutes === undefined
                  ? 'unknown'
                  : `${point.deliveryAgeMinutes} min`}
              </td>
            </tr>
          ))}
        </tbody>
      </Box>
    </>
  );
}

function DataEventVolume(props: { volume: TrailHealth['volume'] }) {
  const { volume } = props;
  if (!volume) {
    return (
      <Typography variant="body2" color="textSecondary">
        No DynamoDB data events observed in the logs read so far, so no cost
        projection yet.
      </Typography>
    );
  }
  const days = Object.entries(volume.days).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return (
    <>
      <Typography variant="body2" data-testid="volume-summary">
        About {formatCount(volume.eventsPerDay)} DynamoDB data events a day:
        projected {formatUsd(volume.projectedMonthlyUsd)} a month at{' '}
        {formatUsd(DATA_EVENT_PRICE_USD_PER_100K)} per 100,000 events.
      </Typography>
      {days.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          Observed:{' '}
          {days.map(([day, n]) => `${day}: ${formatCount(n)}`).join(' · ')}
        </Typography>
      )}
    </>
  );
}

export function TrailScorecardView(props: {
  health: TrailHealth;
  history: TrailHistoryPoint[];
}) {
  const { health, history } = props;
  const rows = useMemo<CheckRow[]>(
    () => [...health.checks].sort(byUrgency).map(c => ({ ...c, key: c.id })),
    [health.checks],
  );
  const unknownReason = health.checks
    .filter(c => c.status === 'unknown')
    .map(c => `${c.title}: ${c.evidence}`)
    .join('; ');
  const { trail } = health;
  return (
    <>
      <StatusSummary
        status={health.status}
        detail={`Trail ${trail.name} in ${trail.accountId}, home ${
          trail.homeRegion
        }, delivering to s3://${trail.bucket} — ${lastLogText(
          health.latestDeliveryTime,
        )}, checked ${formatAge(health.checkedAt)}`}
        reason={unknownReason || undefined}
        prefill={{ accountId: trail.accountId, region: trail.homeRegion }}
      />
      <Table<CheckRow>
        title="Scorecard"
        columns={checkColumns}
        data={rows}
        options={{ paging: false, search: false, padding: 'dense' }}
      />
      <Box mt={3}>
        <Typography variant="subtitle1" component="h3">
          Freshness trend
        </Typography>
        <FreshnessTrend history={history} />
      </Box>
      <Box mt={3}>
        <Typography variant="subtitle1" component="h3">
          Data-event volume and cost
        </Typography>
        <DataEventVolume volume={health.volume} />
      </Box>
    </>
  );
}
