import { LinkButton, TrendLine } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  TrailHealth,
  TrailHistoryPoint,
} from '@lineage/plugin-dynamodb-lineage-common';
import { DATA_EVENT_PRICE_USD_PER_100K } from '@lineage/plugin-dynamodb-lineage-common';
import { byUrgency, findingCounts } from '../parts/checkOrder';
import { CheckBlocks } from '../parts/ChecksList';
import { formatCount, formatUsd } from '../parts/cost';
import { ForecastVsObserved } from '../parts/ForecastVsObserved';
import { Identifier } from '../parts/Identifier';
import { templateUrl } from '../parts/links';
import { OverallStatusLabel } from '../parts/StatusLabel';
import { When } from '../parts/When';

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 3),
    marginBottom: theme.spacing(1),
  },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1, 4),
    margin: theme.spacing(0, 0, 2),
    '& dt': {
      fontSize: theme.typography.caption.fontSize,
      textTransform: 'uppercase',
      letterSpacing: '0.04em',
    },
    '& dd': { margin: 0 },
  },
  section: {
    marginTop: theme.spacing(3),
  },
  history: {
    borderCollapse: 'collapse',
    '& th, & td': {
      padding: theme.spacing(0.5, 2, 0.5, 0),
      textAlign: 'left',
      fontSize: theme.typography.body2.fontSize,
    },
  },
}));

/** The table lists the newest few; the trend line shows twelve. */
const SHOWN_CHECKS = 5;

function deliveryAgeText(minutes?: number): string {
  if (minutes === undefined) return 'unknown';
  if (minutes < 1) return 'under a minute old';
  if (minutes < 120) return `${Math.round(minutes)} min old`;
  return `${Math.round(minutes / 60)} h old`;
}

