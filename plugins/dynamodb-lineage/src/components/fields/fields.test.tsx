import { ResponseError } from '@backstage/errors';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FieldValidation } from '@rjsf/utils';
import type { ComponentType } from 'react';
import {
  dynamoDbLineageApiRef,
  type DynamoDbLineageApi,
} from '../../api/DynamoDbLineageApi';
import {
  analyticsPlan,
  convergedPlan,
  paymentsAccounts,
} from '../../testing/fixtures';
import { errorResponse, mockLineageApi } from '../../testing/mockApi';
import { AwsAccountPicker, validateAwsAccount } from './AwsAccountPicker';
import { AwsRegionPicker, validateAwsRegion } from './AwsRegionPicker';
import {
  DynamoDbTableScopePicker,
  validateTableScope,
} from './DynamoDbTableScopePicker';
import { LineagePlanPreview } from './LineagePlanPreview';
import { formatUsd } from '../parts/cost';

const OWNER = 'group:default/team-payments';

async function renderField<T>(
  Field: ComponentType<FieldExtensionComponentProps<T, any>>,
  options: {
    api: DynamoDbLineageApi;
    formData?: T;
    formContext?: Record<string, unknown>;
    uiOptions?: Record<string, unknown>;
    title?: string;
  },
) {
  const onChange = jest.fn();
  const props = {
    name: 'field',
    schema: { title: options.title },
    uiSchema: { 'ui:options': options.uiOptions ?? {} },
    idSchema: { $id: 'root_field' },
    formData: options.formData,
    formContext: { formData: options.formContext ?? {} },
    onChange,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    rawErrors: [],
    disabled: false,
    readonly: false,
    required: true,
    registry: {},
  } as unknown as FieldExtensionComponentProps<T, any>;
  await renderInTestApp(
    <TestApiProvider apis={[[dynamoDbLineageApiRef, options.api]]}>
      <Field {...props} />
    </TestApiProvider>,
  );
  return { onChange };
}

/** A FieldValidation that records the errors a validator adds. */
function collector() {
  const errors: string[] = [];
  const validation = {
    addError: (message: string) => {
      errors.push(message);
    },
  } as unknown as FieldValidation;
  return { errors, validation };
}

function context(formData: Record<string, unknown>) {
  return { apiHolder: { get: () => undefined }, formData, schema: {} };
}

describe('AwsAccountPicker', () => {
  it('offers the accounts of the team chosen earlier, with title and id', async () => {
    const api = mockLineageApi({ getAccounts: async () => paymentsAccounts });
    const { onChange } = await renderField(AwsAccountPicker, {
      api,
      formContext: { owner: OWNER },
    });

    expect(api.getAccounts).toHaveBeenCalledWith(OWNER);
    fireEvent.mouseDown(screen.getByRole('textbox'));
    const options = (await screen.findAllByRole('option')).map(
      o => o.textContent,
    );
    expect(options).toEqual([
      'Payments production (111111111111)',
      'Payments staging (121212121212)',
    ]);
    fireEvent.click(screen.getByText('Payments staging (121212121212)'));
    expect(onChange).toHaveBeenLastCalledWith('121212121212');
  });

  it('does not repeat the id when the title already carries it', async () => {
    const api = mockLineageApi({
      getAccounts: async () => [
        {
          entityRef: 'resource:default/aws-analytics-prod',
          accountId: '444444444444',
          title: 'analytics-prod (444444444444)',
          regions: ['us-east-1'],
        },
      ],
    });
    await renderField(AwsAccountPicker, {
      api,
      formContext: { owner: OWNER },
    });
    fireEvent.mouseDown(screen.getByRole('textbox'));
    const options = (await screen.findAllByRole('option')).map(
      o => o.textContent,
    );
    expect(options).toEqual(['analytics-prod (444444444444)']);
  });

  it('reads the owner from the property named in ui:options', async () => {
    const api = mockLineageApi({ getAccounts: async () => [] });
    await renderField(AwsAccountPicker, {
      api,
      formContext: { team: 'group:default/team-orders' },
      uiOptions: { ownerField: 'team' },
    });
    expect(api.getAccounts).toHaveBeenCalledWith('group:default/team-orders');
    expect(
      await screen.findByText(
        /The team you chose owns no AWS account in the catalog/,
      ),
    ).toBeInTheDocument();
  });

  it('asks for the team first and lets an id be typed', async () => {
    const api = mockLineageApi();
    const { onChange } = await renderField(AwsAccountPicker, { api });
    expect(
      screen.getByText('Choose the owning team first.'),
    ).toBeInTheDocument();
    expect(api.getAccounts).not.toHaveBeenCalled();

    await userEvent.type(screen.getByRole('textbox'), '444444444444');
    expect(onChange).toHaveBeenLastCalledWith('444444444444');
  });

  it('shows the chosen account by its title', async () => {
    await renderField(AwsAccountPicker, {
      api: mockLineageApi({ getAccounts: async () => paymentsAccounts }),
      formContext: { owner: OWNER },
      formData: '111111111111',
    });
    await waitFor(() =>
      expect(screen.getByRole('textbox')).toHaveValue(
        'Payments production (111111111111)',
      ),
    );
  });

  it('accepts 12 digits only', () => {
    const bad = collector();
    validateAwsAccount('12345', bad.validation, context({}) as any);
    expect(bad.errors).toEqual([
      'AWS account must be a 12-digit account id, got "12345".',
    ]);
    const good = collector();
    validateAwsAccount('111111111111', good.validation, context({}) as any);
    expect(good.errors).toEqual([]);
  });
});

