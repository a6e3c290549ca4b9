import { useMemo } from 'react';
import {
  LinkButton,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { EntityLink } from './EntityLink';
import Typography from '@material-ui/core/Typography';
import type { AccountRegionStatus } from '@lineage/plugin-dynamodb-lineage-common';
import { AccountRegionFindings } from './AccountRegionFindings';
import { findingCounts } from './checkOrder';
import { useCompactTableStyles } from './compactTable';
import { Identifier } from './Identifier';
import { fixPrefill, templateUrl } from './links';
import { OverallStatusLabel } from './StatusLabel';
import { useTextStyles } from './textStyles';
import { useTrailEntityRefs } from './useTrailEntityRefs';
import { When } from './When';

type Row = AccountRegionStatus & { id: string };

/**
 * One compact row per account-region: status, covering trail, freshness and a
 * pre-filled way to fix it; what needs attention follows below the table, full
 * width. Shared by the team card, the account card and the overview page's
 * drill-down.
 */
export function AccountRegionTable(props: {
  accountRegions: AccountRegionStatus[];
  /** Entity ref of the team the template should be filled in for. */
  owner?: string;
  title?: string;
  /** Findings start closed, and each fix opens on demand: a team's card. */
  compact?: boolean;
}) {
  const { accountRegions, owner, title, compact } = props;
  const text = useTextStyles();
  const classes = useCompactTableStyles();
  // material-table writes bookkeeping onto row objects: hand it copies.
  const rows = useMemo<Row[]>(
    () => accountRegions.map(r => ({ ...r, id: `${r.accountId}/${r.region}` })),
    [accountRegions],
  );
  const trailRefs = useTrailEntityRefs(
    accountRegions.flatMap(r => (r.coveringTrail ? [r.coveringTrail.arn] : [])),
  );
  const columns = useMemo<TableColumn<Row>[]>(
    () =>
      (
        [
          {
            title: 'Status',
            field: 'status',
            render: row => (
              <>
                <span className={text.noWrap}>
                  <OverallStatusLabel status={row.status} />
                </span>
                <Typography variant="caption" component="div">
                  {findingCounts(row.checks)}
                </Typography>
              </>
            ),
          },
          {
            title: 'Account / region',
            field: 'accountId',
            render: row => (
              <>
                {row.accountEntityRef ? (
                  <EntityLink entityRef={row.accountEntityRef} />
                ) : (
                  <Identifier value={row.accountId} />
                )}
                <Typography variant="body2">{row.region}</Typography>
              </>
            ),
          },
          {
            title: 'Covering trail',
            field: 'coveringTrail.name',
            render: row => {
              const trail = row.coveringTrail;
              if (!trail) return 'none';
              const ref = trailRefs.get(trail.arn);
              return (
                <>
                  {ref ? (
                    <EntityLink entityRef={ref} title={trail.name} />
                  ) : (
                    <Identifier value={trail.name} />
                  )}
                  <Typography variant="body2">
                    home {trail.homeRegion}
                  </Typography>
                </>
              );
            },
          },
          {
            title: 'Freshness',
            field: 'latestDeliveryTime',
            render: row => {
              if (row.status === 'not-enabled') return '—';
              if (!row.latestDeliveryTime) return 'No log delivered yet';
              return (
                <When iso={row.latestDeliveryTime} prefix="Last delivery " />
              );
            },
          },
          {
            title: 'Action',
            render: row =>
              row.status === 'healthy' || row.status === 'unknown' ? null : (
                <LinkButton
                  to={templateUrl(fixPrefill(owner, row))}
                  variant="outlined"
                  color="primary"
                  size="small"
                  className={text.noWrap}
                >
                  {row.status === 'not-enabled'
                    ? 'Enable with the template'
                    : 'Fix with the template'}
                </LinkButton>
              ),
          },
        ] as TableColumn<Row>[]
      ).map(column => ({
        ...column,
        // The theme breaks cell text anywhere: wrap at spaces only, so an
        // account title wraps before its id and never inside it.
        cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
      })),
    [owner, text, trailRefs],
  );
  return (
    <>
      <div className={classes.compactCells}>
        <Table<Row>
          title={title}
          columns={columns}
          data={rows}
          options={{
            paging: false,
            search: false,
            // A team has a handful of account-regions: sort arrows would only
            // widen the headers of a table that must fit in a card.
            sorting: false,
            toolbar: Boolean(title),
            padding: 'dense',
            draggable: false,
          }}
        />
      </div>
      <AccountRegionFindings
        accountRegions={accountRegions}
        compact={compact}
      />
    </>
  );
}
