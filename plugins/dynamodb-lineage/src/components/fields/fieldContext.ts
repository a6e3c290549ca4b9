import { lineageRequestFields } from '@lineage/plugin-dynamodb-lineage-common';
import type { PlanRequest } from '../../api/DynamoDbLineageApi';

/** Where a field finds the answers given earlier in the form. */
export interface SiblingFieldNames {
  /** Property holding the owning team's entity ref. Default `owner`. */
  ownerField?: string;
  /** Property holding the 12-digit account id. Default `accountId`. */
  accountField?: string;
  /** Property holding the region code. Default `region`. */
  regionField?: string;
}

/** The whole form's data, which the scaffolder hands every field. */
export function formDataOf(formContext: unknown): Record<string, unknown> {
  const formData = (formContext as { formData?: unknown } | undefined)
    ?.formData;
  return formData && typeof formData === 'object'
    ? (formData as Record<string, unknown>)
    : {};
}

function stringAt(data: Record<string, unknown>, key: string) {
  const value = data[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** Owner, account and region as chosen so far in the form. */
export function siblingValues(
  formContext: unknown,
  names: SiblingFieldNames = {},
) {
  const data = formDataOf(formContext);
  return {
    owner: stringAt(data, names.ownerField ?? 'owner'),
    accountId: stringAt(data, names.accountField ?? 'accountId'),
    region: stringAt(data, names.regionField ?? 'region'),
  };
}

/**
 * The request fields the form may collect besides owner, account, region and
 * scope (which the pickers name): every other field of the provisioning
 * request schema, passed to `/plan` as given.
 */
const OTHER_REQUEST_FIELDS = Object.keys(lineageRequestFields).filter(
  key => !['owner', 'accountId', 'region', 'scope'].includes(key),
);

/**
 * The `/plan` body from the form: owner, account, region and scope from the
 * pickers, any other spec field the template collects, and nothing else, so
 * the backend's defaults apply to what the user left alone.
 */
export function planRequestOf(
  formContext: unknown,
  names: SiblingFieldNames & { scopeField?: string } = {},
): PlanRequest | undefined {
  const data = formDataOf(formContext);
  const { owner, accountId, region } = siblingValues(formContext, names);
  if (!owner || !accountId || !region) return undefined;
  const request: PlanRequest = { owner, accountId, region };
  const scope = data[names.scopeField ?? 'scope'] as PlanRequest['scope'];
  if (scope && typeof scope === 'object' && 'mode' in scope) {
    request.scope = scope;
  }
  const optional = request as Record<string, unknown>;
  for (const key of OTHER_REQUEST_FIELDS) {
    const value = data[key];
    if (value === undefined || value === null || value === '') continue;
    optional[key] = value;
  }
  // Templates ask for the log encryption as one choice, as the bundled
  // template does, and map it to the request's fields in their step input.
  const encryption = data.encryption;
  if (encryption === 'dedicated-key') {
    request.createKmsKey = true;
    delete request.kmsKeyId;
  } else if (encryption === 'sse-s3') {
    delete request.createKmsKey;
    delete request.kmsKeyId;
  } else if (encryption === 'existing-key') {
    delete request.createKmsKey;
  }
  // Templates often ask for the lifecycle days as two flat numbers.
  if (!request.lifecycle) {
    const glacierAfterDays = data.glacierAfterDays;
    const expireAfterDays = data.expireAfterDays;
    if (typeof glacierAfterDays === 'number') {
      request.lifecycle = {
        glacierAfterDays,
        ...(typeof expireAfterDays === 'number' ? { expireAfterDays } : {}),
      };
    }
  }
  return request;
}