describe('AwsRegionPicker', () => {
  it('narrows the regions to those of the chosen account', async () => {
    const api = mockLineageApi({ getAccounts: async () => paymentsAccounts });
    const { onChange } = await renderField(AwsRegionPicker, {
      api,
      formContext: { owner: OWNER, accountId: '111111111111' },
    });
    expect(
      await screen.findByText(
        'Regions where Payments production runs DynamoDB',
      ),
    ).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByRole('textbox'));
    const options = (await screen.findAllByRole('option')).map(
      o => o.textContent,
    );
    expect(options).toEqual(['us-east-1', 'eu-west-1']);
    fireEvent.click(screen.getByRole('option', { name: 'eu-west-1' }));
    expect(onChange).toHaveBeenLastCalledWith('eu-west-1');
  });

  it('offers every region when the account is not in the catalog', async () => {
    await renderField(AwsRegionPicker, {
      api: mockLineageApi({ getAccounts: async () => paymentsAccounts }),
      formContext: { owner: OWNER, accountId: '999999999999' },
    });
    await waitFor(() =>
      expect(screen.getByText('Home region of the trail')).toBeInTheDocument(),
    );
    fireEvent.mouseDown(screen.getByRole('textbox'));
    const options = (await screen.findAllByRole('option')).map(
      o => o.textContent,
    );
    expect(options).toContain('ap-southeast-2');
    expect(options).toContain('us-east-1');
    expect(options.length).toBeGreaterThan(20);
  });

  it('rejects what is not a region code', () => {
    const bad = collector();
    validateAwsRegion('mars-north-1', bad.validation, context({}) as any);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toContain('AWS region must be a region code');
    const good = collector();
    validateAwsRegion('eu-west-1', good.validation, context({}) as any);
    expect(good.errors).toEqual([]);
  });
});

