import { Link } from '@backstage/core-components';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import { entityPagePath } from './links';

/**
 * A catalog entity by its display name (title, or profile display name),
 * linked to its page; the ref itself is on hover.
 */
export function EntityLink(props: { entityRef: string; title?: string }) {
  const { entityRef, title } = props;
  return (
    <Link to={entityPagePath(entityRef)} title={entityRef}>
      {title ?? <EntityDisplayName entityRef={entityRef} hideIcon />}
    </Link>
  );
}
