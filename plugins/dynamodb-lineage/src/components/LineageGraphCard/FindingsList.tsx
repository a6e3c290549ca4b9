import {
  StatusAborted,
  StatusError,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { LineageFinding } from '@lineage/plugin-dynamodb-lineage-common';
import { EntityLink } from '../parts/EntityLink';
import { BREAK_WORD } from '../parts/textStyles';
import { When } from '../parts/When';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, padding: 0, listStyle: 'none' },
  item: { marginBottom: theme.spacing(1), ...BREAK_WORD },
}));

/** What each kind of finding is called, and how serious it looks. */
const KINDS: Record<
  LineageFinding['kind'],
  { label: string; Icon: typeof StatusWarning }
> = {
  'undeclared-access': { label: 'Undeclared access', Icon: StatusWarning },
  'unused-declaration': {
    label: 'Declared, never touched',
    Icon: StatusAborted,
  },
  'unmapped-principal': { label: 'Unmapped principal', Icon: StatusWarning },
  'invalid-annotation': { label: 'Invalid annotation', Icon: StatusError },
};

function findingKey(finding: LineageFinding): string {
  switch (finding.kind) {
    case 'undeclared-access':
    case 'unused-declaration':
      return `${finding.kind}:${finding.entityRef}:${finding.tableArn}`;
    case 'unmapped-principal':
      return `${finding.kind}:${finding.principal}`;
    default:
      return `${finding.kind}:${finding.entityRef}:${finding.annotation}`;
  }
}

/**
 * The differences between what entities declare and what the logs show:
 * undeclared access, declared tables never touched, callers no entity
 * claims, and annotations lineage had to ignore.
 */
export function FindingsList(props: { findings: LineageFinding[] }) {
  const { findings } = props;
  const classes = useStyles();
  if (findings.length === 0) return null;
  return (
    <Box mt={2} component="section" data-testid="lineage-findings">
      <Typography variant="subtitle1" component="h3">
        Governance findings ({findings.length})
      </Typography>
      <ul className={classes.list}>
        {findings.map(finding => {
          const { label, Icon } = KINDS[finding.kind];
          return (
            <li key={findingKey(finding)} className={classes.item}>
              <Typography variant="body2" component="div">
                <Icon>
                  <strong>{label}</strong>
                </Icon>
                {'entityRef' in finding && (
                  <>
                    {' '}
                    <EntityLink entityRef={finding.entityRef} />
                  </>
                )}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {finding.message}
                {'lastSeen' in finding && (
                  <>
                    {' '}
                    (last seen <When iso={finding.lastSeen} ageOnly />)
                  </>
                )}
              </Typography>
            </li>
          );
        })}
      </ul>
    </Box>
  );
}
