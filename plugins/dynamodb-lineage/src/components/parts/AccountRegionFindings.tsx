import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  reasonWithoutRegion,
  type AccountRegionStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { Identifier } from './Identifier';
import { FailingChecks } from './ChecksList';
import { findingCounts } from './checkOrder';
import { OverallStatusLabel, overallStatusLabel } from './StatusLabel';
import { useTextStyles } from './textStyles';

/** Beyond this many, panels start closed so the card stays scannable. */
const OPEN_AT_MOST = 3;

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    width: '100%',
    minWidth: 0,
  },
  headline: {
    flex: '1 1 320px',
    minWidth: 0,
  },
}));

const WITHOUT_CHECKS: Partial<Record<AccountRegionStatus['status'], string>> = {
  'not-enabled':
    'No CloudTrail trail reaches this account-region: nobody can tell who read or wrote its DynamoDB tables.',
  unknown: 'The checks could not run. They are run again on the next refresh.',
};

function fallbackReason(region: AccountRegionStatus): string {
  return region.coveringTrail
    ? `trail ${region.coveringTrail.name}`
    : overallStatusLabel(region.status);
}

function needsAttention(region: AccountRegionStatus): boolean {
  return (
    region.status !== 'healthy' || region.checks.some(c => c.status !== 'pass')
  );
}

function FindingsPanel(props: {
  region: AccountRegionStatus;
  defaultExpanded: boolean;
  compact?: boolean;
}) {
  const { region, defaultExpanded, compact } = props;
  const classes = useStyles();
  const text = useTextStyles();
  const id = `findings-${region.accountId}-${region.region}`;
  const counts = findingCounts(region.checks);
  return (
    <Accordion defaultExpanded={defaultExpanded} data-testid={id}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`${id}-details`}
        id={`${id}-summary`}
      >
        <div className={classes.summary}>
          <Typography variant="body2" component="span">
            <OverallStatusLabel status={region.status} />
          </Typography>
          <Typography variant="body2" component="span">
            <Identifier value={region.accountId} /> · {region.region}
          </Typography>
          <Typography
            variant="body2"
            component="span"
            className={`${classes.headline} ${text.breakWord}`}
            data-testid="row-reason"
          >
            {reasonWithoutRegion(
              region.reason ?? fallbackReason(region),
              region.region,
            )}
          </Typography>
          {counts && (
            <Typography variant="caption" className={text.noWrap}>
              {counts}
            </Typography>
          )}
        </div>
      </AccordionSummary>
      <AccordionDetails id={`${id}-details`}>
        {region.checks.length > 0 ? (
          <FailingChecks checks={region.checks} compact={compact} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            {WITHOUT_CHECKS[region.status] ?? 'No check results yet.'}
          </Typography>
        )}
      </AccordionDetails>
    </Accordion>
  );
}

/**
 * Below the account-region table, full width: one panel per account-region
 * that needs attention, with every finding, its evidence and its fix. Open by
 * default unless the account-region is healthy (warnings only) or there are
 * many of them (in a compact card: more than one).
 */
export function AccountRegionFindings(props: {
  accountRegions: AccountRegionStatus[];
  /** Only a lone failing account-region starts open; fixes open on demand. */
  compact?: boolean;
}) {
  const { compact } = props;
  const shown = props.accountRegions.filter(needsAttention);
  if (shown.length === 0) return null;
  const open = (r: AccountRegionStatus) =>
    r.status !== 'healthy' && shown.length <= (compact ? 1 : OPEN_AT_MOST);
  return (
    <Box mt={2} data-testid="account-region-findings">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Needs attention
      </Typography>
      {shown.map(r => (
        <FindingsPanel
          key={`${r.accountId}/${r.region}`}
          region={r}
          defaultExpanded={open(r)}
          compact={compact}
        />
      ))}
    </Box>
  );
}
