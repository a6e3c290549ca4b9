import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import dynamoDbLineagePlugin from '@lineage/plugin-dynamodb-lineage/alpha';
import { catalogGraphModule } from './modules/catalogGraph';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    catalogGraphPlugin,
    catalogGraphModule,
    scaffolderPlugin,
    orgPlugin,
    userSettingsPlugin,
    dynamoDbLineagePlugin,
    homeModule,
    navModule,
    signInModule,
  ],
});
