import useAsync from 'react-use/esm/useAsync';
import { parseEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { AccountRegionTable } from '../shared/AccountRegionTable';

/** The account-regions of one team, fetched when its row is opened. */
export function TeamDetailPanel(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(dynamoDbLineageApiRef);
  const { value, loading, error } = useAsync(() => {
    const { namespace, name } = parseEntityRef(entityRef);
    return api.getTeam({ namespace, name });
  }, [api, entityRef]);
  return (
    <Box p={2} data-testid={`team-detail-${entityRef}`}>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <AccountRegionTable
          accountRegions={value.accountRegions}
          owner={entityRef}
        />
      )}
    </Box>
  );
}
