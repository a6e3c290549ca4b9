import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { parseEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { AccountRegionTable } from '../parts/AccountRegionTable';
import { LoadError } from '../parts/LoadError';

/** The account-regions of one team, fetched when its row is opened. */
export function TeamDetailPanel(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(dynamoDbLineageApiRef);
  const { value, loading, error, retry } = useAsyncRetry(() => {
    const { namespace, name } = parseEntityRef(entityRef);
    return api.getTeam({ namespace, name });
  }, [api, entityRef]);
  return (
    <Box p={2} data-testid={`team-detail-${entityRef}`}>
      {loading && <Progress />}
      {error && (
        <LoadError
          what="this team's account-regions"
          error={error}
          onRetry={retry}
        />
      )}
      {value && (
        <AccountRegionTable
          accountRegions={value.accountRegions}
          owner={entityRef}
        />
      )}
    </Box>
  );
}
