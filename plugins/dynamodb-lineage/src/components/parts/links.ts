import { parseEntityRef } from '@backstage/catalog-model';

/** Where the software template that enables lineage tracking lives. */
export const TEMPLATE_PATH = '/create/templates/default/dynamodb-lineage';

/**
 * What the template can be opened with; the keys are the template's
 * parameter names. `trailName` and `bucketName` point the template at the
 * trail that already covers the account-region, so a fix converges that
 * trail instead of creating a second one.
 */
export interface TemplatePrefill {
  owner?: string;
  accountId?: string;
  region?: string;
  trailName?: string;
  bucketName?: string;
}

const PREFILL_KEYS: (keyof TemplatePrefill)[] = [
  'owner',
  'accountId',
  'region',
  'trailName',
  'bucketName',
];

/** The template, pre-filled through the scaffolder's `formData` query parameter. */
export function templateUrl(prefill?: TemplatePrefill): string {
  if (!prefill) return TEMPLATE_PATH;
  const formData: Record<string, string> = {};
  for (const key of PREFILL_KEYS) {
    const value = prefill[key];
    if (value) formData[key] = value;
  }
  if (Object.keys(formData).length === 0) return TEMPLATE_PATH;
  return `${TEMPLATE_PATH}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

/** The pre-fill that fixes an account-region: its trail when one covers it. */
export function fixPrefill(
  owner: string | undefined,
  region: {
    accountId: string;
    region: string;
    coveringTrail?: { name: string; bucket: string; homeRegion: string };
  },
): TemplatePrefill {
  const trail = region.coveringTrail;
  return {
    owner,
    accountId: region.accountId,
    // A trail is changed in its home region.
    region: trail?.homeRegion ?? region.region,
    trailName: trail?.name,
    bucketName: trail?.bucket,
  };
}

/** The catalog page of an entity, from its ref. */
export function entityPagePath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
}
