import { useMemo } from 'react';
import {
  Link,
  LinkButton,
  Table,
  type TableColumn,
  type TableFilter,
} from '@backstage/core-components';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import ChevronRight from '@material-ui/icons/ChevronRight';
import {
  reasonWithoutRegion,
  type TeamSummary,
} from '@lineage/plugin-dynamodb-lineage-common';
import { coverageText, findingCounts } from '../parts/checkOrder';
import { ClampedText } from '../parts/ClampedText';
import { useCompactTableStyles } from '../parts/compactTable';
import { Identifier } from '../parts/Identifier';
import { NO_WRAP } from '../parts/textStyles';
import { entityPagePath, fixPrefill, templateUrl } from '../parts/links';
import { OverallStatusLabel, overallStatusLabel } from '../parts/StatusLabel';
import { When } from '../parts/When';
import { TeamDetailPanel } from './TeamDetailPanel';

export type Row = TeamSummary & {
  id: string;
  statusLabel: string;
  coveragePercent: number;
  /** What the Reason column shows, also what the search looks in. */
  reasonText: string;
  /** material-table's bookkeeping on each row. */
  tableData?: { showDetailPanel?: unknown };
};

const STATUS_RANK = [
  'failing',
  'unknown',
  'degraded',
  'not-enabled',
  'healthy',
];

/**
 * The reason without what the row's other cells already say: the account
 * when the team has one, the region when it has one.
 */
function reasonOf(team: TeamSummary): string {
  const worst = team.worstAccountRegion;
  if (!worst?.reason) return team.reason ?? '';
  const where = [
    team.accounts.length > 1 ? worst.accountId : undefined,
    team.regions.length > 1 ? worst.region : undefined,
  ].filter(Boolean);
  const what =
    team.regions.length > 1
      ? worst.reason
      : reasonWithoutRegion(worst.reason, worst.region);
  return [...where.filter(w => !what.startsWith(`${w}`)), what].join(' · ');
}

/** The table's rows, also the stacked list's items. */
export function teamRows(teams: TeamSummary[]): Row[] {
  return teams.map(team => ({
    ...team,
    id: team.entityRef,
    statusLabel: overallStatusLabel(team.status),
    coveragePercent:
      team.accountRegions === 0
        ? 0
        : team.coveredAccountRegions / team.accountRegions,
    reasonText: reasonOf(team),
  }));
}

/** "Fix" or "Enable": the template pre-filled for the team's worst account-region. */
export function TeamFixButton(props: { row: Row }) {
  const { row } = props;
  if (row.status === 'healthy') return null;
  const verb = row.status === 'not-enabled' ? 'Enable' : 'Fix';
  return (
    <LinkButton
      to={templateUrl(
        row.worstAccountRegion
          ? fixPrefill(row.entityRef, row.worstAccountRegion)
          : { owner: row.entityRef },
      )}
      size="small"
      variant="outlined"
      color="primary"
      aria-label={`${verb} lineage tracking for ${row.title}`}
    >
      {verb}
    </LinkButton>
  );
}

function renderPanel({ rowData }: { rowData: Row }) {
  return <TeamDetailPanel entityRef={rowData.entityRef} />;
}

const filters: TableFilter[] = [
  { column: 'Status', type: 'multiple-select' },
  { column: 'Team', type: 'select' },
  { column: 'Account', type: 'multiple-select' },
  { column: 'Region', type: 'multiple-select' },
];

/**
 * Every team in one table. Paging, sorting, search and filters all happen in
 * the browser over rows built once per answer, which keeps a thousand teams
 * responsive: only one page of rows is ever in the DOM.
 */
