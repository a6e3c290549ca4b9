import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  isFinalForensicsStatus,
  type ForensicsQueryInput,
  type ForensicsQueryResponse,
  type ForensicsRow,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';

export const POLL_INTERVAL_MS = 1000;

export interface ForensicsQueryState {
  /** Set while the query is being started. */
  starting: boolean;
  response?: ForensicsQueryResponse;
  /** Every row read so far, over the pages loaded. */
  rows: ForensicsRow[];
  error?: Error;
}

/**
 * Starts a forensics query, polls it until it finishes, and loads further
 * pages on demand. A new `start` forgets the previous query.
 */
export function useForensicsQuery(pollIntervalMs = POLL_INTERVAL_MS) {
  const api = useApi(dynamoDbLineageApiRef);
  const [state, setState] = useState<ForensicsQueryState>({
    starting: false,
    rows: [],
  });
  // The query being followed; polls of an older one are dropped.
  const current = useRef<string | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(
    () => () => {
      current.current = undefined;
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const poll = useCallback(
    async (id: string) => {
      try {
        const response = await api.getForensicsQuery(id);
        if (current.current !== id) return;
        setState({ starting: false, response, rows: response.rows });
        if (!isFinalForensicsStatus(response.status)) {
          timer.current = setTimeout(() => poll(id), pollIntervalMs);
        }
      } catch (error) {
        if (current.current === id) {
          setState(s => ({ ...s, starting: false, error: error as Error }));
        }
      }
    },
    [api, pollIntervalMs],
  );

  const start = useCallback(
    async (query: ForensicsQueryInput) => {
      if (timer.current) clearTimeout(timer.current);
      current.current = undefined;
      setState({ starting: true, rows: [] });
      try {
        const { id } = await api.startForensicsQuery(query);
        current.current = id;
        await poll(id);
      } catch (error) {
        setState({ starting: false, rows: [], error: error as Error });
      }
    },
    [api, poll],
  );

  const cancel = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    try {
      const response = await api.cancelForensicsQuery(id);
      if (current.current !== id) return;
      if (timer.current) clearTimeout(timer.current);
      setState(s => ({ ...s, response, rows: response.rows }));
    } catch (error) {
      setState(s => ({ ...s, error: error as Error }));
    }
  }, [api]);

  const loadMore = useCallback(async () => {
    const id = current.current;
    const nextToken = state.response?.nextToken;
    if (!id || !nextToken) return;
    try {
      const page = await api.getForensicsQuery(id, { nextToken });
      if (current.current !== id) return;
      setState(s => ({
        ...s,
        response: page,
        rows: [...s.rows, ...page.rows],
      }));
    } catch (error) {
      setState(s => ({ ...s, error: error as Error }));
    }
  }, [api, state.response?.nextToken]);

  return { state, start, cancel, loadMore };
}
