import { Fragment } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import {
  EntityOrphanWarning,
  EntityProcessingErrorsPanel,
  EntityRelationWarning,
  EntitySwitch,
  hasCatalogProcessingErrors,
  hasRelationWarnings,
  isOrphan,
} from '@backstage/plugin-catalog';
import type { EntityContentLayoutProps } from '@backstage/plugin-catalog-react/alpha';

const useStyles = makeStyles(theme => ({
  warnings: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(3),
    '&:empty': { display: 'none' },
  },
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(3),
    minWidth: 0,
  },
  info: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
    gap: theme.spacing(3),
    alignItems: 'start',
    marginTop: theme.spacing(3),
  },
}));

/**
 * The overview of a `cloudtrail-trail` Resource: its scorecard is long,
 * holds commands and JSON, and is the reason to open the page, so the
 * content cards take the whole width and the info cards (About, Links)
 * line up below instead of taking a third of every line.
 */
export function TrailPageLayout(props: EntityContentLayoutProps) {
  const classes = useStyles();
  const info = props.cards.filter(card => card.type === 'info');
  const content = props.cards.filter(card => card.type !== 'info');
  return (
    <>
      <div className={classes.warnings}>
        <EntitySwitch>
          <EntitySwitch.Case if={isOrphan}>
            <EntityOrphanWarning />
          </EntitySwitch.Case>
        </EntitySwitch>
        <EntitySwitch>
          <EntitySwitch.Case if={hasRelationWarnings}>
            <EntityRelationWarning />
          </EntitySwitch.Case>
        </EntitySwitch>
        <EntitySwitch>
          <EntitySwitch.Case if={hasCatalogProcessingErrors}>
            <EntityProcessingErrorsPanel />
          </EntitySwitch.Case>
        </EntitySwitch>
      </div>
      <div className={classes.content}>
        {content.map((card, index) => (
          <Fragment key={card.element.key ?? index}>{card.element}</Fragment>
        ))}
      </div>
      {info.length > 0 && (
        <div className={classes.info}>
          {info.map((card, index) => (
            <Fragment key={card.element.key ?? index}>{card.element}</Fragment>
          ))}
        </div>
      )}
    </>
  );
}
