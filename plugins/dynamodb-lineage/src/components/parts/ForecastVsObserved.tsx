import useAsync from 'react-use/esm/useAsync';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { formatCount, formatUsd } from './cost';
import { useTextStyles } from './textStyles';

/**
 * What DynamoDB's own metrics forecast for the tables a trail captures,
 * next to the events a day its logs showed, with a flag when the two are
 * more than twice apart.
 */
export function ForecastVsObserved(props: { trailArn: string }) {
  const { trailArn } = props;
  const api = useApi(dynamoDbLineageApiRef);
  const text = useTextStyles();
  const { value, loading, error } = useAsync(
    () => api.getTrailForecast(trailArn),
    [api, trailArn],
  );
  if (loading) return <Progress />;
  if (error) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        className={text.breakWord}
      >
        No forecast to compare with: {error.message}
      </Typography>
    );
  }
  if (!value) return null;
  return (
    <Box data-testid="forecast-vs-observed">
      <Typography variant="body2" className={text.breakWord}>
        Forecast from DynamoDB's metrics:{' '}
        {formatCount(value.forecastEventsPerDay)} data events a day (
        {formatUsd(value.forecastMonthlyUsd)} a month), from {value.basis}.
      </Typography>
      <Typography variant="body2">
        {value.observedEventsPerDay === undefined
          ? 'Observed in the logs: nothing read yet.'
          : `Observed in the logs: ${formatCount(
              value.observedEventsPerDay,
            )} a day (${formatUsd(value.observedMonthlyUsd ?? 0)} a month)${
              value.ratio ? `, ${value.ratio}× apart` : ''
            }.`}
      </Typography>
      {value.gap && (
        <Typography
          variant="body2"
          color="error"
          data-testid="forecast-gap"
          className={text.breakWord}
        >
          More than twice apart. {value.gapReason}
        </Typography>
      )}
      {value.unavailable?.map(reason => (
        <Typography
          key={reason}
          variant="body2"
          color="textSecondary"
          className={text.breakWord}
        >
          Not in the forecast: {reason}
        </Typography>
      ))}
    </Box>
  );
}
