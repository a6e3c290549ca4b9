import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  ForensicsEngineName,
  ForensicsQueryResponse,
  ItemHistoryRow,
  PrincipalActivityRow,
} from '@lineage/plugin-dynamodb-lineage-common';
import { formatCount } from '../parts/cost';
import { Identifier } from '../parts/Identifier';
import { errorReason } from '../parts/LoadError';
import { formatClock } from '../parts/time';
import type { ForensicsQueryState } from './useForensicsQuery';

const ENGINE_LABELS: Record<ForensicsEngineName, string> = {
  athena: 'Amazon Athena',
  logs: 'Delivered logs, read directly',
};

/** Bytes as people read them: "512 B", "3.4 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0
    ? `${value} B`
    : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Dollars with enough digits to show a cost of a fraction of a cent. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 0.01) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2)}`;
}

function Figures(props: { response: ForensicsQueryResponse }) {
  const { response } = props;
  return (
    <Box display="flex" flexWrap="wrap" my={1} data-testid="forensics-figures">
      <Typography variant="body2" style={{ marginRight: 24 }}>
        Status: <strong>{response.status}</strong>
      </Typography>
      <Typography variant="body2" style={{ marginRight: 24 }}>
        Engine: <strong>{ENGINE_LABELS[response.engine]}</strong>
      </Typography>
      <Typography variant="body2" style={{ marginRight: 24 }}>
        Bytes scanned: <strong>{formatBytes(response.bytesScanned)}</strong>
      </Typography>
      <Typography variant="body2">
        Cost: <strong>{formatCost(response.costUsd)}</strong>
      </Typography>
    </Box>
  );
}

function ItemHistoryTable(props: { rows: ItemHistoryRow[] }) {
  const lastChange = props.rows.find(r => r.kind === 'write');
  return (
    <>
      <Typography variant="body2" data-testid="last-change">
        {lastChange ? (
          <>
            Last change: <strong>{lastChange.eventName}</strong> by{' '}
            <Identifier value={lastChange.principal} max={60} copy /> at{' '}
            {formatClock(lastChange.eventTime)}
            {lastChange.errorCode ? ` (failed: ${lastChange.errorCode})` : ''}
          </>
        ) : (
          'No change of this item in the range searched.'
        )}
      </Typography>
      <Table size="small" aria-label="Item history">
        <TableHead>
          <TableRow>
            <TableCell>Time</TableCell>
            <TableCell>Operation</TableCell>
            <TableCell>Kind</TableCell>
            <TableCell>Principal</TableCell>
            <TableCell>Caller</TableCell>
            <TableCell>Source</TableCell>
            <TableCell>Error</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.rows.map(row => (
            <TableRow key={row.eventId}>
              <TableCell>{formatClock(row.eventTime)}</TableCell>
              <TableCell>{row.eventName}</TableCell>
              <TableCell>{row.kind}</TableCell>
              <TableCell>
                <Identifier value={row.principal} max={48} />
              </TableCell>
              <TableCell>
                {row.identityArn ? (
                  <Identifier value={row.identityArn} max={40} />
                ) : (
                  row.principalType
                )}
              </TableCell>
              <TableCell>{row.sourceIpAddress ?? ''}</TableCell>
              <TableCell>{row.errorCode ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

function PrincipalActivityTable(props: { rows: PrincipalActivityRow[] }) {
  return (
    <Table size="small" aria-label="Principal activity">
      <TableHead>
        <TableRow>
          <TableCell>Table</TableCell>
          <TableCell>Region</TableCell>
          <TableCell>Operation</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell align="right">Calls</TableCell>
          <TableCell align="right">Errors</TableCell>
          <TableCell>First seen</TableCell>
          <TableCell>Last seen</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={`${row.region} ${row.tableArn} ${row.operation}`}>
            <TableCell>
              <Identifier value={row.tableArn} max={48} />
            </TableCell>
            <TableCell>{row.region}</TableCell>
            <TableCell>{row.operation}</TableCell>
            <TableCell>{row.kind}</TableCell>
            <TableCell align="right">{formatCount(row.calls)}</TableCell>
            <TableCell align="right">{formatCount(row.errors)}</TableCell>
            <TableCell>{formatClock(row.firstSeen)}</TableCell>
            <TableCell>{formatClock(row.lastSeen)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A query's progress, its figures (engine, bytes scanned, cost), what it covered, and its rows. */
export function ForensicsResult(props: {
  state: ForensicsQueryState;
  onCancel: () => void;
  onLoadMore: () => void;
}) {
  const { state, onCancel, onLoadMore } = props;
  const { response, rows, error } = state;
  if (state.starting) {
    return <Typography variant="body2">Starting the query…</Typography>;
  }
  return (
    <Box mt={2}>
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {errorReason(error)}
        </Typography>
      )}
      {response && (
        <>
          <Figures response={response} />
          {response.note && (
            <Typography variant="body2" color="textSecondary">
              {response.note}
            </Typography>
          )}
          {response.truncated && (
            <Typography variant="body2" color="error">
              The result is incomplete: a bound stopped the search before the
              whole range was covered.
            </Typography>
          )}
          {response.error && (
            <Typography variant="body2" color="error" role="alert">
              {response.error}
            </Typography>
          )}
          {(response.status === 'queued' || response.status === 'running') && (
            <Button variant="outlined" size="small" onClick={onCancel}>
              Cancel
            </Button>
          )}
          {response.status === 'succeeded' &&
            (response.query.kind === 'item-history' ? (
              <ItemHistoryTable rows={rows as ItemHistoryRow[]} />
            ) : (
              <PrincipalActivityTable rows={rows as PrincipalActivityRow[]} />
            ))}
          {response.status === 'succeeded' && (
            <Box mt={1} display="flex" alignItems="center">
              <Typography variant="body2" style={{ marginRight: 16 }}>
                {formatCount(rows.length)} row{rows.length === 1 ? '' : 's'}
              </Typography>
              {response.nextToken && (
                <Button size="small" onClick={onLoadMore}>
                  Load more
                </Button>
              )}
            </Box>
          )}
        </>
      )}
    </Box>
  );
}
