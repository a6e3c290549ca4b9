import Box from '@material-ui/core/Box';
import ButtonBase from '@material-ui/core/ButtonBase';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  OverallStatus,
  TeamsOverview,
} from '@lineage/plugin-dynamodb-lineage-common';
import { OverallStatusLabel } from '../parts/StatusLabel';

const ORDER: OverallStatus[] = [
  'healthy',
  'degraded',
  'failing',
  'unknown',
  'not-enabled',
];

const useStyles = makeStyles(theme => ({
  counter: {
    padding: theme.spacing(1.5, 2),
    minWidth: 140,
    textAlign: 'left',
    display: 'block',
  },
  selected: {
    outline: `2px solid ${theme.palette.primary.main}`,
  },
}));

/**
 * How many teams are in each status, and the share of account-regions
 * covered. A counter doubles as a filter: pressing it shows only its teams.
 */
export function StatusCounters(props: {
  overview: TeamsOverview;
  selected?: OverallStatus;
  onSelect: (status: OverallStatus | undefined) => void;
}) {
  const { overview, selected, onSelect } = props;
  const classes = useStyles();
  return (
    <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 16 }}>
      {ORDER.map(status => (
        <Paper
          key={status}
          className={selected === status ? classes.selected : undefined}
        >
          <ButtonBase
            className={classes.counter}
            aria-pressed={selected === status}
            data-testid={`counter-${status}`}
            onClick={() => onSelect(selected === status ? undefined : status)}
          >
            <Typography variant="h4" component="div">
              {overview.counts[status] ?? 0}
            </Typography>
            <OverallStatusLabel status={status} />
          </ButtonBase>
        </Paper>
      ))}
      <Paper>
        <Box className={classes.counter} data-testid="counter-coverage">
          <Typography variant="h4" component="div">
            {Math.round(overview.coverage * 100)}%
          </Typography>
          <Typography variant="body2">account-regions covered</Typography>
        </Box>
      </Paper>
    </Box>
  );
}
