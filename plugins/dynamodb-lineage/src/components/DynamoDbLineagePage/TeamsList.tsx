import { useMemo, useState } from 'react';
import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { TeamSummary } from '@lineage/plugin-dynamodb-lineage-common';
import { coverageText, findingCounts } from '../parts/checkOrder';
import { ClampedText } from '../parts/ClampedText';
import { Identifier } from '../parts/Identifier';
import { entityPagePath } from '../parts/links';
import { OverallStatusLabel } from '../parts/StatusLabel';
import { When } from '../parts/When';
import { TeamFixButton, teamRows, type Row } from './TeamsTable';

const PAGE = 20;

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gap: theme.spacing(1.5),
  },
  item: {
    padding: theme.spacing(1.5, 2),
    minWidth: 0,
  },
  line: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.5),
  },
}));

function lastDelivery(row: Row) {
  if (row.status === 'not-enabled') return null;
  return (
    <Typography variant="body2">
      Last delivery{' '}
      {row.latestDeliveryTime ? (
        <When iso={row.latestDeliveryTime} />
      ) : (
        'none yet'
      )}
    </Typography>
  );
}

function TeamItem(props: { row: Row }) {
  const { row } = props;
  const classes = useStyles();
  const counts = row.worstAccountRegion
    ? findingCounts(row.worstAccountRegion.checkCounts)
    : undefined;
  return (
    <Paper component="li" className={classes.item} data-testid="team-item">
      <div className={classes.line}>
        <Typography variant="subtitle1" component="h3">
          <Link to={entityPagePath(row.entityRef)}>{row.title}</Link>
        </Typography>
        <OverallStatusLabel status={row.status} />
        {counts && <Typography variant="caption">{counts}</Typography>}
      </div>
      <div className={classes.line}>
        <Typography variant="body2">
          {coverageText(row.coveredAccountRegions, row.accountRegions)}
        </Typography>
        {row.accounts.map(account => (
          <Identifier key={account} value={account} />
        ))}
        {row.regions.map(region => (
          <Typography key={region} variant="body2" component="span">
            {region}
          </Typography>
        ))}
      </div>
      {lastDelivery(row)}
      <ClampedText text={row.reasonText} lines={3} />
      {row.status !== 'healthy' && (
        <Box mt={1}>
          <TeamFixButton row={row} />
        </Box>
      )}
    </Paper>
  );
}

/**
 * The teams as stacked items, for screens too narrow for the table's
 * columns: every value of a row, one team under the other, with a search
 * and twenty more at a time.
 */
export function TeamsList(props: { teams: TeamSummary[] }) {
  const { teams } = props;
  const classes = useStyles();
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState(PAGE);
  const rows = useMemo(() => teamRows(teams), [teams]);
  const matching = useMemo(() => {
    const needle = query.trim().toLocaleLowerCase('en-US');
    if (!needle) return rows;
    return rows.filter(row =>
      [
        row.title,
        row.statusLabel,
        row.reasonText,
        ...row.accounts,
        ...row.regions,
      ]
        .join(' ')
        .toLocaleLowerCase('en-US')
        .includes(needle),
    );
  }, [rows, query]);
  return (
    <section aria-labelledby="lineage-teams-heading">
      <Typography variant="h5" component="h2" id="lineage-teams-heading">
        Teams
      </Typography>
      <Box my={1.5}>
        <TextField
          id="lineage-teams-search"
          label="Search teams"
          type="search"
          variant="outlined"
          size="small"
          fullWidth
          value={query}
          onChange={event => {
            setQuery(event.target.value);
            setShown(PAGE);
          }}
        />
      </Box>
      <Typography variant="body2" color="textSecondary" role="status">
        {matching.length === rows.length
          ? `${rows.length} ${rows.length === 1 ? 'team' : 'teams'}`
          : `${matching.length} of ${rows.length} teams`}
      </Typography>
      <Box mt={1}>
        <ul className={classes.list}>
          {matching.slice(0, shown).map(row => (
            <TeamItem key={row.id} row={row} />
          ))}
        </ul>
      </Box>
      {matching.length > shown && (
        <Box mt={1.5}>
          <Button variant="outlined" onClick={() => setShown(shown + PAGE)}>
            Show {Math.min(PAGE, matching.length - shown)} more
          </Button>
        </Box>
      )}
    </section>
  );
}
