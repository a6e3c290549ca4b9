import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';

/** Emits `source -type-> target` and its inverse `target -inverse-> source`. */
export function emitRelationPair(
  emit: CatalogProcessorEmit,
  source: CompoundEntityRef,
  type: string,
  targetRef: string,
  inverse: string,
): void {
  const target = parseEntityRef(targetRef);
  emit(processingResult.relation({ source, type, target }));
  emit(
    processingResult.relation({
      source: target,
      type: inverse,
      target: source,
    }),
  );
}