describe('DynamoDbTableScopePicker', () => {
  const account = {
    owner: OWNER,
    accountId: '111111111111',
    region: 'us-east-1',
  };
  const payments = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
  const ledger = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';

  it('starts at every table and switches modes', async () => {
    const { onChange } = await renderField(DynamoDbTableScopePicker, {
      api: mockLineageApi(),
      formContext: account,
    });
    expect(
      screen.getByRole('radio', {
        name: 'Every table of the account and region',
      }),
    ).toBeChecked();
    fireEvent.click(
      screen.getByRole('radio', { name: 'Tables whose name starts with' }),
    );
    expect(onChange).toHaveBeenLastCalledWith({ mode: 'prefix', prefixes: [] });
  });

  it('lists the tables AWS reports for the account and region', async () => {
    const api = mockLineageApi({ getTables: async () => [payments, ledger] });
    const { onChange } = await renderField(DynamoDbTableScopePicker, {
      api,
      formContext: account,
      formData: { mode: 'tables', tableArns: [] },
    });
    expect(api.getTables).toHaveBeenCalledWith({
      accountId: '111111111111',
      region: 'us-east-1',
    });
    expect(
      await screen.findByText('2 tables in 111111111111 us-east-1'),
    ).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByRole('textbox'));
    fireEvent.click(await screen.findByRole('option', { name: 'ledger' }));
    expect(onChange).toHaveBeenLastCalledWith({
      mode: 'tables',
      tableArns: [ledger],
    });
  });

  it('falls back to typed ARNs when AWS cannot be asked', async () => {
    const error = await ResponseError.fromResponse(
      errorResponse(
        503,
        'ServiceUnavailableError',
        'AccessDenied on ListTables',
      ),
    );
    const { onChange } = await renderField(DynamoDbTableScopePicker, {
      api: mockLineageApi({
        getTables: async () => {
          throw error;
        },
      }),
      formContext: account,
      formData: { mode: 'tables', tableArns: [] },
    });
    expect(
      await screen.findByText(
        /Could not list the tables of 111111111111 us-east-1/,
      ),
    ).toBeInTheDocument();
    const input = screen.getByLabelText('Table ARNs, one per line');
    fireEvent.change(input, { target: { value: `${payments}\n` } });
    // The newline just typed stays, so the next ARN goes on its own line.
    expect(input).toHaveValue(`${payments}\n`);
    fireEvent.change(input, { target: { value: `${payments}\n${ledger}` } });
    expect(onChange).toHaveBeenLastCalledWith({
      mode: 'tables',
      tableArns: [payments, ledger],
    });
  });

  it('validates ARNs against the chosen account and region', () => {
    const result = collector();
    validateTableScope(
      {
        mode: 'tables',
        tableArns: [
          payments,
          'arn:aws:dynamodb:eu-west-1:111111111111:table/payments-eu',
          'payments',
        ],
      },
      result.validation,
      context(account) as any,
    );
    expect(result.errors).toEqual([
      'Table payments-eu is in eu-west-1, not in the chosen region us-east-1.',
      'Table ARN "payments" must have six colon-separated parts, like arn:aws:dynamodb:us-east-1:111111111111:table/my-table.',
    ]);

    const otherAccount = collector();
    validateTableScope(
      {
        mode: 'tables',
        tableArns: ['arn:aws:dynamodb:us-east-1:222222222222:table/orders'],
      },
      otherAccount.validation,
      context(account) as any,
    );
    expect(otherAccount.errors).toEqual([
      'Table orders is in account 222222222222, not in the chosen account 111111111111.',
    ]);

    const empty = collector();
    validateTableScope(
      { mode: 'tables', tableArns: [] },
      empty.validation,
      context(account) as any,
    );
    expect(empty.errors).toEqual([
      'Table scope "tables" needs at least one table ARN.',
    ]);

    const prefixes = collector();
    validateTableScope(
      { mode: 'prefix', prefixes: ['orders-', 'bad prefix!'] },
      prefixes.validation,
      context(account) as any,
    );
    expect(prefixes.errors).toHaveLength(1);
    expect(prefixes.errors[0]).toContain('"bad prefix!"');
  });
});

