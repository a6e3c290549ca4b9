import { useMemo } from 'react';
import {
  Link,
  LinkButton,
  Table,
  type TableColumn,
  type TableFilter,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { TeamSummary } from '@lineage/plugin-dynamodb-lineage-common';
import { entityPagePath, templateUrl } from '../shared/links';
import { OverallStatusLabel, overallStatusLabel } from '../shared/StatusLabel';
import { lastLogText } from '../shared/time';
import { TeamDetailPanel } from './TeamDetailPanel';

type Row = TeamSummary & {
  id: string;
  statusLabel: string;
  coveragePercent: number;
};

const STATUS_RANK = [
  'failing',
  'unknown',
  'degraded',
  'not-enabled',
  'healthy',
];

const columns: TableColumn<Row>[] = [
  {
    title: 'Team',
    field: 'title',
    highlight: true,
    render: row => (
      <>
        <Link to={entityPagePath(row.entityRef)}>{row.title}</Link>
        <Typography variant="body2" color="textSecondary">
          {row.entityRef}
        </Typography>
      </>
    ),
  },
  {
    title: 'Status',
    field: 'statusLabel',
    customSort: (a, b) =>
      STATUS_RANK.indexOf(a.status) - STATUS_RANK.indexOf(b.status),
    render: row => <OverallStatusLabel status={row.status} />,
  },
  {
    title: 'Coverage',
    field: 'coveragePercent',
    type: 'numeric',
    render: row =>
      `${row.coveredAccountRegions} / ${row.accountRegions} account-regions`,
  },
  {
    title: 'Account',
    field: 'accounts',
    customSort: (a, b) =>
      (a.accounts[0] ?? '').localeCompare(b.accounts[0] ?? ''),
    render: row => row.accounts.join(', ') || '—',
  },
  {
    title: 'Region',
    field: 'regions',
    customSort: (a, b) =>
      (a.regions[0] ?? '').localeCompare(b.regions[0] ?? ''),
    render: row => row.regions.join(', ') || '—',
  },
  {
    title: 'Freshness',
    field: 'latestDeliveryTime',
    render: row =>
      row.status === 'not-enabled' ? '—' : lastLogText(row.latestDeliveryTime),
  },
  { title: 'Reason', field: 'reason', sorting: false },
  {
    title: 'Template',
    sorting: false,
    searchable: false,
    render: row =>
      row.status === 'healthy' ? null : (
        <LinkButton
          to={templateUrl({ owner: row.entityRef })}
          size="small"
          variant="outlined"
          color="primary"
        >
          {row.status === 'not-enabled' ? 'Enable' : 'Fix'}
        </LinkButton>
      ),
  },
];

const filters: TableFilter[] = [
  { column: 'Status', type: 'multiple-select' },
  { column: 'Team', type: 'select' },
  { column: 'Account', type: 'multiple-select' },
  { column: 'Region', type: 'multiple-select' },
];

const detailPanel = [
  {
    tooltip: 'Show account-regions',
    render: ({ rowData }: { rowData: Row }) => (
      <TeamDetailPanel entityRef={rowData.entityRef} />
    ),
  },
];

/**
 * Every team in one table. Paging, sorting, search and filters all happen in
 * the browser over rows built once per answer, which keeps a thousand teams
 * responsive: only one page of rows is ever in the DOM.
 */
export function TeamsTable(props: { teams: TeamSummary[] }) {
  const { teams } = props;
  const rows = useMemo<Row[]>(
    () =>
      teams.map(team => ({
        ...team,
        id: team.entityRef,
        statusLabel: overallStatusLabel(team.status),
        coveragePercent:
          team.accountRegions === 0
            ? 0
            : team.coveredAccountRegions / team.accountRegions,
      })),
    [teams],
  );
  return (
    <Table<Row>
      title="Teams"
      columns={columns}
      data={rows}
      filters={filters}
      detailPanel={detailPanel}
      options={{
        paging: true,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        emptyRowsWhenPaging: false,
        search: true,
        padding: 'dense',
        detailPanelType: 'single',
      }}
    />
  );
}
