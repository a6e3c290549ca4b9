import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ANNOTATION_IAM_ROLE_ARNS,
  ANNOTATION_TABLE_ARNS,
  RESOURCE_TYPE_DYNAMODB_TABLE,
  type ForensicsQueryResponse,
} from '@lineage/plugin-dynamodb-lineage-common';
import type { DynamoDbLineageApi } from '../../api/DynamoDbLineageApi';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import { NOW } from '../../testing/fixtures';
import { errorResponse, mockLineageApi } from '../../testing/mockApi';
import { permissionApi } from '../../testing/permissions';
import { ForensicsContent } from './ForensicsContent';
import { formatBytes, formatCost } from './ForensicsResult';

const PAYMENTS = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const REPORTING_JOB = 'arn:aws:iam::111111111111:role/reporting-job';
const ALICE = 'arn:aws:iam::111111111111:user/alice';
const ID = '6f1c9a52-4c1d-4d8e-9a53-0b7f4f1e2d3c';

const paymentsTable: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: '111111111111-us-east-1-payments',
    annotations: { [ANNOTATION_TABLE_ARNS]: PAYMENTS },
  },
  spec: { type: RESOURCE_TYPE_DYNAMODB_TABLE, owner: 'team-payments' },
};

const reportingJob: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'reporting-job',
    annotations: { [ANNOTATION_IAM_ROLE_ARNS]: REPORTING_JOB },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

const itemQuery = {
  kind: 'item-history' as const,
  tableArn: PAYMENTS,
  key: { id: 'order#123' },
  from: new Date(NOW.getTime() - 24 * 3_600_000).toISOString(),
  to: NOW.toISOString(),
};

function response(
  patch: Partial<ForensicsQueryResponse>,
): ForensicsQueryResponse {
  return {
    id: ID,
    query: itemQuery,
    submittedAt: NOW.toISOString(),
    status: 'succeeded',
    engine: 'logs',
    bytesScanned: 3_565_158,
    costUsd: 0.0000134,
    truncated: false,
    note: 'read the delivered logs directly: last 24 h only',
    rows: [],
    ...patch,
  };
}

const history = [
  {
    eventTime: '2026-03-01T11:40:00Z',
    eventId: 'e3',
    eventName: 'BatchGetItem',
    kind: 'read' as const,
    principal: 'arn:aws:iam::111111111111:root',
    principalType: 'Root',
    region: 'us-east-1',
    tableArn: PAYMENTS,
  },
  {
    eventTime: '2026-03-01T11:30:00Z',
    eventId: 'e2',
    eventName: 'TransactWriteItems',
    kind: 'write' as const,
    principal: ALICE,
    principalType: 'IAMUser',
    identityArn: ALICE,
    sourceIpAddress: '198.51.100.7',
    region: 'us-east-1',
    tableArn: PAYMENTS,
  },
];

async function render(entity: Entity, api: DynamoDbLineageApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [dynamoDbLineageApiRef, api],
        [permissionApiRef, permissionApi(true)],
      ]}
    >
      <EntityProvider entity={entity}>
        <ForensicsContent pollIntervalMs={1} />
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

