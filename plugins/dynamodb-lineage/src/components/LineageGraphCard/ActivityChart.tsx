import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type { TableActivityPoint } from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { formatCount } from '../parts/cost';
import { LoadError } from '../parts/LoadError';
import { dailyTotals } from './dataFlow';
import { VISUALLY_HIDDEN } from '../parts/textStyles';

const useStyles = makeStyles(theme => ({
  svg: { display: 'block', width: '100%', maxWidth: 640, height: 'auto' },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
    listStyle: 'none',
  },
  swatch: {
    display: 'inline-block',
    width: 10,
    height: 10,
    marginRight: 4,
    verticalAlign: 'middle',
  },
  visuallyHidden: VISUALLY_HIDDEN,
}));

const SERIES = ['reads', 'writes', 'errors'] as const;
type Series = (typeof SERIES)[number];

const WIDTH = 640;
const HEIGHT = 160;
const AXIS = 18;
const TOP = 8;

/** "Mar 2" for a YYYY-MM-DD day, read in UTC like the days themselves. */
function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * Calls per day as stacked bars (reads, writes, errors). The picture is one
 * image with a summary for screen readers, which get the numbers from a
 * table that is not drawn.
 */
export function ActivityBars(props: {
  points: TableActivityPoint[];
  title: string;
}) {
  const { points, title } = props;
  const classes = useStyles();
  const theme = useTheme();
  const colours: Record<Series, string> = {
    reads: theme.palette.primary.main,
    writes: theme.palette.success.main,
    errors: theme.palette.error.main,
  };
  const totals = { reads: 0, writes: 0, errors: 0 };
  for (const p of points) for (const s of SERIES) totals[s] += p[s];
  const max = Math.max(1, ...points.map(p => p.reads + p.writes + p.errors));
  const slot = WIDTH / Math.max(1, points.length);
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const plotHeight = HEIGHT - AXIS - TOP;
  // Every label when they fit, else about eight of them.
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  const summary = `${title}: ${formatCount(totals.reads)} reads, ${formatCount(
    totals.writes,
  )} writes, ${formatCount(totals.errors)} errors over ${points.length} days`;

  return (
    <figure style={{ margin: 0 }} data-testid="activity-chart">
      <svg
        className={classes.svg}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
      >
        <line
          x1={0}
          x2={WIDTH}
          y1={HEIGHT - AXIS}
          y2={HEIGHT - AXIS}
          stroke={theme.palette.divider}
        />
        {points.map((p, i) => {
          const x = i * slot + (slot - barWidth) / 2;
          let y = HEIGHT - AXIS;
          return (
            <g key={p.day}>
              <title>
                {`${p.day}: ${formatCount(p.reads)} reads, ${formatCount(
                  p.writes,
                )} writes, ${formatCount(p.errors)} errors`}
              </title>
              {SERIES.map(s => {
                const h = (p[s] / max) * plotHeight;
                y -= h;
                return h > 0 ? (
                  <rect
                    key={s}
                    x={x}
                    y={y}
                    width={barWidth}
                    height={h}
                    fill={colours[s]}
                  />
                ) : null;
              })}
              {i % labelEvery === 0 && (
                <text
                  x={i * slot + slot / 2}
                  y={HEIGHT - 4}
                  textAnchor="middle"
                  fontSize={11}
                  fill={theme.palette.text.secondary}
                >
                  {dayLabel(p.day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className={classes.legend} aria-hidden>
          {SERIES.map(s => (
            <li key={s}>
              <Typography variant="caption">
                <span
                  className={classes.swatch}
                  style={{ background: colours[s] }}
                />
                {`${s[0].toLocaleUpperCase('en-US')}${s.slice(1)} ${formatCount(
                  totals[s],
                )}`}
              </Typography>
            </li>
          ))}
        </ul>
      </figcaption>
      <table className={classes.visuallyHidden}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Reads</th>
            <th scope="col">Writes</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {points.map(p => (
            <tr key={p.day}>
              <th scope="row">{p.day}</th>
              <td>{p.reads}</td>
              <td>{p.writes}</td>
              <td>{p.errors}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** A table's daily calls, all callers together, over the last `days` days. */
export function TableActivityChart(props: {
  tableArn: string;
  tableTitle: string;
  days: number;
}) {
  const { tableArn, tableTitle, days } = props;
  const api = useApi(dynamoDbLineageApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getTableActivity({ tableArn, days }),
    [api, tableArn, days],
  );
  if (loading) return <Progress />;
  if (error) {
    return (
      <LoadError
        what={`the daily activity of ${tableTitle}`}
        error={error}
        onRetry={retry}
      />
    );
  }
  if (!value) return null;
  return (
    <Box mt={1}>
      <ActivityBars
        points={dailyTotals(value)}
        title={`Daily calls on ${tableTitle}`}
      />
    </Box>
  );
}
