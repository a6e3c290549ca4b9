import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  ANNOTATION_TABLE_ARNS,
  RESOURCE_TYPE_DYNAMODB_TABLE,
  type LineageGraph,
} from '@lineage/plugin-dynamodb-lineage-common';
import type { DynamoDbLineageApi } from '../../api/DynamoDbLineageApi';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { NOW } from '../../testing/fixtures';
import {
  paymentsGraph,
  paymentsTableActivity,
} from '../../testing/lineageGraphFixtures';
import { errorResponse, mockLineageApi } from '../../testing/mockApi';
import { LineageGraphCard } from './LineageGraphCard';

const PAYMENTS = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    title: 'Payments API',
    annotations: {
      [ANNOTATION_IAM_ROLE_ARNS]: 'arn:aws:iam::111111111111:role/payments-api',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

const paymentsTable: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: '111111111111-us-east-1-payments',
    namespace: 'default',
    title: 'payments',
    annotations: { [ANNOTATION_TABLE_ARNS]: PAYMENTS },
  },
  spec: { type: RESOURCE_TYPE_DYNAMODB_TABLE, owner: 'team-payments' },
};

const tableRootedGraph: LineageGraph = {
  ...paymentsGraph,
  root: { tableArn: PAYMENTS },
  rootNodeId: PAYMENTS,
  depth: 1,
  nodes: paymentsGraph.nodes.filter(n => n.title !== 'ledger'),
  edges: paymentsGraph.edges.filter(
    e => e.target === PAYMENTS || e.source === PAYMENTS,
  ),
  findings: [],
};

