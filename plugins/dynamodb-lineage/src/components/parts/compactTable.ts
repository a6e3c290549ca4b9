import { makeStyles } from '@material-ui/core/styles';

/**
 * Wraps a table whose columns must share a card or a laptop screen: the
 * theme's cell padding alone would take a third of the width and squeeze the
 * one column that needs room.
 */
export const useCompactTableStyles = makeStyles(theme => ({
  compactCells: {
    '& th, & td': {
      paddingLeft: theme.spacing(1.5),
      paddingRight: theme.spacing(1.5),
    },
  },
}));
