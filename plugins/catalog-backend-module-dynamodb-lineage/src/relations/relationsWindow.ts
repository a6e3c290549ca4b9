import { Config } from '@backstage/config';
import {
  LINEAGE_GRAPH_MAX_DAYS,
  LINEAGE_RELATIONS_DEFAULT_DAYS,
} from '@lineage/plugin-dynamodb-lineage-common';

const WINDOW_KEY = 'dynamodbLineage.lineage.relationsWindow';

/**
 * Days of lineage edges the data-flow relations cover, from
 * `dynamodbLineage.lineage.relationsWindow`: a whole number of days within the
 * lineage API's bounds. Throws naming the key otherwise.
 */
export function readRelationsWindow(config: Config): number {
  const days =
    config.getOptionalNumber(WINDOW_KEY) ?? LINEAGE_RELATIONS_DEFAULT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > LINEAGE_GRAPH_MAX_DAYS) {
    throw new Error(
      `${WINDOW_KEY} must be a whole number of days from 1 to ${LINEAGE_GRAPH_MAX_DAYS}, got ${days}`,
    );
  }
  return days;
}
