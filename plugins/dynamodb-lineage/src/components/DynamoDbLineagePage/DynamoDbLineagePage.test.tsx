import { ResponseError } from '@backstage/errors';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TeamsOverview } from '@lineage/plugin-dynamodb-lineage-common';
import {
  dynamoDbLineageApiRef,
  type DynamoDbLineageApi,
} from '../../api/DynamoDbLineageApi';
import {
  demoOverview,
  manyTeamsOverview,
  NOW,
  ordersTeam,
  ordersTrail,
} from '../../testing/fixtures';
import { runClockFrom } from '../../testing/clock';
import { errorResponse, mockLineageApi } from '../../testing/mockApi';
import { permissionApi } from '../../testing/permissions';
import { DynamoDbLineagePage } from './DynamoDbLineagePage';

async function renderPage(
  api: DynamoDbLineageApi,
  options: { mayRefresh?: boolean } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [dynamoDbLineageApiRef, api],
        [permissionApiRef, permissionApi(options.mayRefresh ?? false)],
      ]}
    >
      <DynamoDbLineagePage />
    </TestApiProvider>,
  );
}

function overviewApi(overview: TeamsOverview = demoOverview) {
  return mockLineageApi({ getTeams: async () => overview });
}

/**
 * The titles of the team rows currently in the DOM, from their team-page
 * links (a CSS query: role queries are too slow for a thousand-row table).
 */
function visibleTeams(): string[] {
  return Array.from(
    document.querySelectorAll('a[href^="/catalog/default/group/"]'),
  ).map(a => a.textContent ?? '');
}

