import { useMemo } from 'react';
import {
  Link,
  LinkButton,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { AccountRegionStatus } from '@lineage/plugin-dynamodb-lineage-common';
import { FailingChecks } from './ChecksList';
import { entityPagePath, templateUrl } from './links';
import { OverallStatusLabel } from './StatusLabel';
import { lastLogText } from './time';

type Row = AccountRegionStatus & { id: string };

/**
 * One row per account-region: status, covering trail, freshness, what needs
 * attention, and a pre-filled way to fix it. Shared by the team card, the
 * account card and the overview page's drill-down.
 */
export function AccountRegionTable(props: {
  accountRegions: AccountRegionStatus[];
  /** Entity ref of the team the template should be filled in for. */
  owner?: string;
  title?: string;
}) {
  const { accountRegions, owner, title } = props;
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
        render: row => <OverallStatusLabel status={row.status} />,
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
            <>
              {row.coveringTrail.name}
              <Typography variant="body2" color="textSecondary">
                home {row.coveringTrail.homeRegion}
              </Typography>
            </>
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
        title: 'Needs attention',
        field: 'reason',
        sorting: false,
        render: row => (
          <>
            {row.reason && (
              <Typography variant="body2" data-testid="row-reason">
                {row.reason}
              </Typography>
            )}
            {row.checks.length > 0 && <FailingChecks checks={row.checks} />}
          </>
        ),
      },
      {
        title: 'Action',
        sorting: false,
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
            >
              {row.status === 'not-enabled'
                ? 'Enable with the template'
                : 'Fix with the template'}
            </LinkButton>
          ),
      },
    ],
    [owner],
  );
  return (
    <Table<Row>
      title={title}
      columns={columns}
      data={rows}
      options={{
        paging: false,
        search: false,
        toolbar: Boolean(title),
        padding: 'dense',
      }}
    />
  );
}
