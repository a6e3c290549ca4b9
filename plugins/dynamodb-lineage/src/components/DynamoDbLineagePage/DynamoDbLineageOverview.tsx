import { useCallback, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  dynamodbLineageStatusRefreshPermission,
  type OverallStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { templateUrl } from '../shared/links';
import { formatAge } from '../shared/time';
import { StatusCounters } from './StatusCounters';
import { TeamsTable } from './TeamsTable';

function RefreshButton(props: { onRefreshed: () => void }) {
  const api = useApi(dynamoDbLineageApiRef);
  const { allowed } = usePermission({
    permission: dynamodbLineageStatusRefreshPermission,
  });
  const [state, setState] = useState<
    { running: boolean; message?: string; error?: Error } | undefined
  >();
  const { onRefreshed } = props;
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
  }, [api, onRefreshed]);

  if (!allowed) return null;
  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        onClick={refresh}
        disabled={state?.running}
      >
        {state?.running ? 'Refreshing…' : 'Refresh now'}
      </Button>
      {state?.message && (
        <Typography variant="body2" role="status">
          {state.message}
        </Typography>
      )}
      {state?.error && <ResponseErrorPanel error={state.error} />}
    </>
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
  const [statusFilter, setStatusFilter] = useState<OverallStatus>();
  const teams = useMemo(
    () =>
      statusFilter
        ? value?.teams.filter(t => t.status === statusFilter) ?? []
        : value?.teams ?? [],
    [value, statusFilter],
  );

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
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
        <Typography variant="body2" color="textSecondary">
          {value.refreshedAt
            ? `Status refreshed ${formatAge(value.refreshedAt)}.`
            : 'Not refreshed yet.'}
        </Typography>
        <RefreshButton onRefreshed={retry} />
        <LinkButton to={templateUrl()} variant="outlined">
          Open the template
        </LinkButton>
      </Box>
      <StatusCounters
        overview={value}
        selected={statusFilter}
        onSelect={setStatusFilter}
      />
      <TeamsTable teams={teams} />
    </>
  );
}
