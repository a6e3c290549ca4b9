import { InputError } from '@backstage/errors';
import {
  DEFAULT_FORENSICS_PAGE_SIZE,
  MAX_FORENSICS_PAGE_SIZE,
  type ForensicsEngineName,
  type ForensicsQuery,
  type ForensicsQueryPage,
} from '@lineage/plugin-dynamodb-lineage-common';

/** Which page of a query's rows to read. */
export interface ForensicsPageRequest {
  /** The `nextToken` of the previous page; absent for the first. */
  nextToken?: string;
  /** Rows per page, at most `MAX_FORENSICS_PAGE_SIZE`; default `DEFAULT_FORENSICS_PAGE_SIZE`. */
  pageSize?: number;
}

/**
 * Runs forensics queries asynchronously: `start` returns at once with an id,
 * `get` reports the progress and, once succeeded, pages through the rows;
 * `cancel` stops a query that has not finished (a finished one stays as it
 * is). Queries reach the engine validated (`parseForensicsQuery`); an engine
 * throws `NotFoundError` for an id it does not know and `InputError` for a
 * page token it did not issue or a query it cannot answer (for example a
 * range outside what it covers).
 */
export interface ForensicsEngine {
  readonly name: ForensicsEngineName;
  start(query: ForensicsQuery): Promise<string>;
  get(id: string, page?: ForensicsPageRequest): Promise<ForensicsQueryPage>;
  cancel(id: string): Promise<void>;
}

/** The rows per page a request asks for, the default when it names none; `InputError` when out of range. */
export function forensicsPageSize(page: ForensicsPageRequest): number {
  const pageSize = page.pageSize ?? DEFAULT_FORENSICS_PAGE_SIZE;
  if (
    !Number.isInteger(pageSize) ||
    pageSize < 1 ||
    pageSize > MAX_FORENSICS_PAGE_SIZE
  ) {
    throw new InputError(
      `pageSize must be an integer from 1 to ${MAX_FORENSICS_PAGE_SIZE}`,
    );
  }
  return pageSize;
}