function FreshnessTrend(props: { history: TrailHistoryPoint[] }) {
  const classes = useStyles();
  const recent = props.history.slice(-12);
  const listed = recent.slice(-SHOWN_CHECKS);
  const ages = recent
    .map(p => p.deliveryAgeMinutes)
    .filter((age): age is number => typeof age === 'number');
  if (recent.length === 0) {
    return (
      <Typography variant="body2">
        No history yet: the trend appears after a few refreshes.
      </Typography>
    );
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
      {ages.length > 1 && (
        <Box width={320} maxWidth="100%">
          <TrendLine
            data={ages}
            title="Minutes between each check and the latest delivery"
            color="#1f77b4"
          />
        </Box>
      )}
      <table className={classes.history} data-testid="freshness-history">
        <caption style={{ textAlign: 'left', captionSide: 'top' }}>
          <Typography variant="body2" component="span">
            The last {listed.length} checks, newest first
          </Typography>
        </caption>
        <thead>
          <tr>
            <th scope="col">Checked</th>
            <th scope="col">Status</th>
            <th scope="col">Newest log was</th>
          </tr>
        </thead>
        <tbody>
          {[...listed].reverse().map(point => (
            <tr key={point.checkedAt}>
              <td>
                <When iso={point.checkedAt} />
              </td>
              <td>
                <OverallStatusLabel status={point.status} />
              </td>
              <td>{deliveryAgeText(point.deliveryAgeMinutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Box>
  );
}

function DataEventVolume(props: { volume: TrailHealth['volume'] }) {
  const { volume } = props;
  if (!volume || volume.eventsPerDay === 0) {
    return (
      <Typography variant="body2">
        No DynamoDB data events in the logs read so far, so no cost projection
        yet. Data events cost {formatUsd(DATA_EVENT_PRICE_USD_PER_100K)} per
        100,000.
      </Typography>
    );
  }
  const days = Object.entries(volume.days).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return (
    <>
      <Typography variant="body2" data-testid="volume-summary">
        About {formatCount(volume.eventsPerDay)} DynamoDB data events a day:
        projected {formatUsd(volume.projectedMonthlyUsd)} a month at{' '}
        {formatUsd(DATA_EVENT_PRICE_USD_PER_100K)} per 100,000 events.
      </Typography>
      {days.length > 0 && (
        <Typography variant="body2">
          Observed:{' '}
          {days.map(([day, n]) => `${day}: ${formatCount(n)}`).join(' · ')}
        </Typography>
      )}
    </>
  );
}

/**
 * A trail's page: one summary line, then what needs attention as readable
 * blocks (evidence, the fix with copyable commands, the controls), the
 * passing checks folded away, and the freshness trend and cost below.
 */
export function TrailScorecardView(props: {
  health: TrailHealth;
  history: TrailHistoryPoint[];
  /** Entity ref of the trail's owner, for the pre-filled fix. */
  owner?: string;
}) {
  const { health, history, owner } = props;
  const classes = useStyles();
  const { trail } = health;
  const sorted = [...health.checks].sort(byUrgency);
  const findings = sorted.filter(c => c.status !== 'pass');
  const passing = sorted.filter(c => c.status === 'pass');
  const counts = findingCounts(health.checks);
  return (
    <>
      <div className={classes.summary} data-testid="status-summary">
        <Typography variant="h6" component="p">
          <OverallStatusLabel status={health.status} />
        </Typography>
        <Typography variant="body1" data-testid="trail-summary-line">
          {counts ? `${counts} · ` : 'All checks pass · '}
          {health.latestDeliveryTime ? (
            <When iso={health.latestDeliveryTime} prefix="Last delivery " />
          ) : (
            'No log delivered yet'
          )}
          {' · '}
          <When iso={health.checkedAt} prefix="checked " ageOnly />
        </Typography>
        {health.status !== 'healthy' && (
          <LinkButton
            to={templateUrl({
              owner,
              accountId: trail.accountId,
              region: trail.homeRegion,
              trailName: trail.name,
              bucketName: trail.bucket,
            })}
            variant="outlined"
            color="primary"
            size="small"
          >
            Fix this trail with the template
          </LinkButton>
        )}
      </div>
      <dl className={classes.facts}>
        <div>
          <dt>Account</dt>
          <dd>
            <Identifier value={trail.accountId} label="account id" copy />
          </dd>
        </div>
        <div>
          <dt>Home region</dt>
          <dd>
            <Identifier value={trail.homeRegion} />
          </dd>
        </div>
        <div>
          <dt>Log bucket</dt>
          <dd>
            <Identifier value={trail.bucket} label="bucket name" copy />
          </dd>
        </div>
        <div>
          <dt>Trail ARN</dt>
          <dd>
            <Identifier value={trail.arn} label="trail ARN" max={40} copy />
          </dd>
        </div>
      </dl>

      {findings.length > 0 && (
        <section aria-labelledby="trail-findings-title">
          <Typography variant="h6" component="h3" id="trail-findings-title">
            Needs attention ({findings.length})
          </Typography>
          <CheckBlocks checks={findings} />
        </section>
      )}

      {passing.length > 0 && (
        <Accordion data-testid="passing-checks">
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-controls="trail-passing-checks"
            id="trail-passing-checks-summary"
          >
            <Typography variant="body1" component="h3">
              {passing.length === 1
                ? '1 check passes'
                : `${passing.length} checks pass`}
            </Typography>
          </AccordionSummary>
          <AccordionDetails id="trail-passing-checks">
            <CheckBlocks checks={passing} />
          </AccordionDetails>
        </Accordion>
      )}

      <section className={classes.section}>
        <Typography variant="h6" component="h3">
          Freshness trend
        </Typography>
        <FreshnessTrend history={history} />
      </section>
      <section className={classes.section}>
        <Typography variant="h6" component="h3">
          Data-event volume and cost
        </Typography>
        <DataEventVolume volume={health.volume} />
        <Box mt={1}>
          <ForecastVsObserved trailArn={trail.arn} />
        </Box>
      </section>
    </>
  );
}
