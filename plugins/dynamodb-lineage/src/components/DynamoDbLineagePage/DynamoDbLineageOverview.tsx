import { useCallback, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { LinkButton, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import type { Theme } from '@material-ui/core/styles';
import {
  dynamodbLineageStatusRefreshPermission,
  type OverallStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { templateUrl } from '../parts/links';
import { errorHints, errorReason, LoadError } from '../parts/LoadError';
import { formatAge } from '../parts/time';
import { StatusCounters } from './StatusCounters';
import { TeamsList } from './TeamsList';
import { TeamsTable } from './TeamsTable';

type RefreshState =
  | { running: boolean; message?: string; error?: Error }
  | undefined;

function RefreshButton(props: {
  state: RefreshState;
  setState: (state: RefreshState) => void;
  onRefreshed: () => void;
}) {
  const api = useApi(dynamoDbLineageApiRef);
  const { allowed } = usePermission({
    permission: dynamodbLineageStatusRefreshPermission,
  });
  const { state, setState, onRefreshed } = props;
  const refresh = useCallback(async () => {
    setState({ running: true });
    try {
      const { refreshed } = await api.refresh();
      setState({
        running: false,
        message: `Refreshed ${refreshed} account-region${
          refreshed === 1 ? '' : 's'
        }.`,
      });
      onRefreshed();
    } catch (e) {
      setState({ running: false, error: e as Error });
    }
  }, [api, onRefreshed, setState]);

  if (!allowed) return null;
  return (
    <Button
      variant="outlined"
      color="primary"
      onClick={refresh}
      disabled={state?.running}
    >
      {state?.running ? 'Refreshing…' : 'Refresh now'}
    </Button>
  );
}

/** What the last "Refresh now" did, on a line of its own below the toolbar. */
function RefreshOutcome(props: { state: RefreshState; statusAge?: string }) {
  const { state, statusAge } = props;
  if (state?.error) {
    return (
      <Box mb={2} role="alert" data-testid="refresh-error">
        <Typography variant="body2" color="error">
          Refresh failed: {errorReason(state.error)}.{' '}
          {statusAge
            ? `The statuses below are from ${statusAge}.`
            : 'The statuses below are from before.'}
        </Typography>
        <Typography variant="body2">{errorHints(state.error)[0]}</Typography>
      </Box>
    );
  }
  return (
    <Box mb={state?.message ? 2 : 0} role="status">
      {state?.message && (
        <Typography variant="body2">{state.message}</Typography>
      )}
    </Box>
  );
}

/**
 * The platform team's view: every team's lineage-tracking status at once.
 * The body of the overview page in both frontend systems.
 */
export function DynamoDbLineageOverview() {
  const api = useApi(dynamoDbLineageApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getTeams(),
    [api],
  );
  // Below the width the table's columns need, the teams stack instead.
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'), {
    noSsr: true,
  });
  const [statusFilter, setStatusFilter] = useState<OverallStatus>();
  const [refreshState, setRefreshState] = useState<RefreshState>();
  const teams = useMemo(
    () =>
      statusFilter
        ? value?.teams.filter(t => t.status === statusFilter) ?? []
        : value?.teams ?? [],
    [value, statusFilter],
  );

  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <LoadError
        what="the teams' lineage status"
        error={error}
        onRetry={retry}
      />
    );
  }
  if (!value) return null;

  return (
    <>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        mb={2}
        style={{ gap: 16 }}
      >
        <Typography variant="body2">
          {value.refreshedAt ? (
            <time dateTime={value.refreshedAt} title={value.refreshedAt}>
              Status refreshed {formatAge(value.refreshedAt)}.
            </time>
          ) : (
            'Not refreshed yet.'
          )}
        </Typography>
        <RefreshButton
          state={refreshState}
          setState={setRefreshState}
          onRefreshed={retry}
        />
        <LinkButton to={templateUrl()} variant="outlined">
          Open the template
        </LinkButton>
      </Box>
      <RefreshOutcome
        state={refreshState}
        statusAge={value.refreshedAt ? formatAge(value.refreshedAt) : undefined}
      />
      <StatusCounters
        overview={value}
        selected={statusFilter}
        onSelect={setStatusFilter}
      />
      {narrow ? <TeamsList teams={teams} /> : <TeamsTable teams={teams} />}
    </>
  );
}
