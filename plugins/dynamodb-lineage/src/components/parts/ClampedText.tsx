import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { BREAK_WORD } from './textStyles';

const useStyles = makeStyles({
  clamped: {
    display: '-webkit-box',
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    ...BREAK_WORD,
  },
});

/**
 * Text cut to a few lines for a table cell; the whole text is in the
 * tooltip, and stays in the DOM so search and copy see all of it.
 */
export function ClampedText(props: {
  text?: string;
  lines?: number;
  'data-testid'?: string;
}) {
  const { text, lines = 2 } = props;
  const classes = useStyles();
  if (!text) return null;
  return (
    <Tooltip title={text} placement="bottom-start" enterDelay={300}>
      <Typography
        variant="body2"
        component="div"
        className={classes.clamped}
        style={{ WebkitLineClamp: lines }}
        data-testid={props['data-testid']}
      >
        {text}
      </Typography>
    </Tooltip>
  );
}
