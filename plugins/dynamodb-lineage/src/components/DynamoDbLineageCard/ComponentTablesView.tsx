import { useMemo } from 'react';
import {
  LinkButton,
  StatusAborted,
  StatusOK,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  tryParseTableArn,
  type OverallStatus,
  type TableStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { EntityLink } from '../parts/EntityLink';
import { Identifier } from '../parts/Identifier';
import { templateUrl } from '../parts/links';
import { OverallStatusLabel } from '../parts/StatusLabel';
import { StatusSummary } from '../parts/StatusSummary';
import { NO_WRAP } from '../parts/textStyles';
import { useTrailEntityRefs } from '../parts/useTrailEntityRefs';
import { When } from '../parts/When';

type Row = TableStatus & { id: string; tableName: string };

export function ComponentTablesView(props: {
  status: OverallStatus;
  tables: TableStatus[];
  owner?: string;
}) {
  const { status, tables, owner } = props;
  const rows = useMemo<Row[]>(
    () =>
      tables.map(t => ({
        ...t,
        id: t.tableArn,
        tableName: tryParseTableArn(t.tableArn)?.tableName ?? t.tableArn,
      })),
    [tables],
  );
  const trailRefs = useTrailEntityRefs(
    tables.flatMap(t => (t.coveringTrail ? [t.coveringTrail.arn] : [])),
  );
  const columns = useMemo<TableColumn<Row>[]>(
    () => [
      {
        title: 'Table',
        field: 'tableName',
        render: row => (
          <>
            <Typography variant="body2" component="div">
              <strong>{row.tableName}</strong>
            </Typography>
            <Identifier
              value={row.tableArn}
              label={`ARN of ${row.tableName}`}
              max={36}
              copy
            />
          </>
        ),
      },
      {
        title: 'Coverage',
        field: 'covered',
        render: row =>
          row.covered ? (
            <StatusOK>Covered</StatusOK>
          ) : (
            <StatusAborted>Not covered</StatusAborted>
          ),
      },
      {
        title: 'Status',
        field: 'status',
        render: row => <OverallStatusLabel status={row.status} />,
      },
      {
        title: 'Trail',
        field: 'coveringTrail.name',
        render: row => {
          const trail = row.coveringTrail;
          if (!trail) return 'none';
          const ref = trailRefs.get(trail.arn);
          return ref ? (
            <EntityLink entityRef={ref} title={trail.name} />
          ) : (
            <Identifier value={trail.name} />
          );
        },
      },
      {
        title: 'Freshness',
        field: 'latestDeliveryTime',
        render: row => {
          if (!row.covered) return '—';
          if (!row.latestDeliveryTime) return 'No log delivered yet';
          return <When iso={row.latestDeliveryTime} prefix="Last delivery " />;
        },
      },
      {
        title: 'Action',
        sorting: false,
        cellStyle: NO_WRAP,
        render: row => {
          if (row.covered) return null;
          const parts = tryParseTableArn(row.tableArn);
          return (
            <LinkButton
              to={templateUrl({
                owner,
                accountId: parts?.accountId,
                region: parts?.region,
              })}
              variant="outlined"
              color="primary"
              size="small"
            >
              Enable with the template
            </LinkButton>
          );
        },
      },
    ],
    [owner, trailRefs],
  );
  const covered = rows.filter(r => r.covered);
  return (
    <>
      <StatusSummary
        status={status}
        detail={`${covered.length} of ${rows.length} tables covered by a trail`}
        prefill={{ owner }}
      />
      <Table<Row>
        columns={columns}
        data={rows}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
          draggable: false,
        }}
      />
    </>
  );
}
