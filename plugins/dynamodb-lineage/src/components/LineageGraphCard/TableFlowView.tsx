import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { LineageAccountLabel } from '@lineage/plugin-dynamodb-lineage-common';
import { formatCount } from '../parts/cost';
import { EntityLink } from '../parts/EntityLink';
import { CopyButton } from '../parts/CopyButton';
import { Identifier, MONOSPACE } from '../parts/Identifier';
import { BREAK_WORD } from '../parts/textStyles';
import { When } from '../parts/When';
import { TableActivityChart } from './ActivityChart';
import type { FlowParty, TableFlow } from './dataFlow';

const useStyles = makeStyles(theme => ({
  flow: {
    display: 'grid',
    gridTemplateColumns:
      'minmax(0, 1fr) auto minmax(0, 1fr) auto minmax(0, 1fr)',
    alignItems: 'start',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5, 0),
    borderTop: `1px solid ${theme.palette.divider}`,
    [theme.breakpoints.down('sm')]: {
      gridTemplateColumns: 'minmax(0, 1fr)',
    },
  },
  arrow: {
    // Level with the first caller and the table's name.
    paddingTop: theme.spacing(3),
    color: theme.palette.text.secondary,
    fontSize: '1.25rem',
    [theme.breakpoints.down('sm')]: { display: 'none' },
  },
  table: {
    padding: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    ...BREAK_WORD,
  },
  parties: { margin: 0, padding: 0, listStyle: 'none' },
  party: { marginBottom: theme.spacing(1), ...BREAK_WORD },
  chip: { marginLeft: theme.spacing(0.5) },
  principal: { fontFamily: MONOSPACE, fontSize: '0.85em', ...BREAK_WORD },
}));

/** "Cross-account 222222222222", linked to the account's page when the catalog has it. */
function AccountLabel(props: { account?: LineageAccountLabel }) {
  const { account } = props;
  const classes = useStyles();
  if (!account?.foreign) return null;
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes.chip}
      label={
        <>
          Cross-account{' '}
          {account.entityRef ? (
            <EntityLink entityRef={account.entityRef} title={account.title} />
          ) : (
            account.title
          )}
        </>
      }
      title={`Calls from AWS account ${account.accountId}`}
    />
  );
}

function counts(party: FlowParty): string {
  const { edge } = party;
  const parts = [
    edge.kind === 'write'
      ? `${formatCount(edge.writes)} writes`
      : `${formatCount(edge.reads)} reads`,
  ];
  if (edge.errors > 0) parts.push(`${formatCount(edge.errors)} errors`);
  return parts.join(' · ');
}

function Party(props: { party: FlowParty; isRoot: boolean }) {
  const { party, isRoot } = props;
  const { node, edge } = party;
  const classes = useStyles();
  return (
    <li className={classes.party} data-testid="lineage-party">
      <Typography variant="body2" component="div">
        {node.kind === 'entity' ? (
          <EntityLink entityRef={node.entityRef} title={node.title} />
        ) : (
          // The short form ("role/reporting-job"), the whole ARN on hover and
          // to copy: a column is too narrow for a whole ARN.
          <>
            <span className={classes.principal} title={node.principal}>
              {node.title}
            </span>
            <CopyButton
              text={node.principal}
              label={`Copy ${node.principal}`}
            />
          </>
        )}
        {isRoot && (
          <Chip
            size="small"
            color="primary"
            className={classes.chip}
            label="this entity"
          />
        )}
        {node.kind === 'principal' && (
          <Chip
            size="small"
            className={classes.chip}
            label={node.mapping === 'unmapped' ? 'Unmapped' : 'Not visible'}
          />
        )}
        <AccountLabel account={node.account} />
      </Typography>
      <Typography variant="body2" color="textSecondary" component="div">
        {counts(party)} · last seen <When iso={edge.lastSeen} ageOnly />
      </Typography>
      {node.kind === 'principal' && node.hint && (
        <Typography variant="body2" color="textSecondary" component="div">
          {node.hint}
        </Typography>
      )}
    </li>
  );
}

function Parties(props: {
  heading: string;
  parties: FlowParty[];
  rootNodeId?: string;
  none: string;
}) {
  const { heading, parties, rootNodeId, none } = props;
  const classes = useStyles();
  return (
    <section aria-label={heading}>
      <Typography variant="overline" component="h4">
        {heading}
      </Typography>
      {parties.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {none}
        </Typography>
      ) : (
        <ul className={classes.parties}>
          {parties.map(p => (
            <Party
              key={p.edge.id}
              party={p}
              isRoot={p.node.id === rootNodeId}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One table: its writers on the left, the table, its readers on the right. */
export function TableFlowView(props: {
  flow: TableFlow;
  rootNodeId?: string;
  days: number;
  chartOpen?: boolean;
}) {
  const { flow, rootNodeId, days } = props;
  const { table } = flow;
  const classes = useStyles();
  const [chartOpen, setChartOpen] = useState(Boolean(props.chartOpen));
  const chartId = `lineage-activity-${table.id.replace(
    /[^A-Za-z0-9_-]/g,
    '-',
  )}`;
  return (
    <Box data-testid={`lineage-flow-${table.title}`}>
      <div className={classes.flow}>
        <Parties
          heading={`Writers of ${table.title}`}
          parties={flow.writers}
          rootNodeId={rootNodeId}
          none="No writes"
        />
        <span className={classes.arrow} aria-hidden>
          →
        </span>
        <div className={classes.table}>
          <Typography variant="overline" component="h4">
            Table
          </Typography>
          <Typography variant="body1" component="div">
            <strong>
              {table.entityRef ? (
                <EntityLink entityRef={table.entityRef} title={table.title} />
              ) : (
                table.title
              )}
            </strong>
            {table.id === rootNodeId && (
              <Chip
                size="small"
                color="primary"
                className={classes.chip}
                label="this table"
              />
            )}
          </Typography>
          <Typography variant="body2" color="textSecondary" component="div">
            {table.region}
            {table.account ? ` · ${table.account.title}` : ''}
          </Typography>
          <Identifier value={table.tableArn} label="table ARN" max={30} copy />
          <Box mt={0.5}>
            <Button
              size="small"
              color="primary"
              aria-expanded={chartOpen}
              aria-controls={chartOpen ? chartId : undefined}
              onClick={() => setChartOpen(open => !open)}
            >
              {chartOpen ? 'Hide daily activity' : 'Daily activity'}
            </Button>
          </Box>
        </div>
        <span className={classes.arrow} aria-hidden>
          →
        </span>
        <Parties
          heading={`Readers of ${table.title}`}
          parties={flow.readers}
          rootNodeId={rootNodeId}
          none="No reads"
        />
      </div>
      {chartOpen && (
        <div id={chartId}>
          <TableActivityChart
            tableArn={table.tableArn}
            tableTitle={table.title}
            days={days}
          />
        </div>
      )}
    </Box>
  );
}
