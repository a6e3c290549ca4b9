import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  ALL_RELATION_PAIRS,
  ALL_RELATIONS,
  catalogGraphApiRef,
  DefaultCatalogGraphApi,
  Direction,
  EntityCatalogGraphCard,
} from '@backstage/plugin-catalog-graph';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isDataLineageAvailable } from '@lineage/plugin-dynamodb-lineage';
import {
  RELATION_READ_BY,
  RELATION_READS_FROM,
  RELATION_WRITES_TO,
  RELATION_WRITTEN_BY,
} from '@lineage/plugin-dynamodb-lineage-common';

/**
 * Observed data flow as the catalog graph knows it: each pair is drawn as one
 * arrow (writer → table, table → reader) instead of two opposite edges.
 */
export const DATA_FLOW_RELATION_PAIRS: [string, string][] = [
  [RELATION_WRITES_TO, RELATION_WRITTEN_BY],
  [RELATION_READ_BY, RELATION_READS_FROM],
];

export const catalogGraphApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: catalogGraphApiRef,
      deps: {},
      factory: () =>
        new DefaultCatalogGraphApi({
          knownRelations: [
            ...ALL_RELATIONS,
            ...DATA_FLOW_RELATION_PAIRS.flat(),
          ],
          knownRelationPairs: [
            ...ALL_RELATION_PAIRS,
            ...DATA_FLOW_RELATION_PAIRS,
          ],
          defaultRelationTypes: { exclude: [] },
        }),
    }),
});

/** Table hops the data-flow card follows: a writer's table, its readers' tables, and theirs. */
export const DATA_FLOW_MAX_DEPTH = 4;

/**
 * Data flow only, over several hops: writer → table → reader → table → …,
 * beside the catalog graph's own Relations card (one hop, every relation).
 */
export const dataFlowCard = EntityCardBlueprint.make({
  name: 'data-flow',
  params: {
    filter: isDataLineageAvailable,
    loader: async () => (
      <EntityCatalogGraphCard
        title="Data flow"
        relations={DATA_FLOW_RELATION_PAIRS.flat()}
        maxDepth={DATA_FLOW_MAX_DEPTH}
        direction={Direction.LEFT_RIGHT}
        height={360}
      />
    ),
  },
});

/**
 * Replaces the catalog graph's API so its entity card and page know the
 * data-flow relations the lineage catalog module emits (without it they are
 * unknown relation types and never drawn), and adds the data-flow card on
 * the entities data lineage is about.
 */
export const catalogGraphModule = createFrontendModule({
  pluginId: 'catalog-graph',
  extensions: [catalogGraphApi, dataFlowCard],
});
