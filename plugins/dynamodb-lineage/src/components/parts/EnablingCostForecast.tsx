import useAsync from 'react-use/esm/useAsync';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { CostForecastView } from './CostForecastView';
import { useTextStyles } from './textStyles';

/**
 * What enabling the template's defaults would cost for an account-region,
 * from the plan the backend computes (read calls only), shown before anyone
 * opens the template.
 */
export function EnablingCostForecast(props: {
  owner: string;
  accountId: string;
  region: string;
}) {
  const { owner, accountId, region } = props;
  const api = useApi(dynamoDbLineageApiRef);
  const text = useTextStyles();
  const { value, loading, error } = useAsync(
    () => api.getPlan({ owner, accountId, region }),
    [api, owner, accountId, region],
  );
  return (
    <Box mt={1} data-testid="enabling-cost-forecast">
      <Typography variant="subtitle2">
        What enabling would cost in {accountId}/{region}
      </Typography>
      {loading && <Progress />}
      {error && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={text.breakWord}
        >
          No forecast: {error.message}
        </Typography>
      )}
      {value?.costForecast && (
        <CostForecastView forecast={value.costForecast} />
      )}
    </Box>
  );
}
