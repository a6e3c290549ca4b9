import { makeStyles } from '@material-ui/core/styles';

/**
 * Long unbroken strings (ARNs, CLI commands, bucket names) wrap anywhere
 * instead of widening their container.
 */
export const BREAK_WORD = {
  wordBreak: 'break-word',
  overflowWrap: 'anywhere',
} as const;

/** Short values (status words, ages, buttons) stay on one line. */
export const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** Read by screen readers, not drawn. */
export const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

export const useTextStyles = makeStyles({
  breakWord: BREAK_WORD,
  noWrap: NO_WRAP,
});
