import { parseEntityRef } from '@backstage/catalog-model';

/** Where the software template that enables lineage tracking lives. */
export const TEMPLATE_PATH = '/create/templates/default/dynamodb-lineage';

/** The template, pre-filled through the scaffolder's `formData` query parameter. */
export function templateUrl(prefill?: {
  owner?: string;
  accountId?: string;
  region?: string;
}): string {
  if (!prefill) return TEMPLATE_PATH;
  const formData: Record<string, string> = {};
  if (prefill.owner) formData.owner = prefill.owner;
  if (prefill.accountId) formData.accountId = prefill.accountId;
  if (prefill.region) formData.region = prefill.region;
  return `${TEMPLATE_PATH}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

/** The catalog page of an entity, from its ref. */
export function entityPagePath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
}
