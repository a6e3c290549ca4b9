import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { HealthCheckResult } from '@lineage/plugin-dynamodb-lineage-common';
import { findingsOf } from './checkOrder';
import { CheckText, CodeBlock, JsonDisclosure } from './CheckText';
import { CheckStatusLabel } from './StatusLabel';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  // The status word in a column of its own, everything else aligned beside it.
  check: {
    display: 'grid',
    gridTemplateColumns: `${theme.spacing(9)}px minmax(0, 1fr)`,
    columnGap: theme.spacing(1.5),
    padding: theme.spacing(1.5, 0),
    '& + &': {
      borderTop: `1px solid ${theme.palette.divider}`,
    },
  },
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1),
    marginBottom: theme.spacing(0.5),
  },
  body: {
    maxWidth: '110ch',
    overflowWrap: 'anywhere',
  },
  label: {
    fontWeight: theme.typography.fontWeightMedium as number,
    marginRight: theme.spacing(0.5),
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.75),
  },
  fine: {
    color: theme.palette.text.primary,
    opacity: 0.8,
  },
}));

/** How many statements a policy given as a JSON array holds; `undefined` for a whole document. */
function statementCount(policy: string): number | undefined {
  try {
    const parsed = JSON.parse(policy);
    return Array.isArray(parsed) ? parsed.length : undefined;
  } catch {
    return undefined;
  }
}

function CheckItem(props: { check: HealthCheckResult }) {
  const { check } = props;
  const classes = useStyles();
  return (
    <li className={classes.check} data-testid={`check-${check.id}`}>
      <Typography variant="body2" component="div">
        <CheckStatusLabel status={check.status} />
      </Typography>
      <div className={classes.body}>
        <div className={classes.heading}>
          <Typography variant="body1" component="h4">
            <strong>{check.title}</strong>
          </Typography>
          <Typography variant="caption" className={classes.fine}>
            {check.severity} severity · {check.id}
          </Typography>
        </div>
        <Typography variant="body2" component="div">
          <CheckText text={check.evidence} />
        </Typography>
        {check.remediation && (
          <Typography variant="body2" component="div" data-testid="remediation">
            <Box mt={0.75}>
              <span className={classes.label}>How to fix:</span>{' '}
              <CheckText text={check.remediation.text} />
            </Box>
            {check.remediation.commands?.map((command, i) => (
              <CodeBlock
                key={command}
                code={command}
                label={i === 0 ? 'command' : `command ${i + 1}`}
              />
            ))}
            {check.remediation.policy && (
              <JsonDisclosure
                json={check.remediation.policy}
                items={statementCount(check.remediation.policy)}
              />
            )}
          </Typography>
        )}
        {check.controls.length > 0 && (
          <div className={classes.chips} aria-label="Controls">
            {check.controls.map(control => (
              <Chip
                key={control}
                label={control}
                size="small"
                variant="outlined"
              />
            ))}
          </div>
        )}
      </div>
    </li>
  );
}

/** Checks as readable blocks: status, title, evidence, the fix and controls. */
export function CheckBlocks(props: { checks: HealthCheckResult[] }) {
  const classes = useStyles();
  return (
    <ul className={classes.list}>
      {props.checks.map(c => (
        <CheckItem key={c.id} check={c} />
      ))}
    </ul>
  );
}

/**
 * The checks that need attention, worst first, each with what was seen, how
 * to fix it and the controls it maps to. Made for a full-width area: evidence
 * holds ARNs and CLI commands.
 */
export function FailingChecks(props: { checks: HealthCheckResult[] }) {
  const findings = findingsOf(props.checks);
  const passing = props.checks.length - findings.length;
  if (findings.length === 0) {
    return (
      <Typography variant="body2">
        All {props.checks.length} checks pass.
      </Typography>
    );
  }
  return (
    <Box width="100%">
      <CheckBlocks checks={findings} />
      {passing > 0 && (
        <Typography variant="body2">
          {passing === 1
            ? 'The other check passes.'
            : `The other ${passing} checks pass.`}
        </Typography>
      )}
    </Box>
  );
}
