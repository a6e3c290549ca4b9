import { ANNOTATION_ORIGIN_LOCATION, Entity } from '@backstage/catalog-model';
import { DeferredEntity } from '@backstage/plugin-catalog-node';

/**
 * An entity the provider `providerName` emitted earlier (its origin location
 * is `<providerName>:…`), read back from the catalog, in the shape a provider
 * emits: without the fields the catalog adds (uid, etag, relations, status).
 * Entities from any other source give `undefined`.
 */
export function toRetainedEntity(
  entity: Entity,
  providerName: string,
): DeferredEntity | undefined {
  const location = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
  if (!location?.startsWith(`${providerName}:`)) return undefined;
  const { uid, etag, ...metadata } = entity.metadata;
  return {
    entity: {
      apiVersion: entity.apiVersion,
      kind: entity.kind,
      metadata,
      ...(entity.spec ? { spec: entity.spec } : {}),
    },
    locationKey: location,
  };
}
