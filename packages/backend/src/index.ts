import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// Guest sign-in for local use only; see app-config.production.yaml for real providers.
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
// The policy lives in its own module so adopters can swap it for theirs.
backend.add(import('./permissionPolicy'));

backend.add(import('@lineage/plugin-dynamodb-lineage-backend'));
backend.add(
  import('@lineage/plugin-scaffolder-backend-module-dynamodb-lineage'),
);
backend.add(import('@lineage/plugin-catalog-backend-module-dynamodb-lineage'));

backend.start();