beforeEach(() => {
  // A running clock: the table's search is debounced on Date.now().
  runClockFrom(NOW);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('DynamoDbLineagePage', () => {
  it('counts teams per status and shows the coverage', async () => {
    await renderPage(overviewApi());

    expect(await screen.findByTestId('counter-healthy')).toHaveTextContent(
      /^1Healthy$/,
    );
    expect(screen.getByTestId('counter-degraded')).toHaveTextContent(
      /^0Degraded$/,
    );
    expect(screen.getByTestId('counter-failing')).toHaveTextContent(
      /^2Failing$/,
    );
    expect(screen.getByTestId('counter-unknown')).toHaveTextContent(
      /^1Unknown$/,
    );
    expect(screen.getByTestId('counter-not-enabled')).toHaveTextContent(
      /^1Not enabled$/,
    );
    // 2 of the 6 account-regions have a working trail.
    expect(screen.getByTestId('counter-coverage')).toHaveTextContent('33%');
    expect(screen.getByText('Status refreshed 2 min ago.')).toBeInTheDocument();
  });

  it('lists every team with links to its page and to the template', async () => {
    await renderPage(overviewApi());

    const payments = await screen.findByRole('link', { name: 'Payments' });
    expect(payments).toHaveAttribute(
      'href',
      '/catalog/default/group/team-payments',
    );
    expect(visibleTeams()).toEqual([
      'Payments',
      'Orders',
      'Inventory',
      'Analytics',
      'Search',
    ]);
    const ordersRow = screen
      .getByRole('link', { name: 'Orders' })
      .closest('tr')!;
    expect(ordersRow).toHaveTextContent(
      'trail dynamodb-lineage: No log files delivered recently',
    );
    expect(ordersRow).toHaveTextContent('5 h ago (07:00 UTC)');
    // The same count wording as the team's card.
    expect(ordersRow).toHaveTextContent('3 failing · 1 warning');
    expect(ordersRow).toHaveTextContent('0 of 1 account-regions covered');
    expect(ordersRow).toHaveTextContent('222222222222');
    expect(within(ordersRow).getByText('Fix').closest('a')).toHaveAttribute(
      'href',
      `/create/templates/default/dynamodb-lineage?formData=${encodeURIComponent(
        JSON.stringify({
          owner: 'group:default/team-orders',
          accountId: '222222222222',
          region: 'us-east-1',
          trailName: ordersTrail.name,
          bucketName: ordersTrail.bucket,
        }),
      )}`,
    );
    const analyticsRow = screen
      .getByRole('link', { name: 'Analytics' })
      .closest('tr')!;
    expect(within(analyticsRow).getByText('Enable')).toBeInTheDocument();
    expect(screen.getByText('Open the template').closest('a')).toHaveAttribute(
      'href',
      '/create/templates/default/dynamodb-lineage',
    );
  });

  it('clamps a long reason to two lines, the whole of it in a tooltip', async () => {
    const reason = `333333333333 · us-east-1 · trail inventory-trail: ${'DynamoDB data events are not captured '.repeat(
      6,
    )}(+1 more)`;
    await renderPage(
      overviewApi({
        ...demoOverview,
        teams: demoOverview.teams.map(t =>
          t.title === 'Inventory'
            ? {
                ...t,
                reason,
                worstAccountRegion: { ...t.worstAccountRegion!, reason },
              }
            : t,
        ),
      }),
    );

    const row = (
      await screen.findByRole('link', { name: 'Inventory' })
    ).closest('tr')!;
    const cell = within(row).getByText(reason);
    expect(cell).toHaveStyle({ WebkitLineClamp: '2', overflow: 'hidden' });
    expect(cell).toHaveAttribute('title', reason);
    fireEvent.mouseOver(cell);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(reason);
  });

  it('filters by status when a counter is pressed, and back', async () => {
    await renderPage(overviewApi());

    fireEvent.click(await screen.findByTestId('counter-failing'));
    await waitFor(() =>
      expect(visibleTeams()).toEqual(['Orders', 'Inventory']),
    );
    expect(screen.getByTestId('counter-failing')).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    fireEvent.click(screen.getByTestId('counter-failing'));
    await waitFor(() => expect(visibleTeams()).toHaveLength(5));
  });

  it('searches teams by name, account and reason', async () => {
    await renderPage(overviewApi());
    await screen.findByRole('link', { name: 'Payments' });

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'inventory');
    await waitFor(() => expect(visibleTeams()).toEqual(['Inventory']));

    await userEvent.clear(screen.getByPlaceholderText('Filter'));
    await userEvent.type(screen.getByPlaceholderText('Filter'), 'AccessDenied');
    await waitFor(() => expect(visibleTeams()).toEqual(['Search']));
  });

  it('filters by region with the table filters', async () => {
    await renderPage(overviewApi());
    await screen.findByRole('link', { name: 'Payments' });

    fireEvent.click(screen.getByLabelText('filter list'));
    // The filter selects, in the order of the filters: status, team, account, region.
    const regionSelect = screen.getAllByTestId('select')[3];
    fireEvent.mouseDown(within(regionSelect).getByRole('button'));
    fireEvent.click(await screen.findByRole('option', { name: 'eu-west-1' }));
    // A multiple select stays open (hiding the page from queries) until Escape.
    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'Escape' });

    await waitFor(() => expect(visibleTeams()).toEqual(['Payments']));
  });

  it('drills down into the account-regions of a team', async () => {
    const api = mockLineageApi({
      getTeams: async () => demoOverview,
      getTeam: async () => ordersTeam,
    });
    await renderPage(api);

    const row = (await screen.findByRole('link', { name: 'Orders' })).closest(
      'tr',
    )!;
    fireEvent.click(within(row).getAllByRole('button')[0]);

    const detail = await screen.findByTestId(
      'team-detail-group:default/team-orders',
    );
    expect(api.getTeam).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'team-orders',
    });
    expect(
      await within(detail).findByTestId('check-freshness.delivery'),
    ).toHaveTextContent('Last delivery 5 h ago (07:00 UTC).');
    expect(
      within(detail).getByText('Fix with the template').closest('a'),
    ).toHaveAttribute(
      'href',
      `/create/templates/default/dynamodb-lineage?formData=${encodeURIComponent(
        JSON.stringify({
          owner: 'group:default/team-orders',
          accountId: '222222222222',
          region: 'us-east-1',
          trailName: ordersTrail.name,
          bucketName: ordersTrail.bucket,
        }),
      )}`,
    );
  });

  // Allowed users are in DynamoDbLineagePage.refresh.test.tsx: the permission
  // hook caches decisions per module instance, so each decision gets a file.
  it('hides "Refresh now" from users without the refresh permission', async () => {
    const api = overviewApi();
    await renderPage(api, { mayRefresh: false });
    await screen.findByTestId('counter-healthy');
    expect(
      screen.queryByRole('button', { name: 'Refresh now' }),
    ).not.toBeInTheDocument();
  });

  // Behaviour on more teams than one page holds; how fast 1,000 teams render
  // is measured in a browser by `npm run bench`, not here.
  it('pages, sorts and searches more teams than a page holds, with one page in the DOM', async () => {
    await renderPage(overviewApi(manyTeamsOverview(45)));

    expect((await screen.findAllByText('1-20 of 45')).length).toBeGreaterThan(
      0,
    );
    expect(visibleTeams()).toHaveLength(20);
    expect(visibleTeams()[0]).toBe('Team 0000');

    fireEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    await waitFor(() => expect(visibleTeams()[0]).toBe('Team 0020'));
    expect(screen.getAllByText('21-40 of 45').length).toBeGreaterThan(0);

    // Twice on the header: ascending, then descending.
    fireEvent.click(screen.getByText('Team', { selector: 'th *' }));
    fireEvent.click(screen.getByText('Team', { selector: 'th *' }));
    await waitFor(() => expect(visibleTeams()[0]).toBe('Team 0044'));

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'Team 0037');
    await waitFor(() => expect(visibleTeams()).toEqual(['Team 0037']));
  });

  describe('on a phone-sized screen', () => {
    const original = window.matchMedia;
    beforeEach(() => {
      // Every media query that asks for a narrow screen matches.
      window.matchMedia = (query: string) =>
        ({
          matches: /max-width/.test(query),
          media: query,
          addListener: () => {},
          removeListener: () => {},
          addEventListener: () => {},
          removeEventListener: () => {},
          onchange: null,
          dispatchEvent: () => false,
        } as MediaQueryList);
    });
    afterEach(() => {
      window.matchMedia = original;
    });

    it('stacks the teams instead of a table, with every value of a row', async () => {
      await renderPage(overviewApi());

      expect(
        await screen.findByRole('heading', { name: 'Teams', level: 2 }),
      ).toBeInTheDocument();
      expect(document.querySelector('table')).toBeNull();
      expect(visibleTeams()).toEqual([
        'Payments',
        'Orders',
        'Inventory',
        'Analytics',
        'Search',
      ]);
      const orders = screen
        .getByRole('link', { name: 'Orders' })
        .closest('li')!;
      expect(orders).toHaveTextContent('Failing');
      expect(orders).toHaveTextContent('3 failing · 1 warning');
      expect(orders).toHaveTextContent('0 of 1 account-regions covered');
      expect(orders).toHaveTextContent('222222222222');
      expect(orders).toHaveTextContent('Last delivery 5 h ago (07:00 UTC)');
      expect(orders).toHaveTextContent(
        'trail dynamodb-lineage: No log files delivered recently',
      );
      expect(
        within(orders).getByRole('button', {
          name: 'Fix lineage tracking for Orders',
        }),
      ).toHaveAttribute(
        'href',
        expect.stringContaining(encodeURIComponent('"trailName"')),
      );
    });

    it('searches, and shows twenty teams at a time', async () => {
      await renderPage(overviewApi(manyTeamsOverview(45)));
      await screen.findByRole('heading', { name: 'Teams', level: 2 });
      expect(visibleTeams()).toHaveLength(20);
      fireEvent.click(screen.getByRole('button', { name: 'Show 20 more' }));
      expect(visibleTeams()).toHaveLength(40);
      fireEvent.click(screen.getByRole('button', { name: 'Show 5 more' }));
      expect(visibleTeams()).toHaveLength(45);

      fireEvent.change(screen.getByLabelText('Search teams'), {
        target: { value: 'Team 0037' },
      });
      expect(visibleTeams()).toEqual(['Team 0037']);
      expect(screen.getByText('1 of 45 teams')).toBeInTheDocument();
    });
  });

  it('shows the backend error', async () => {
    const error = await ResponseError.fromResponse(
      errorResponse(
        403,
        'NotAllowedError',
        'Missing dynamodb-lineage.status.read',
      ),
    );
    await renderPage(
      mockLineageApi({
        getTeams: async () => {
          throw error;
        },
      }),
    );
    expect(
      (await screen.findAllByText(/Missing dynamodb-lineage.status.read/))
        .length,
    ).toBeGreaterThan(0);
  });
});
