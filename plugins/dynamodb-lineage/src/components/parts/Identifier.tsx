import { makeStyles } from '@material-ui/core/styles';
import { CopyButton } from './CopyButton';
import { VISUALLY_HIDDEN } from './textStyles';

export const MONOSPACE =
  'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';

const useStyles = makeStyles({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    maxWidth: '100%',
    verticalAlign: 'middle',
  },
  value: {
    fontFamily: MONOSPACE,
    fontSize: '0.85em',
    whiteSpace: 'nowrap',
  },
  visuallyHidden: VISUALLY_HIDDEN,
});

/**
 * `arn:aws:cloudtrail:us-e…trail/inventory-trail`: the start says what kind
 * of thing it is, the end which one; the middle is what readers skip.
 */
export function shortenMiddle(value: string, max: number): string {
  if (value.length <= max) return value;
  const tail = Math.ceil((max - 1) * 0.6);
  const head = max - 1 - tail;
  return `${value.slice(0, head)}…${value.slice(value.length - tail)}`;
}

/**
 * An AWS identifier (account id, ARN, bucket): monospace, never broken over
 * lines, shortened in the middle past `max` characters with the full value
 * on hover, and a copy button when `copy` is set.
 */
export function Identifier(props: {
  value: string;
  /** What the value is, for the copy button's name: "trail ARN". */
  label?: string;
  max?: number;
  copy?: boolean;
}) {
  const { value, label, max = 48, copy } = props;
  const classes = useStyles();
  const shown = shortenMiddle(value, max);
  return (
    <span className={classes.root} data-identifier={value}>
      {shown === value ? (
        <span className={classes.value}>{value}</span>
      ) : (
        <>
          <span className={classes.value} title={value} aria-hidden>
            {shown}
          </span>
          <span className={classes.visuallyHidden}>{value}</span>
        </>
      )}
      {copy && <CopyButton text={value} label={`Copy ${label ?? value}`} />}
    </span>
  );
}
