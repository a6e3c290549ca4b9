import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  ALL_RELATIONS,
  type CatalogGraphApi,
} from '@backstage/plugin-catalog-graph';
import {
  RELATION_READ_BY,
  RELATION_READS_FROM,
  RELATION_WRITES_TO,
  RELATION_WRITTEN_BY,
} from '@lineage/plugin-dynamodb-lineage-common';
import { catalogGraphApi } from '.';

function graphApi(): CatalogGraphApi {
  const factory = createExtensionTester(catalogGraphApi).get(
    ApiBlueprint.dataRefs.factory,
  );
  return factory.factory({}) as CatalogGraphApi;
}

describe('catalog graph API of the app', () => {
  it('pairs the data-flow relations so arrows run writer → table → reader', () => {
    const api = graphApi();
    // A pair is [forward, backward]: the graph draws the forward relation.
    expect(api.knownRelationPairs).toContainEqual([
      RELATION_WRITES_TO,
      RELATION_WRITTEN_BY,
    ]);
    expect(api.knownRelationPairs).toContainEqual([
      RELATION_READ_BY,
      RELATION_READS_FROM,
    ]);
  });

  it('draws data flow by default and keeps the catalog relations', () => {
    const api = graphApi();
    for (const relation of [
      RELATION_WRITES_TO,
      RELATION_WRITTEN_BY,
      RELATION_READS_FROM,
      RELATION_READ_BY,
      ...ALL_RELATIONS,
    ]) {
      expect(api.knownRelations).toContain(relation);
      expect(api.defaultRelations).toContain(relation);
    }
  });
});