describe('ForensicsContent', () => {
  it('finds who last changed an item of the table, polling until done, with engine, bytes scanned, cost and pages', async () => {
    const pages = [
      response({ status: 'running', rows: [] }),
      response({ rows: [history[0]], nextToken: 'cm93czox' }),
    ];
    const api = mockLineageApi({
      startForensicsQuery: async () => ({
        id: ID,
        status: 'queued',
        engine: 'logs',
      }),
      getForensicsQuery: async (_id, page) =>
        page?.nextToken
          ? response({ rows: [history[1]] })
          : pages.shift() ??
            response({ rows: [history[0]], nextToken: 'cm93czox' }),
    });
    await render(paymentsTable, api);
    const form = await screen.findByRole('form', { name: 'Item history' });
    expect(within(form).getByLabelText('Table ARN')).toHaveValue(PAYMENTS);
    await userEvent.type(
      within(form).getByLabelText('Partition key name'),
      'id',
    );
    await userEvent.type(
      within(form).getByLabelText('Partition key value'),
      'order#123',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Find item history' }),
    );

    const figures = await screen.findByTestId('forensics-figures');
    await waitFor(() => expect(figures).toHaveTextContent('Status: succeeded'));
    expect(api.startForensicsQuery).toHaveBeenCalledWith(itemQuery);
    expect(figures).toHaveTextContent('Engine: Delivered logs, read directly');
    expect(figures).toHaveTextContent('Bytes scanned: 3.4 MB');
    expect(figures).toHaveTextContent('Cost: $0.000013');
    expect(
      screen.getByText('read the delivered logs directly: last 24 h only'),
    ).toBeInTheDocument();
    // The first page holds only the read; the change comes with the next.
    expect(screen.getByTestId('last-change')).toHaveTextContent(
      'No change of this item',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(screen.getByTestId('last-change')).toHaveTextContent(
        `Last change: TransactWriteItems by ${ALICE}`,
      ),
    );
    expect(api.getForensicsQuery).toHaveBeenLastCalledWith(ID, {
      nextToken: 'cm93czox',
    });
    const table = screen.getByRole('table', { name: 'Item history' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('198.51.100.7')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it("shows what the component's role did, per table and operation", async () => {
    const api = mockLineageApi({
      startForensicsQuery: async () => ({
        id: ID,
        status: 'succeeded',
        engine: 'athena',
      }),
      getForensicsQuery: async () =>
        response({
          engine: 'athena',
          bytesScanned: 10 * 1024 * 1024,
          costUsd: 0.0000476837158203125,
          note: undefined,
          query: {
            kind: 'principal-activity',
            principal: REPORTING_JOB,
            from: itemQuery.from,
            to: itemQuery.to,
          },
          rows: [
            {
              accountId: '111111111111',
              region: 'us-east-1',
              tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger',
              operation: 'Query',
              kind: 'read',
              calls: 1234,
              errors: 2,
              firstSeen: '2026-03-01T02:00:00Z',
              lastSeen: '2026-03-01T11:55:00Z',
            },
          ],
        }),
    });
    await render(reportingJob, api);
    const form = await screen.findByRole('form', {
      name: 'Principal activity',
    });
    expect(
      within(form).getByLabelText('Principal (IAM role or user ARN)'),
    ).toHaveValue(REPORTING_JOB);
    await userEvent.click(
      within(form).getByRole('button', { name: 'Find activity' }),
    );
    const table = await screen.findByRole('table', {
      name: 'Principal activity',
    });
    expect(api.startForensicsQuery).toHaveBeenCalledWith({
      kind: 'principal-activity',
      principal: REPORTING_JOB,
      from: itemQuery.from,
      to: itemQuery.to,
    });
    expect(within(table).getByText('1,234')).toBeInTheDocument();
    expect(within(table).getByText('Query')).toBeInTheDocument();
    expect(screen.getByTestId('forensics-figures')).toHaveTextContent(
      'Engine: Amazon AthenaBytes scanned: 10 MBCost: $0.000048',
    );
  });

  it('cancels a running query', async () => {
    const api = mockLineageApi({
      startForensicsQuery: async () => ({
        id: ID,
        status: 'running',
        engine: 'logs',
      }),
      getForensicsQuery: async () => response({ status: 'running' }),
      cancelForensicsQuery: async () => response({ status: 'cancelled' }),
    });
    await render(paymentsTable, api);
    const form = await screen.findByRole('form', { name: 'Item history' });
    await userEvent.type(
      within(form).getByLabelText('Partition key name'),
      'id',
    );
    await userEvent.type(
      within(form).getByLabelText('Partition key value'),
      'x',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Find item history' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('forensics-figures')).toHaveTextContent(
        'Status: cancelled',
      ),
    );
    expect(api.cancelForensicsQuery).toHaveBeenCalledWith(ID);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it("shows the backend's reason when it refuses a query", async () => {
    const api = mockLineageApi({
      startForensicsQuery: async () => {
        throw await ResponseError.fromResponse(
          errorResponse(
            400,
            'InputError',
            'The delivered logs are read directly for the last 24 h only; configure Athena for the account to search older events',
          ),
        );
      },
    });
    await render(paymentsTable, api);
    const form = await screen.findByRole('form', { name: 'Item history' });
    await userEvent.type(
      within(form).getByLabelText('Partition key name'),
      'id',
    );
    await userEvent.type(
      within(form).getByLabelText('Partition key value'),
      'x',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Find item history' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'configure Athena for the account',
    );
  });

  it('asks for a table ARN when the entity names none, and runs only with a key', async () => {
    const api = mockLineageApi();
    await render({ ...reportingJob }, api);
    const form = await screen.findByRole('form', { name: 'Item history' });
    expect(within(form).getByLabelText('Table ARN')).toHaveValue('');
    expect(
      within(form).getByRole('button', { name: 'Find item history' }),
    ).toBeDisabled();
  });
});

describe('figures', () => {
  it('formats bytes and small costs readably', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3_565_158)).toBe('3.4 MB');
    expect(formatBytes(5 * 1024 ** 4)).toBe('5.0 TB');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.0000134)).toBe('$0.000013');
    expect(formatCost(12.345)).toBe('$12.35');
  });
});