async function renderCard(entity: Entity, api: DynamoDbLineageApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dynamoDbLineageApiRef, api]]}>
      <EntityProvider entity={entity}>
        <LineageGraphCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW.getTime());
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('LineageGraphCard on a component', () => {
  it('shows writers → table → readers by name, with counts, last seen and the ingestion lag', async () => {
    const api = mockLineageApi({ getLineageGraph: async () => paymentsGraph });
    await renderCard(paymentsApi, api);

    const payments = await screen.findByTestId('lineage-flow-payments');
    expect(api.getLineageGraph).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      days: 7,
    });
    const writers = within(payments).getByRole('region', {
      name: 'Writers of payments',
    });
    expect(
      within(writers).getByRole('link', { name: 'Payments API' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(within(writers).getByText('this entity')).toBeInTheDocument();
    expect(writers).toHaveTextContent(
      '310 writes · 2 errors · last seen 8 min ago',
    );
    const readers = within(payments).getByRole('region', {
      name: 'Readers of payments',
    });
    expect(
      within(readers).getByRole('link', { name: 'settlement-job' }),
    ).toHaveAttribute('href', '/catalog/default/component/settlement-job');
    expect(readers).toHaveTextContent('900 reads · last seen 1 h ago');
    // The table by its Resource, not its ARN.
    expect(
      within(payments).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/111111111111-us-east-1-payments',
    );
    expect(screen.getByTestId('lineage-lag')).toHaveTextContent(
      'Lineage 4 min behind delivery · 2026-02-24 to 2026-03-02 (UTC)',
    );
  });

  it('calls out the unmapped principal from another account with its hint, one hop further', async () => {
    await renderCard(
      paymentsApi,
      mockLineageApi({ getLineageGraph: async () => paymentsGraph }),
    );
    const ledger = await screen.findByTestId('lineage-flow-ledger');
    const readers = within(ledger).getByRole('region', {
      name: 'Readers of ledger',
    });
    expect(within(readers).getByText('Unmapped')).toBeInTheDocument();
    // Its short form, the whole ARN on hover and to copy.
    expect(within(readers).getByText('role/reporting-job')).toHaveAttribute(
      'title',
      'arn:aws:iam::222222222222:role/reporting-job',
    );
    expect(
      within(readers).getByRole('button', {
        name: 'Copy arn:aws:iam::222222222222:role/reporting-job',
      }),
    ).toBeInTheDocument();
    expect(readers).toHaveTextContent('Cross-account 222222222222');
    expect(readers).toHaveTextContent(
      'who owns role/reporting-job? annotate its component with dynamodb-lineage/iam-role-arns',
    );
    // A table without a Resource keeps its name, unlinked.
    expect(within(ledger).queryByRole('link', { name: 'ledger' })).toBeNull();
    // Nearest first: payments before ledger.
    const order = screen
      .getAllByTestId(/^lineage-flow-/)
      .map(e => e.getAttribute('data-testid'));
    expect(order).toEqual(['lineage-flow-payments', 'lineage-flow-ledger']);
  });

  it('lists the governance findings', async () => {
    await renderCard(
      paymentsApi,
      mockLineageApi({ getLineageGraph: async () => paymentsGraph }),
    );
    const findings = await screen.findByTestId('lineage-findings');
    expect(
      within(findings).getByRole('heading', {
        name: 'Governance findings (2)',
      }),
    ).toBeInTheDocument();
    expect(findings).toHaveTextContent('Undeclared access');
    expect(findings).toHaveTextContent(
      'wrote ledger without declaring it in dynamodb-lineage/table-arns',
    );
    expect(findings).toHaveTextContent('Unmapped principal');
  });

  it('opens a table daily activity on demand', async () => {
    const api = mockLineageApi({
      getLineageGraph: async () => paymentsGraph,
      getTableActivity: async () => paymentsTableActivity,
    });
    await renderCard(paymentsApi, api);
    const payments = await screen.findByTestId('lineage-flow-payments');
    expect(screen.queryByTestId('activity-chart')).toBeNull();
    const button = within(payments).getByRole('button', {
      name: 'Daily activity',
    });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(button);
    expect(
      await screen.findByRole('img', {
        name: 'Daily calls on payments: 900 reads, 310 writes, 2 errors over 3 days',
      }),
    ).toBeInTheDocument();
    expect(api.getTableActivity).toHaveBeenCalledWith({
      tableArn: PAYMENTS,
      days: 7,
    });
    expect(
      within(payments).getByRole('button', { name: 'Hide daily activity' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('asks again for the window the reader picks', async () => {
    const api = mockLineageApi({ getLineageGraph: async () => paymentsGraph });
    await renderCard(paymentsApi, api);
    await screen.findByTestId('lineage-flow-payments');
    await userEvent.click(screen.getByRole('button', { name: /Last 7 days/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 30 days' }),
    );
    await waitFor(() =>
      expect(api.getLineageGraph).toHaveBeenLastCalledWith({
        entityRef: 'component:default/payments-api',
        days: 30,
      }),
    );
  });

  it('says what to annotate when a component without roles has no traffic', async () => {
    const empty: LineageGraph = {
      ...paymentsGraph,
      rootNodeId: 'component:default/storefront',
      nodes: [],
      edges: [],
      findings: [],
    };
    await renderCard(
      {
        ...paymentsApi,
        metadata: { name: 'storefront', namespace: 'default' },
      },
      mockLineageApi({ getLineageGraph: async () => empty }),
    );
    const none = await screen.findByTestId('lineage-no-traffic');
    expect(none).toHaveTextContent(
      'No DynamoDB call of storefront in the last 7 days.',
    );
    expect(none).toHaveTextContent(ANNOTATION_IAM_ROLE_ARNS);
    expect(screen.queryByTestId('lineage-findings')).toBeNull();
  });

  it('shows why the lineage did not load, and tries again', async () => {
    let calls = 0;
    const api = mockLineageApi({
      getLineageGraph: async () => {
        calls += 1;
        if (calls === 1) {
          throw await ResponseError.fromResponse(
            errorResponse(503, 'ServiceUnavailableError', 'database is down'),
          );
        }
        return paymentsGraph;
      },
    });
    await renderCard(paymentsApi, api);
    expect(
      await screen.findByText('Error: Could not load the data lineage'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('load-error-reason')).toHaveTextContent(
      'database is down',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByTestId('lineage-flow-payments'),
    ).toBeInTheDocument();
    expect(api.getLineageGraph).toHaveBeenCalledTimes(2);
  });
});

describe('LineageGraphCard on a dynamodb-table Resource', () => {
  it('shows the table writers and readers with its daily activity open', async () => {
    const api = mockLineageApi({
      getLineageGraph: async () => tableRootedGraph,
      getTableActivity: async () => paymentsTableActivity,
    });
    await renderCard(paymentsTable, api);
    const payments = await screen.findByTestId('lineage-flow-payments');
    // From the table, not from the Resource as a caller.
    expect(api.getLineageGraph).toHaveBeenCalledWith({
      tableArn: PAYMENTS,
      days: 7,
    });
    expect(within(payments).getByText('this table')).toBeInTheDocument();
    const chart = await screen.findByTestId('activity-chart');
    // The numbers behind the bars, for screen readers.
    const rows = within(chart)
      .getAllByRole('row')
      .map(row =>
        [...row.querySelectorAll('th, td')].map(cell => cell.textContent),
      );
    expect(rows).toEqual([
      ['Day', 'Reads', 'Writes', 'Errors'],
      ['2026-02-28', '300', '100', '0'],
      ['2026-03-01', '400', '110', '2'],
      ['2026-03-02', '200', '100', '0'],
    ]);
  });

  it('says which annotation a table Resource lacks instead of asking', async () => {
    const api = mockLineageApi();
    await renderCard(
      {
        ...paymentsTable,
        metadata: { ...paymentsTable.metadata, annotations: {} },
      },
      api,
    );
    expect(await screen.findByTestId('missing-annotation')).toHaveTextContent(
      `Missing annotation: ${ANNOTATION_TABLE_ARNS}`,
    );
    expect(api.getLineageGraph).not.toHaveBeenCalled();
  });

  it('says nobody called the table when the window is empty', async () => {
    await renderCard(
      paymentsTable,
      mockLineageApi({
        getLineageGraph: async () => ({
          ...tableRootedGraph,
          nodes: [],
          edges: [],
        }),
      }),
    );
    expect(
      await screen.findByText(
        'Nobody read or wrote payments in the last 7 days.',
      ),
    ).toBeInTheDocument();
  });
});
