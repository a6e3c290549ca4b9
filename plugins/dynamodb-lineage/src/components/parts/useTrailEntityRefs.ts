import useAsync from 'react-use/esm/useAsync';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_TRAIL_ARN,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
} from '@lineage/plugin-dynamodb-lineage-common';

/**
 * The catalog entity of each trail, by trail ARN, found through the ARN
 * annotation the trail provider writes: one catalog query for all of them.
 * Trails not (yet) in the catalog, or an app without the catalog API, give
 * no entry, and the trail is shown without a link.
 */
/** One empty answer: a new Map each render would re-render the tables forever. */
const NONE: ReadonlyMap<string, string> = new Map();

export function useTrailEntityRefs(
  arns: string[],
): ReadonlyMap<string, string> {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const unique = [...new Set(arns)].sort();
  const key = unique.join(',');
  const { value } = useAsync(async () => {
    const refs = new Map<string, string>();
    if (!catalogApi || unique.length === 0) return NONE;
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'Resource',
        'spec.type': RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
        [`metadata.annotations.${ANNOTATION_TRAIL_ARN}`]: unique,
      },
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.annotations',
      ],
    });
    for (const entity of items) {
      const arn = entity.metadata.annotations?.[ANNOTATION_TRAIL_ARN];
      if (arn) refs.set(arn, stringifyEntityRef(entity));
    }
    return refs;
    // `key` stands for the ARNs: a new array with the same ARNs is no change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);
  return value ?? NONE;
}
