import { useMemo } from 'react';
import {
  Link,
  LinkButton,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { AccountRegionStatus } from '@lineage/plugin-dynamodb-lineage-common';
import { AccountRegionFindings } from './AccountRegionFindings';
import { findingCounts } from './checkOrder';
import { useCompactTableStyles } from './compactTable';
import { entityPagePath, templateUrl } from './links';
import { OverallStatusLabel } from './StatusLabel';
import { useTextStyles } from './textStyles';
import { lastLogText } from './time';

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
}) {
  const { accountRegions, owner, title } = props;
  const text = useTextStyles();
  const classes = useCompactTableStyles();
  // material-table writes bookkeeping onto row objects: hand it copies.
  const rows = useMemo<Row[]>(
    () => accountRegions.map(r => ({ ...r, id: `${r.accountId}/${r.region}` })),
    [accountRegions],
  );
  const columns = useMemo<TableColumn<Row>[]>(
    () => [
      {
        title: 'Status',
        field: 'status',
        render: row => (
          <>
            <span className={text.noWrap}>
              <OverallStatusLabel status={row.status} />
            </span>
            <Typography variant="caption" component="div" color="textSecondary">
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
              <Link to={entityPagePath(row.accountEntityRef)}>
                {row.accountId}
              </Link>
            ) : (
              row.accountId
            )}
            <Typography variant="body2" color="textSecondary">
              {row.region}
            </Typography>
          </>
        ),
      },
      {
        title: 'Covering trail',
        field: 'coveringTrail.name',
        render: row =>
          row.coveringTrail ? (
            <div className={text.breakWord}>
              {row.coveringTrail.name}
              <Typography variant="body2" color="textSecondary">
                home {row.coveringTrail.homeRegion}
              </Typography>
            </div>
          ) : (
            'none'
          ),
      },
      {
        title: 'Freshness',
        field: 'latestDeliveryTime',
        render: row =>
          row.status === 'not-enabled'
            ? '—'
            : lastLogText(row.latestDeliveryTime),
      },
      {
        title: 'Action',
        render: row =>
          row.status === 'healthy' || row.status === 'unknown' ? null : (
            <LinkButton
              to={templateUrl({
                owner,
                accountId: row.accountId,
                region: row.region,
              })}
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
    ],
    [owner, text],
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
          }}
        />
      </div>
      <AccountRegionFindings accountRegions={accountRegions} />
    </>
  );
}
