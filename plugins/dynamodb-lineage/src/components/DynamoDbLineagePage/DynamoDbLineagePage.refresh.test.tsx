import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { demoOverview } from '../../testing/fixtures';
import { mockLineageApi } from '../../testing/mockApi';
import { permissionApi } from '../../testing/permissions';
import { DynamoDbLineagePage } from './DynamoDbLineagePage';

describe('DynamoDbLineagePage for users allowed to refresh', () => {
  it('refreshes every team, says how many account-regions, and reloads', async () => {
    const api = mockLineageApi({
      getTeams: async () => demoOverview,
      refresh: async () => ({ refreshed: 6 }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [dynamoDbLineageApiRef, api],
          [permissionApiRef, permissionApi(true)],
        ]}
      >
        <DynamoDbLineagePage />
      </TestApiProvider>,
    );

    fireEvent.click(await screen.findByRole('button', { name: 'Refresh now' }));

    expect(
      await screen.findByText('Refreshed 6 account-regions.'),
    ).toBeInTheDocument();
    expect(api.refresh).toHaveBeenCalledWith();
    await waitFor(() => expect(api.getTeams).toHaveBeenCalledTimes(2));
  });
});
