import type { PermissionApi } from '@backstage/plugin-permission-react';

type PermissionResponse = Awaited<ReturnType<PermissionApi['authorize']>>;

/** A permission API that answers every request with the same decision. */
export function permissionApi(allowed: boolean): PermissionApi {
  const response = {
    result: allowed ? 'ALLOW' : 'DENY',
  } as PermissionResponse;
  return { authorize: async () => response };
}
