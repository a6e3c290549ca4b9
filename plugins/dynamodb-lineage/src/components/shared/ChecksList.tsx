import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { HealthCheckResult } from '@lineage/plugin-dynamodb-lineage-common';
import { CheckStatusLabel } from './StatusLabel';

/** Checks that need attention, each with what was seen and how to fix it. */
export function FailingChecks(props: { checks: HealthCheckResult[] }) {
  const failing = props.checks.filter(c => c.status !== 'pass');
  if (failing.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        All checks pass.
      </Typography>
    );
  }
  return (
    <Box component="ul" m={0} pl={2}>
      {failing.map(c => (
        <li key={c.id} data-testid={`check-${c.id}`}>
          <Typography variant="body2" component="div">
            <CheckStatusLabel status={c.status} /> <strong>{c.title}</strong>
            {': '}
            {c.evidence}
          </Typography>
          {c.remediation && (
            <Typography variant="body2" color="textSecondary" component="div">
              Fix: {c.remediation}
            </Typography>
          )}
        </li>
      ))}
    </Box>
  );
}
