import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_TRAIL_ARN,
  RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
} from '@lineage/plugin-dynamodb-lineage-common';

/**
 * The catalog entity of a trail, when the catalog already has it. A trail
 * created just now appears only at the entity provider's next refresh.
 */
export async function findTrailEntityRef(options: {
  trailArn: string;
  credentials: BackstageCredentials;
  catalog: CatalogService;
}): Promise<string | undefined> {
  const { trailArn, credentials, catalog } = options;
  const { items } = await catalog.getEntities(
    {
      filter: {
        kind: 'Resource',
        'spec.type': RESOURCE_TYPE_CLOUDTRAIL_TRAIL,
        [`metadata.annotations.${ANNOTATION_TRAIL_ARN}`]: trailArn,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  return items.length ? stringifyEntityRef(items[0]) : undefined;
}