export function TeamsTable(props: { teams: TeamSummary[] }) {
  const { teams } = props;
  const classes = useCompactTableStyles();
  const rows = useMemo(() => teamRows(teams), [teams]);
  /**
   * Widths add up to 100%: material-table splits whatever is left unassigned
   * evenly, which squeezed the reason. The reason gets the most room and is
   * clamped; short values never wrap.
   */
  const columns = useMemo<TableColumn<Row>[]>(
    () => [
      {
        title: 'Team',
        field: 'title',
        highlight: true,
        width: '16%',
        cellStyle: { wordBreak: 'normal' },
        render: row => {
          const open = Boolean(row.tableData?.showDetailPanel);
          return (
            <span style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
              <IconButton
                size="small"
                aria-expanded={open}
                aria-label={`Account-regions of ${row.title}`}
                // The click reaches the row, which opens the panel.
                data-row-toggle
                style={{
                  transform: open ? 'rotate(90deg)' : undefined,
                  transition: 'transform 200ms',
                }}
              >
                <ChevronRight />
              </IconButton>
              <Link to={entityPagePath(row.entityRef)}>{row.title}</Link>
            </span>
          );
        },
      },
      {
        title: 'Status',
        field: 'statusLabel',
        width: '10%',
        cellStyle: NO_WRAP,
        customSort: (a, b) =>
          STATUS_RANK.indexOf(a.status) - STATUS_RANK.indexOf(b.status),
        render: row => (
          <>
            <OverallStatusLabel status={row.status} />
            {row.worstAccountRegion && (
              <Typography variant="caption" component="div">
                {findingCounts(row.worstAccountRegion.checkCounts)}
              </Typography>
            )}
          </>
        ),
      },
      {
        title: 'Coverage',
        field: 'coveragePercent',
        type: 'numeric',
        width: '10%',
        render: row =>
          coverageText(row.coveredAccountRegions, row.accountRegions),
      },
      {
        title: 'Account',
        field: 'accounts',
        width: '12%',
        customSort: (a, b) =>
          (a.accounts[0] ?? '').localeCompare(b.accounts[0] ?? ''),
        render: row =>
          row.accounts.length
            ? row.accounts.map(account => (
                <div key={account}>
                  <Identifier value={account} />
                </div>
              ))
            : '—',
      },
      {
        title: 'Region',
        field: 'regions',
        width: '9%',
        cellStyle: NO_WRAP,
        customSort: (a, b) =>
          (a.regions[0] ?? '').localeCompare(b.regions[0] ?? ''),
        render: row =>
          row.regions.length
            ? row.regions.map(region => <div key={region}>{region}</div>)
            : '—',
      },
      {
        title: 'Last delivery',
        field: 'latestDeliveryTime',
        width: '11%',
        render: row => {
          if (row.status === 'not-enabled') return '—';
          if (!row.latestDeliveryTime) return 'none yet';
          return <When iso={row.latestDeliveryTime} />;
        },
      },
      {
        title: 'Reason',
        field: 'reasonText',
        sorting: false,
        width: '26%',
        // Percentages yield to the other cells' content: hold the reason's room.
        cellStyle: { minWidth: 220 },
        render: row => <ClampedText text={row.reasonText} lines={2} />,
      },
      {
        title: 'Template',
        sorting: false,
        searchable: false,
        width: '6%',
        cellStyle: NO_WRAP,
        render: row => <TeamFixButton row={row} />,
      },
    ],
    [],
  );
  return (
    <div className={classes.compactCells}>
      <Table<Row>
        onRowClick={(event, _row, togglePanel) => {
          // Only the named toggle button opens a row: its links stay links.
          const target = event?.target as Element | undefined;
          if (target?.closest('[data-row-toggle]')) togglePanel?.();
        }}
        title="Teams"
        columns={columns}
        data={rows}
        filters={filters}
        detailPanel={renderPanel}
        options={{
          paging: true,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          emptyRowsWhenPaging: false,
          search: true,
          padding: 'dense',
          detailPanelType: 'single',
          // The toggle is a named button in the Team cell instead.
          showDetailPanelIcon: false,
          // Column dragging nests a focusable handle in every header.
          draggable: false,
        }}
      />
    </div>
  );
}
