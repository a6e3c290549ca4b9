import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { HealthCheckResult } from '@lineage/plugin-dynamodb-lineage-common';
import { findingsOf } from './checkOrder';
import { CheckStatusLabel } from './StatusLabel';
import { useTextStyles } from './textStyles';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  // The status word in a column of its own, everything else aligned beside it.
  check: {
    display: 'grid',
    gridTemplateColumns: `${theme.spacing(10)}px minmax(0, 1fr)`,
    columnGap: theme.spacing(1),
    padding: theme.spacing(1, 0),
    '& + &': {
      borderTop: `1px solid ${theme.palette.divider}`,
    },
  },
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1),
  },
}));

function CheckItem(props: { check: HealthCheckResult }) {
  const { check } = props;
  const classes = useStyles();
  const text = useTextStyles();
  return (
    <li className={classes.check} data-testid={`check-${check.id}`}>
      <Typography variant="body2" component="div">
        <CheckStatusLabel status={check.status} />
      </Typography>
      <div>
        <div className={classes.heading}>
          <Typography variant="body2" component="span">
            <strong>{check.title}</strong>
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {check.severity} · {check.id}
          </Typography>
        </div>
        <Typography variant="body2" component="div" className={text.breakWord}>
          {check.evidence}
        </Typography>
        {check.remediation && (
          <Typography
            variant="body2"
            component="div"
            color="textSecondary"
            className={text.breakWord}
          >
            Fix: {check.remediation}
          </Typography>
        )}
        {check.controls.length > 0 && (
          <Typography variant="caption" component="div" color="textSecondary">
            Controls: {check.controls.join(', ')}
          </Typography>
        )}
      </div>
    </li>
  );
}

/**
 * The checks that need attention, worst first, each with what was seen, how
 * to fix it and the controls it maps to. Made for a full-width area: evidence
 * holds ARNs and CLI commands.
 */
export function FailingChecks(props: { checks: HealthCheckResult[] }) {
  const classes = useStyles();
  const findings = findingsOf(props.checks);
  const passing = props.checks.length - findings.length;
  if (findings.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        All checks pass.
      </Typography>
    );
  }
  return (
    <Box width="100%">
      <ul className={classes.list}>
        {findings.map(c => (
          <CheckItem key={c.id} check={c} />
        ))}
      </ul>
      {passing > 0 && (
        <Typography variant="caption" color="textSecondary">
          {passing === 1
            ? 'The other check passes.'
            : `The other ${passing} checks pass.`}
        </Typography>
      )}
    </Box>
  );
}
