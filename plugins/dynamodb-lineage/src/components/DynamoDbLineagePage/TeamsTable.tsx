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
import { ClampedText } from '../shared/ClampedText';
import { useCompactTableStyles } from '../shared/compactTable';
import { NO_WRAP } from '../shared/textStyles';
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

/**
 * Widths add up to 100%: material-table splits whatever is left unassigned
 * evenly, which squeezed the reason. The reason gets the most room and is
 * clamped; short values never wrap.
 */
const columns: TableColumn<Row>[] = [
  {
    title: 'Team',
    field: 'title',
    highlight: true,
    width: '15%',
    // The theme breaks table text anywhere; an entity ref reads better whole.
    cellStyle: { wordBreak: 'normal' },
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
    width: '9%',
    cellStyle: NO_WRAP,
    customSort: (a, b) =>
      STATUS_RANK.indexOf(a.status) - STATUS_RANK.indexOf(b.status),
    render: row => <OverallStatusLabel status={row.status} />,
  },
  {
    title: 'Coverage',
    field: 'coveragePercent',
    type: 'numeric',
    width: '11%',
    render: row =>
      `${row.coveredAccountRegions} / ${row.accountRegions} account-regions`,
  },
  {
    title: 'Account',
    field: 'accounts',
    width: '10%',
    customSort: (a, b) =>
      (a.accounts[0] ?? '').localeCompare(b.accounts[0] ?? ''),
    render: row => row.accounts.join(', ') || '—',
  },
  {
    title: 'Region',
    field: 'regions',
    width: '10%',
    customSort: (a, b) =>
      (a.regions[0] ?? '').localeCompare(b.regions[0] ?? ''),
    render: row => row.regions.join(', ') || '—',
  },
  {
    title: 'Freshness',
    field: 'latestDeliveryTime',
    width: '11%',
    render: row =>
      row.status === 'not-enabled' ? '—' : lastLogText(row.latestDeliveryTime),
  },
  {
    title: 'Reason',
    field: 'reason',
    sorting: false,
    width: '28%',
    // Percentages yield to the other cells' content: hold the reason's room.
    cellStyle: { minWidth: 220 },
    render: row => <ClampedText text={row.reason} lines={2} />,
  },
  {
    title: 'Template',
    sorting: false,
    searchable: false,
    width: '6%',
    cellStyle: NO_WRAP,
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
  const classes = useCompactTableStyles();
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
    <div className={classes.compactCells}>
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
    </div>
  );
}
