import { Fragment } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  CheckDetail,
  HealthCheckResult,
} from '@lineage/plugin-dynamodb-lineage-common';
import { findingsOf } from './checkOrder';
import { Identifier } from './Identifier';
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
  disclosure: {
    marginTop: theme.spacing(0.75),
    '& > summary': {
      cursor: 'pointer',
      color: theme.palette.primary.main,
      width: 'fit-content',
    },
  },
  rawValues: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.25),
    margin: theme.spacing(0.5, 0, 0),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  },
  passingList: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2.5),
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

/**
 * The raw values behind a check's plain words (AWS field names, ISO times,
 * ARNs), folded away for whoever needs to verify them; single-token values
 * are identifiers and stay whole.
 */
function RawValues(props: { details: CheckDetail[] }) {
  const classes = useStyles();
  return (
    <details className={classes.disclosure} data-testid="raw-values">
      <summary>
        <Typography variant="body2" component="span">
          Values from AWS
        </Typography>
      </summary>
      <Typography variant="body2" component="dl" className={classes.rawValues}>
        {props.details.map(detail => (
          <Fragment key={`${detail.label}=${detail.value}`}>
            <dt>{detail.label}</dt>
            <dd>
              {/\s/.test(detail.value) ? (
                detail.value
              ) : (
                <Identifier value={detail.value} max={72} />
              )}
            </dd>
          </Fragment>
        ))}
      </Typography>
    </details>
  );
}

function CheckItem(props: { check: HealthCheckResult; compact?: boolean }) {
  const { check, compact } = props;
  const classes = useStyles();
  const fix = check.remediation && (
    <Typography variant="body2" component="div" data-testid="remediation">
      <Box mt={0.75}>
        {!compact && <span className={classes.label}>How to fix:</span>}{' '}
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
  );
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
        <Typography
          variant="body2"
          component="div"
          data-testid="evidence"
          // The raw values on hover, too.
          title={check.details
            ?.map(detail => `${detail.label}: ${detail.value}`)
            .join('\n')}
        >
          <CheckText text={check.evidence} />
        </Typography>
        {check.details && check.details.length > 0 && (
          <RawValues details={check.details} />
        )}
        {fix && compact ? (
          <details className={classes.disclosure}>
            <summary>
              <Typography variant="body2" component="span">
                How to fix
              </Typography>
            </summary>
            {fix}
          </details>
        ) : (
          fix
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

/**
 * Checks as readable blocks: status, title, evidence, the fix and controls.
 * Compact: each fix opens on demand.
 */
export function CheckBlocks(props: {
  checks: HealthCheckResult[];
  compact?: boolean;
}) {
  const classes = useStyles();
  return (
    <ul className={classes.list}>
      {props.checks.map(c => (
        <CheckItem key={c.id} check={c} compact={props.compact} />
      ))}
    </ul>
  );
}

/** The checks that pass, by title, folded away. */
function PassingChecks(props: { checks: HealthCheckResult[] }) {
  const classes = useStyles();
  const { checks } = props;
  return (
    <details className={classes.disclosure} data-testid="passing-check-list">
      <summary>
        <Typography variant="body2" component="span">
          {checks.length === 1
            ? 'The other check passes'
            : `The other ${checks.length} checks pass`}
        </Typography>
      </summary>
      <ul className={classes.passingList}>
        {checks.map(c => (
          <Typography key={c.id} variant="body2" component="li">
            {c.title}
          </Typography>
        ))}
      </ul>
    </details>
  );
}

/**
 * The checks that need attention, worst first, each with what was seen, how
 * to fix it and the controls it maps to. Made for a full-width area: evidence
 * holds ARNs and CLI commands.
 */
export function FailingChecks(props: {
  checks: HealthCheckResult[];
  compact?: boolean;
}) {
  const findings = findingsOf(props.checks);
  const passing = props.checks.filter(c => c.status === 'pass');
  if (findings.length === 0) {
    return (
      <Typography variant="body2">
        All {props.checks.length} checks pass.
      </Typography>
    );
  }
  return (
    <Box width="100%">
      <CheckBlocks checks={findings} compact={props.compact} />
      {passing.length > 0 && <PassingChecks checks={passing} />}
    </Box>
  );
}
