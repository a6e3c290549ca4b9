import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  type CostForecast,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import { formatCount, formatUsd } from './cost';
import { useTextStyles } from './textStyles';

/** Tables listed by name; the rest are summed in one line. */
const TABLES_SHOWN = 5;

function tableName(arn: string): string {
  return tryParseTableArn(arn)?.tableName ?? arn;
}

function StorageLine(props: { storage: CostForecast['storage'] }) {
  const { storage } = props;
  const retention = storage.expires
    ? `deleted after ${storage.retainedDays} days`
    : `kept (estimated after ${storage.retainedDays} days of logs)`;
  return (
    <li>
      <Typography variant="body2">
        Log storage in S3: {formatUsd(storage.monthlyUsd)} — about{' '}
        {storage.gbPerMonth} GB of compressed logs a month (
        {storage.bytesPerEvent} bytes an event,{' '}
        {storage.bytesPerEventSource === 'logs'
          ? 'measured in the delivered logs'
          : 'the documented default'}
        ), in S3 Standard for {storage.glacierAfterDays} days, then Glacier,{' '}
        {retention}; {formatCount(storage.objectsPerMonth)} files written a
        month.
      </Typography>
    </li>
  );
}

/**
 * What capturing the DynamoDB data events would cost a month, and why: the
 * traffic DynamoDB's metrics counted, the range between the quietest and
 * the busiest day, the bill's other parts, and the busiest tables.
 */
export function CostForecastView(props: { forecast: CostForecast }) {
  const { forecast } = props;
  const text = useTextStyles();
  const shown = forecast.perTable.slice(0, TABLES_SHOWN);
  const rest = forecast.perTable.slice(TABLES_SHOWN);
  const noMetrics = forecast.days === 0;
  return (
    <Box data-testid="cost-forecast">
      <Typography variant="body1" className={text.breakWord}>
        {noMetrics ? (
          <>No forecast of the data events: {forecast.basis}.</>
        ) : (
          <>
            About <strong>{formatUsd(forecast.monthlyUsd)} a month</strong>:{' '}
            {formatCount(forecast.dataEventsPerMonth)} DynamoDB data events (
            {formatUsd(forecast.dataEventsMonthlyUsd)}, between{' '}
            {formatUsd(forecast.range.minMonthlyUsd)} and{' '}
            {formatUsd(forecast.range.maxMonthlyUsd)} at the quietest and the
            busiest day), from {forecast.basis}.
          </>
        )}
      </Typography>
      <Box component="ul" pl={2} my={0.5}>
        {!noMetrics && (
          <li>
            <Typography variant="body2">
              Data events: {formatUsd(forecast.dataEventsMonthlyUsd)} — every
              request DynamoDB answered, throttled or failed is one event
              {forecast.unattributedErrorsPerMonth
                ? `, ${formatCount(
                    forecast.unattributedErrorsPerMonth,
                  )} of them failed requests CloudWatch counts for the whole account-region`
                : ''}
              .
            </Typography>
          </li>
        )}
        <StorageLine storage={forecast.storage} />
        {forecast.kmsKey && (
          <li>
            <Typography variant="body2">
              The KMS key this creates: {formatUsd(forecast.kmsKey.monthlyUsd)}{' '}
              ({formatUsd(forecast.kmsKey.keyUsd)} for the key,{' '}
              {formatCount(forecast.kmsKey.requestsPerMonth)} requests).
            </Typography>
          </li>
        )}
        {forecast.insights && (
          <li>
            <Typography variant="body2">{forecast.insights.note}</Typography>
          </li>
        )}
      </Box>
      {shown.length > 0 && (
        <Box component="ul" pl={2} my={0.5} data-testid="cost-forecast-tables">
          {shown.map(table => (
            <li key={table.tableArn}>
              <Typography variant="body2" className={text.breakWord}>
                {tableName(table.tableArn)} ({table.region}):{' '}
                {formatCount(table.dataEventsPerMonth)} events,{' '}
                {formatUsd(table.monthlyUsd)} a month
              </Typography>
            </li>
          ))}
          {rest.length > 0 && (
            <li>
              <Typography variant="body2">
                {rest.length} more table{rest.length === 1 ? '' : 's'}:{' '}
                {formatUsd(rest.reduce((sum, t) => sum + t.monthlyUsd, 0))} a
                month
              </Typography>
            </li>
          )}
        </Box>
      )}
      {forecast.unavailable?.map(reason => (
        <Typography
          key={reason}
          variant="body2"
          color="error"
          className={text.breakWord}
        >
          Not in the forecast: {reason}
        </Typography>
      ))}
    </Box>
  );
}