describe('LineagePlanPreview', () => {
  const form = {
    owner: 'group:default/team-analytics',
    accountId: '444444444444',
    region: 'us-east-1',
    scope: { mode: 'all' },
    insights: true,
    kmsKeyId: '',
    glacierAfterDays: 30,
    unrelated: 'ignored',
  };

  it('POSTs the form and shows the ordered changes with their reasons', async () => {
    const api = mockLineageApi({ getPlan: async () => analyticsPlan });
    await renderField(LineagePlanPreview, {
      api,
      formContext: form,
      title: 'What will change',
    });

    expect(
      await screen.findByText(/Creating this will make 3 changes/),
    ).toBeInTheDocument();
    expect(api.getPlan).toHaveBeenCalledWith({
      owner: 'group:default/team-analytics',
      accountId: '444444444444',
      region: 'us-east-1',
      scope: { mode: 'all' },
      insights: true,
      lifecycle: { glacierAfterDays: 30 },
    });
    const steps = screen.getAllByTestId(/^plan-change-/);
    expect(steps.map(s => s.getAttribute('data-testid'))).toEqual([
      'plan-change-bucket:create',
      'plan-change-trail:create',
      'plan-change-logging:start',
    ]);
    expect(steps[2]).toHaveTextContent('3. start Start logging');
    expect(steps[2]).toHaveTextContent(
      'IsLogging: false → true — CreateTrail does not start logging',
    );
    expect(screen.getByText('What will change')).toBeInTheDocument();
    // What the capture would cost, from the account-region's own traffic.
    const forecast = screen.getByTestId('cost-forecast');
    expect(forecast).toHaveTextContent(
      `About ${formatUsd(
        analyticsPlan.costForecast!.monthlyUsd,
      )} a month: 797,349 DynamoDB data events ($0.80, between $0.73 and $0.80 at the quietest and the busiest day), from 14 days of DynamoDB CloudWatch request metrics`,
    );
    expect(forecast).toHaveTextContent(
      'for 2 tables in scope in 444444444444/us-east-1',
    );
    expect(forecast).toHaveTextContent(
      '200 bytes an event, the documented default',
    );
    expect(
      within(screen.getByTestId('cost-forecast-tables'))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'events (us-east-1): 729,600 events, $0.73 a month',
      'sessions (us-east-1): 67,749 events, $0.07 a month',
    ]);
    const cost = screen.getByTestId('plan-cost-note');
    expect(cost).toHaveTextContent('$0.10 per 100,000 events');
    expect(cost).toHaveTextContent(
      'Insights, when enabled, is priced separately',
    );
    expect(cost).toHaveTextContent('You asked for Insights');
  });

  it('folds policy documents away and keeps short values inline', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'AWSCloudTrailWrite', Effect: 'Allow' }],
    };
    const [bucket, ...rest] = analyticsPlan.changes;
    const plan = {
      ...analyticsPlan,
      changes: [
        {
          ...bucket,
          changes: [
            ...bucket.changes,
            { field: 'Policy', desired: policy, reason: 'CloudTrail writes' },
            { field: 'KeySchema', desired: [{ id: 'S' }], reason: 'the key' },
          ],
        },
        ...rest,
      ],
    };
    await renderField(LineagePlanPreview, {
      api: mockLineageApi({ getPlan: async () => plan }),
      formContext: form,
      title: 'What will change',
    });
    const step = await screen.findByTestId('plan-change-bucket:create');
    expect(step).toHaveTextContent(
      'Policy: not set → the new document (below) — CloudTrail writes',
    );
    expect(step).toHaveTextContent('KeySchema: not set → [{"id":"S"}]');
    const disclosure = screen.getByText('Show the new Policy (JSON)');
    expect(disclosure.closest('details')).not.toHaveAttribute('open');
    expect(disclosure.closest('details')).toHaveTextContent(
      '"Sid": "AWSCloudTrailWrite"',
    );
  });

  it('says when everything already matches', async () => {
    await renderField(LineagePlanPreview, {
      api: mockLineageApi({ getPlan: async () => convergedPlan }),
      formContext: { ...form, insights: false },
    });
    expect(await screen.findByTestId('plan-converged')).toHaveTextContent(
      'Nothing to change',
    );
    expect(
      screen.getByText(
        'Kept SSE-KMS encryption: it is stricter than the requested SSE-S3.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('plan-cost-note')).not.toHaveTextContent(
      'You asked for Insights',
    );
  });

  it('shows what blocks the plan and the key policy statement to add', async () => {
    const statement = {
      Sid: 'AllowCloudTrailToEncryptLogs',
      Effect: 'Allow' as const,
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
    };
    await renderField(LineagePlanPreview, {
      api: mockLineageApi({
        getPlan: async () => ({
          ...analyticsPlan,
          blockers: [
            'The key policy of alias/logs does not let cloudtrail.amazonaws.com call kms:GenerateDataKey*',
          ],
          kmsPolicyStatement: statement,
        }),
      }),
      formContext: { ...form, kmsKeyId: 'alias/logs' },
    });
    const blockers = await screen.findByTestId('plan-blockers');
    expect(blockers).toHaveTextContent('would be refused, and nothing changed');
    expect(blockers).toHaveTextContent('does not let cloudtrail.amazonaws.com');
    expect(
      JSON.parse(screen.getByTestId('plan-kms-policy-statement').textContent!),
    ).toEqual(statement);
  });

  it('names the Athena forensics table and folds its DDL away', async () => {
    const ddl = [
      'CREATE EXTERNAL TABLE IF NOT EXISTS `forensics_db`.`cloudtrail_t_444444444444_0a1b2c3d` (',
      '  `eventname` string',
      ')',
      "LOCATION 's3://logs/AWSLogs/444444444444/CloudTrail/'",
    ].join('\n');
    await renderField(LineagePlanPreview, {
      api: mockLineageApi({
        getPlan: async () => ({
          ...analyticsPlan,
          athenaTable: {
            database: 'forensics_db',
            name: 'cloudtrail_t_444444444444_0a1b2c3d',
            location: 's3://logs/AWSLogs/444444444444/CloudTrail/',
            locationTemplate:
              's3://logs/AWSLogs/444444444444/CloudTrail/${region}/${day}',
            ddl,
            note: 'Not an apply step: created by the first Athena forensics query.',
          },
        }),
      }),
      formContext: form,
    });
    const section = await screen.findByTestId('plan-athena-table');
    expect(section).toHaveTextContent(
      'forensics_db.cloudtrail_t_444444444444_0a1b2c3d over s3://logs/AWSLogs/444444444444/CloudTrail/',
    );
    expect(section).toHaveTextContent('Not an apply step');
    const disclosure = within(section).getByText(
      'Show the CREATE TABLE statement (SQL)',
    );
    const details = disclosure.closest('details');
    expect(details).not.toHaveAttribute('open');
    expect(details?.querySelector('pre')?.textContent).toBe(ddl);
    expect(
      within(section).getByRole('button', { name: /Copy SQL/ }),
    ).toBeInTheDocument();
  });

  it('shows no Athena table when the plan names none', async () => {
    await renderField(LineagePlanPreview, {
      api: mockLineageApi({ getPlan: async () => analyticsPlan }),
      formContext: form,
    });
    await screen.findByText(/Creating this will make 3 changes/);
    expect(screen.queryByTestId('plan-athena-table')).not.toBeInTheDocument();
  });

  it('shows why the plan could not be computed', async () => {
    const error = await ResponseError.fromResponse(
      errorResponse(400, 'InputError', 'trailName must be 3-128 characters'),
    );
    await renderField(LineagePlanPreview, {
      api: mockLineageApi({
        getPlan: async () => {
          throw error;
        },
      }),
      formContext: form,
    });
    expect(
      await screen.findByText(/Could not compute the plan/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/trailName must be 3-128 characters/).length,
    ).toBeGreaterThan(0);
  });

  it('waits for team, account and region before asking', async () => {
    const api = mockLineageApi();
    await renderField(LineagePlanPreview, {
      api,
      formContext: { owner: OWNER },
    });
    const preview = screen.getByTestId('lineage-plan-preview');
    expect(
      within(preview).getByText(
        'Choose the team, the AWS account and the region to see the plan.',
      ),
    ).toBeInTheDocument();
    expect(api.getPlan).not.toHaveBeenCalled();
  });
});

