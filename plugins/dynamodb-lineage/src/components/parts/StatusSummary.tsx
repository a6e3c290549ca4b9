import { LinkButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { OverallStatus } from '@lineage/plugin-dynamodb-lineage-common';
import { EnablingCostForecast } from './EnablingCostForecast';
import { templateUrl } from './links';
import { OverallStatusLabel } from './StatusLabel';
import { useTextStyles } from './textStyles';

/**
 * The headline of a card: the overall status, what it is about, and for the
 * two states that need a word more, the reason (unknown) or the way in (not
 * enabled).
 */
export function StatusSummary(props: {
  status: OverallStatus;
  detail?: string;
  reason?: string;
  prefill?: { owner?: string; accountId?: string; region?: string };
}) {
  const { status, detail, reason, prefill } = props;
  const text = useTextStyles();
  return (
    <Box mb={2} data-testid="status-summary">
      <Typography variant="h6" component="div">
        <OverallStatusLabel status={status} />
      </Typography>
      {detail && (
        <Typography variant="body2" color="textSecondary">
          {detail}
        </Typography>
      )}
      {status === 'unknown' && (
        <Typography
          variant="body2"
          data-testid="unknown-reason"
          className={text.breakWord}
        >
          The status could not be determined
          {reason ? `: ${reason}` : '.'}
        </Typography>
      )}
      {status === 'not-enabled' && (
        <Box mt={1}>
          <Typography variant="body2" className={text.breakWord}>
            No CloudTrail trail records DynamoDB data events here yet, so nobody
            can tell who read or wrote the tables.
            {reason ? ` ${reason}.` : ''}
          </Typography>
          {prefill?.owner && prefill.accountId && prefill.region && (
            <EnablingCostForecast
              owner={prefill.owner}
              accountId={prefill.accountId}
              region={prefill.region}
            />
          )}
          <Box mt={1}>
            <LinkButton
              to={templateUrl(prefill)}
              variant="contained"
              color="primary"
            >
              Enable lineage tracking with the template
            </LinkButton>
          </Box>
        </Box>
      )}
      {status !== 'unknown' && status !== 'not-enabled' && reason && (
        <Typography variant="body2" className={text.breakWord}>
          {reason}
        </Typography>
      )}
    </Box>
  );
}
