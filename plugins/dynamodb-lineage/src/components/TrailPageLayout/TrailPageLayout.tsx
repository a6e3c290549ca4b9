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
  },
  above: { marginBottom: theme.spacing(3) },
  below: { marginTop: theme.spacing(3) },
}));

function Cards(props: { cards: EntityContentLayoutProps['cards'] }) {
  return (
    <>
      {props.cards.map((card, index) => (
        <Fragment key={card.element.key ?? index}>{card.element}</Fragment>
      ))}
    </>
  );
}

function Warnings() {
  const classes = useStyles();
  return (
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
  );
}

/**
 * Content cards over the whole width, one under the other; the info cards
 * side by side in a row of their own, above or below them.
 */
function FullWidthLayout(
  props: EntityContentLayoutProps & { info: 'above' | 'below' },
) {
  const classes = useStyles();
  const info = props.cards.filter(card => card.type === 'info');
  const content = props.cards.filter(card => card.type !== 'info');
  const infoRow = info.length > 0 && (
    <div className={`${classes.info} ${classes[props.info]}`}>
      <Cards cards={info} />
    </div>
  );
  return (
    <>
      <Warnings />
      {props.info === 'above' && infoRow}
      <div className={classes.content}>
        <Cards cards={content} />
      </div>
      {props.info === 'below' && infoRow}
    </>
  );
}

/**
 * The overview of a `cloudtrail-trail` Resource: its scorecard is long,
 * holds commands and JSON, and is the reason to open the page, so the
 * content cards take the whole width and the info cards (About, Links)
 * line up below instead of taking a third of every line.
 */
export function TrailPageLayout(props: EntityContentLayoutProps) {
  return <FullWidthLayout {...props} info="below" />;
}

/**
 * The overview of a Group: the profile first, then the content cards
 * (DynamoDB lineage, ownership, members) over the whole width, so a table of
 * account-regions is not squeezed into two thirds of the page.
 */
export function GroupPageLayout(props: EntityContentLayoutProps) {
  return <FullWidthLayout {...props} info="above" />;
}
