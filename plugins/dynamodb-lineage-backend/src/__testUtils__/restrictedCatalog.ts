import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ownerOf } from '@lineage/plugin-dynamodb-lineage-node';

/**
 * A catalog where one user may not read a team: neither the Group nor
 * anything it owns, as a `catalog.entity.read` policy with the
 * `isEntityOwner`-style conditional decision would answer. Every other caller
 * reads everything.
 */
export function restrictedCatalog(options: {
  entities: Entity[];
  user: string;
  hiddenTeam: string;
}): CatalogService {
  const { entities, user, hiddenTeam } = options;
  const full = catalogServiceMock({ entities });
  const restricted = catalogServiceMock({
    entities: entities.filter(
      entity =>
        stringifyEntityRef(entity) !== hiddenTeam &&
        ownerOf(entity) !== hiddenTeam,
    ),
  });
  const isRestricted = (credentials?: BackstageCredentials) =>
    (credentials?.principal as { userEntityRef?: string } | undefined)
      ?.userEntityRef === user;
  return new Proxy(full, {
    get(target, property: keyof CatalogService) {
      const method = target[property];
      if (typeof method !== 'function') return method;
      return (...args: unknown[]) => {
        const last = args[args.length - 1] as
          | { credentials?: BackstageCredentials }
          | undefined;
        const catalog = isRestricted(last?.credentials) ? restricted : full;
        return (catalog[property] as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}

export function restrictedCatalogFactory(
  options: Parameters<typeof restrictedCatalog>[0],
) {
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => restrictedCatalog(options),
  });
}
