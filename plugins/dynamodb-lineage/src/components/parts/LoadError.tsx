import { WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/** The error's message, and the backend's own when it sent one. */
export function errorReason(error: Error): string {
  const detail = (error as { body?: { error?: { message?: string } } }).body
    ?.error?.message;
  return detail && !error.message.includes(detail)
    ? `${error.message}: ${detail}`
    : error.message;
}

/** What to check, from what the error says about where it failed. */
export function errorHints(error: Error): string[] {
  const status = (error as { response?: { status?: number } }).response?.status;
  if (status === 401 || status === 403) {
    return [
      'Your user needs the dynamodb-lineage.status.read permission (ask whoever runs Backstage).',
    ];
  }
  if (status === 404) {
    return [
      'The backend answers, but without the dynamodb-lineage plugin: add @lineage/plugin-dynamodb-lineage-backend to the backend.',
    ];
  }
  if (status !== undefined && status >= 500) {
    return [
      'The dynamodb-lineage backend plugin failed: its log says why (AWS credentials, database).',
    ];
  }
  // No HTTP answer at all: "Failed to fetch", a network error.
  return [
    'The Backstage backend is not reachable: is it running, and is backend.baseUrl in app-config right?',
    'A proxy or VPN in between can also drop the request.',
  ];
}

/**
 * A failed load said in words: what could not be loaded, why, what to check,
 * and a way to try again.
 */
export function LoadError(props: {
  what: string;
  error: Error;
  onRetry?: () => void;
}) {
  const { what, error, onRetry } = props;
  return (
    <WarningPanel
      severity="error"
      title={`Could not load ${what}`}
      defaultExpanded
    >
      <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
        <Typography variant="body2" data-testid="load-error-reason">
          {errorReason(error)}
        </Typography>
        <Typography variant="body2" component="div">
          What to check:
          <ul style={{ margin: '4px 0' }}>
            {errorHints(error).map(hint => (
              <li key={hint}>{hint}</li>
            ))}
          </ul>
        </Typography>
        {onRetry && (
          <Box>
            <Button variant="outlined" color="primary" onClick={onRetry}>
              Try again
            </Button>
          </Box>
        )}
      </Box>
    </WarningPanel>
  );
}