describe('fields waiting on an answer say so (aria-busy)', () => {
  function deferred<T>() {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>(r => {
      resolve = r;
    });
    return { promise, resolve };
  }
  const busy = () =>
    document.querySelector('[aria-busy]')?.getAttribute('aria-busy');

  it('the account and region pickers, until the team’s accounts arrive', async () => {
    for (const Field of [AwsAccountPicker, AwsRegionPicker] as const) {
      const accounts = deferred<typeof paymentsAccounts>();
      await renderField<string>(Field, {
        api: mockLineageApi({ getAccounts: () => accounts.promise }),
        formContext: { owner: OWNER, accountId: '111111111111' },
        formData: Field === AwsAccountPicker ? '111111111111' : 'us-east-1',
      });
      expect(busy()).toBe('true');
      accounts.resolve(paymentsAccounts);
      await waitFor(() => expect(busy()).toBe('false'));
      document.body.innerHTML = '';
    }
  });

  it('the table scope, until the tables of the account and region arrive', async () => {
    const tables = deferred<string[]>();
    await renderField(DynamoDbTableScopePicker, {
      api: mockLineageApi({ getTables: () => tables.promise }),
      formContext: {
        owner: OWNER,
        accountId: '111111111111',
        region: 'us-east-1',
      },
      formData: { mode: 'tables', tableArns: [] },
    });
    expect(busy()).toBe('true');
    tables.resolve(['arn:aws:dynamodb:us-east-1:111111111111:table/payments']);
    expect(
      await screen.findByText('1 tables in 111111111111 us-east-1'),
    ).toBeInTheDocument();
    expect(busy()).toBe('false');
  });
});
