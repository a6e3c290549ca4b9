import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Progress, Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { PrincipalLineage } from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { formatCount } from '../parts/cost';
import { LoadError } from '../parts/LoadError';
import { Identifier } from '../parts/Identifier';
import { When } from '../parts/When';

type Row = PrincipalLineage & { id: string };

const columns: TableColumn<Row>[] = [
  {
    title: 'Principal',
    field: 'principal',
    render: row => (
      <>
        <Identifier value={row.principal} label="principal" max={44} copy />
        <Typography variant="body2">{row.principalType}</Typography>
      </>
    ),
  },
  { title: 'Reads', field: 'reads', type: 'numeric' },
  { title: 'Writes', field: 'writes', type: 'numeric' },
  { title: 'Errors', field: 'errors', type: 'numeric' },
  {
    title: 'Operations',
    sorting: false,
    render: row =>
      row.operations
        .map(op => `${op.operation} ×${formatCount(op.count)}`)
        .join(', '),
  },
  {
    title: 'Last seen',
    field: 'lastSeen',
    defaultSort: 'desc',
    render: row => <When iso={row.lastSeen} />,
  },
];

/** Who read and wrote one table in the window, from the delivered logs. */
export function TableLineageView(props: { tableArn: string; hours: number }) {
  const { tableArn, hours } = props;
  const api = useApi(dynamoDbLineageApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getTableLineage({ tableArn, hours }),
    [api, tableArn, hours],
  );
  const rows = useMemo<Row[]>(
    () => (value?.principals ?? []).map(p => ({ ...p, id: p.principal })),
    [value],
  );
  if (loading) return <Progress />;
  if (error) {
    return (
      <LoadError what="this table's lineage" error={error} onRetry={retry} />
    );
  }
  if (!value) return null;
  return (
    <>
      {value.truncated && (
        <Typography variant="body2" color="textSecondary">
          Only part of the window was read (byte budget reached): counts are a
          lower bound.
        </Typography>
      )}
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
        emptyContent={
          <Typography variant="body2">
            Nobody read or wrote this table in the last {hours} h.
          </Typography>
        }
      />
    </>
  );
}
