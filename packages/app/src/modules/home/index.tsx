import { Navigate } from 'react-router-dom';
import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

/**
 * Where signing in and the sidebar logo lead: the lineage overview, the
 * page this app is for. Without a page at `/` both ended on "page not
 * found". A page without a title stays out of the navigation.
 */
export const LANDING_PATH = '/dynamodb-lineage';

const landingPage = PageBlueprint.make({
  name: 'landing',
  params: {
    path: '/',
    noHeader: true,
    loader: async () => <Navigate to={LANDING_PATH} replace />,
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [landingPage],
});
