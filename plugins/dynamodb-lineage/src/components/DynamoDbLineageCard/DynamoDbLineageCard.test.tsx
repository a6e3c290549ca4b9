import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import type {
  EntityStatus,
  HealthCheckResult,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import type { DynamoDbLineageApi } from '../../api/DynamoDbLineageApi';
import {
  accountStatus,
  accountWithoutId,
  analyticsGroup,
  analyticsTeam,
  componentStatus,
  componentWithoutTables,
  deniedTeam,
  inventoryTeam,
  inventoryUsEast1,
  NOW,
  ordersTeam,
  ordersTrail,
  paymentsAccount,
  paymentsComponent,
  paymentsGroup,
  paymentsLineage,
  paymentsTeam,
  paymentsTrail,
  paymentsTrailEntity,
  teamWithoutAccounts,
  trailStatus,
  unrelatedResource,
} from '../../testing/fixtures';
import { errorResponse, mockLineageApi } from '../../testing/mockApi';
import { DynamoDbLineageCard } from './DynamoDbLineageCard';

function templateHref(prefill: Record<string, string>) {
  return `/create/templates/default/dynamodb-lineage?formData=${encodeURIComponent(
    JSON.stringify(prefill),
  )}`;
}

/** LinkButtons are anchors with role="button": find them by their text. */
function anchorWithText(text: string) {
  return screen.getByText(text).closest('a');
}

async function renderCard(entity: Entity, api: DynamoDbLineageApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dynamoDbLineageApiRef, api]]}>
      <EntityProvider entity={entity}>
        <DynamoDbLineageCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

function answering(
  status: EntityStatus,
  extra: Partial<DynamoDbLineageApi> = {},
) {
  return mockLineageApi({ getEntityStatus: async () => status, ...extra });
}

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW.getTime());
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('DynamoDbLineageCard on a Group', () => {
  it('shows a healthy team with one row per account-region and its freshness', async () => {
    const api = answering({ kind: 'team', team: paymentsTeam });
    await renderCard(paymentsGroup, api);

    expect(api.getEntityStatus).toHaveBeenCalledWith(
      'group:default/team-payments',
    );
    expect(
      await screen.findByText('2 of 2 account-regions covered'),
    ).toBeInTheDocument();
    const summary = screen.getByTestId('status-summary');
    expect(within(summary).getByText('Healthy')).toBeInTheDocument();
    expect(screen.getByText('us-east-1')).toBeInTheDocument();
    expect(screen.getByText('eu-west-1')).toBeInTheDocument();
    expect(
      screen.getByText('Last delivery 3 min ago (11:57 UTC)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Last delivery 4 min ago (11:56 UTC)'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('dynamodb-lineage')).toHaveLength(2);
    // Healthy rows need no fix; the KMS warning is still listed with its remedy.
    expect(screen.queryByText('Fix with the template')).not.toBeInTheDocument();
    expect(
      screen.getAllByText(/Create the trail with a KMS key/).length,
    ).toBeGreaterThan(0);
    // The account by its display name, linked to its page.
    expect(
      screen.getAllByRole('link', { name: 'aws-payments-prod' })[0],
    ).toHaveAttribute('href', '/catalog/default/resource/aws-payments-prod');
  });

  it('shows a stale team failing, with the failing check, its remediation and a pre-filled fix', async () => {
    await renderCard(
      {
        ...paymentsGroup,
        metadata: { name: 'team-orders', namespace: 'default' },
      },
      answering({ kind: 'team', team: ordersTeam }),
    );

    expect(
      await screen.findByText('Last delivery 5 h ago (07:00 UTC)'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('status-summary')).getByText('Failing'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('row-reason')).toHaveTextContent(
      'No log delivered for 5 h',
    );
    const check = screen.getByTestId('check-freshness.delivery');
    expect(check).toHaveTextContent('LatestDeliveryTime is 5 h old');
    // The team card is compact: the fix opens on demand.
    const fix = within(check).getByTestId('remediation');
    expect(fix).toHaveTextContent(
      'Check the bucket policy still allows cloudtrail.amazonaws.com',
    );
    expect(fix.closest('details')).not.toHaveAttribute('open');
    expect(within(check).getByText('How to fix')).toBeInTheDocument();
    // The passing check is folded, by title.
    const passing = screen.getByTestId('passing-check-list');
    expect(passing).not.toHaveAttribute('open');
    expect(passing).toHaveTextContent('The other check passes');
    expect(passing).toHaveTextContent('Trail is logging');
    // The overview's words: the worst account-region's counts, the coverage.
    expect(screen.getByTestId('status-summary')).toHaveTextContent(
      '1 failing · 0 of 1 account-region covered',
    );
    expect(anchorWithText('Fix with the template')).toHaveAttribute(
      'href',
      templateHref({
        owner: 'group:default/team-orders',
        accountId: '222222222222',
        region: 'us-east-1',
        trailName: ordersTrail.name,
        bucketName: ordersTrail.bucket,
      }),
    );
  });

  it('keeps the table compact and lists every finding, worst first, full width below it', async () => {
    await renderCard(
      {
        ...paymentsGroup,
        metadata: { name: 'team-inventory', namespace: 'default' },
      },
      answering({ kind: 'team', team: inventoryTeam }),
    );

    const table = (await screen.findByText('s3-audit')).closest('table')!;
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Status',
      'Account / region',
      'Covering trail',
      'Freshness',
      'Action',
    ]);
    const row = within(table).getByText('s3-audit').closest('tr')!;
    expect(row).toHaveTextContent('3 failing');
    expect(row).toHaveTextContent('Last delivery 6 min ago (11:54 UTC)');
    expect(within(row).getByText('Fix with the template')).toBeInTheDocument();
    // Evidence and remediation never sit in a table cell.
    expect(row).not.toHaveTextContent('AWS::S3::Object');

    const panel = screen.getByTestId('findings-333333333333-us-east-1');
    expect(panel.closest('table')).toBeNull();
    // The account and region once, then the reason without them.
    expect(panel).toHaveTextContent(
      '333333333333 · us-east-1Trail s3-audit does not capture DynamoDB data events',
    );
    expect(within(panel).getByTestId('row-reason')).toHaveTextContent(
      /^Trail s3-audit does not capture DynamoDB data events$/,
    );
    expect(within(panel).getByRole('button', { expanded: true })).toBeTruthy();
    const order = within(panel)
      .getAllByTestId(/^check-/)
      .map(c => c.getAttribute('data-testid'));
    expect(order).toEqual([
      'check-trail.dynamodb-coverage',
      'check-bucket.public-access',
      'check-trail.log-file-validation',
    ]);
    const validation = within(panel).getByTestId(
      'check-trail.log-file-validation',
    );
    expect(validation).toHaveTextContent('Fail');
    expect(validation).toHaveTextContent('Log file validation is on');
    expect(validation).toHaveTextContent('LogFileValidationEnabled is false.');
    expect(within(validation).getByTestId('remediation')).toHaveTextContent(
      'Turn on log file validation (UpdateTrail --enable-log-file-validation).',
    );
    // Controls as chips, one per control.
    expect(within(validation).getByText('CIS 3.2')).toBeInTheDocument();
    expect(within(validation).getByText('CloudTrail.4')).toBeInTheDocument();
  });

  it('folds the findings of healthy account-regions, and of many', async () => {
    const failing = Array.from({ length: 4 }, (_, i) => ({
      ...inventoryUsEast1,
      region: `region-${i}`,
    }));
    const { unmount } = await renderCard(
      paymentsGroup,
      answering({ kind: 'team', team: paymentsTeam }),
    );
    const healthy = await screen.findByTestId(
      'findings-111111111111-us-east-1',
    );
    expect(
      within(healthy).getByRole('button', { expanded: false }),
    ).toBeTruthy();
    expect(healthy).toHaveTextContent('1 warning');
    unmount();

    await renderCard(
      paymentsGroup,
      answering({
        kind: 'team',
        team: { team: inventoryTeam.team, accountRegions: failing },
      }),
    );
    const panels = await screen.findAllByTestId(/^findings-333333333333-/);
    expect(panels).toHaveLength(4);
    panels.forEach(panel =>
      expect(
        within(panel).getByRole('button', { expanded: false }),
      ).toBeTruthy(),
    );
  });

  it('invites a team that never enabled tracking to the template', async () => {
    await renderCard(
      analyticsGroup,
      answering({ kind: 'team', team: analyticsTeam }),
    );

    await screen.findByText('Enable lineage tracking with the template');
    expect(
      anchorWithText('Enable lineage tracking with the template'),
    ).toHaveAttribute(
      'href',
      templateHref({
        owner: 'group:default/team-analytics',
        accountId: '444444444444',
        region: 'us-east-1',
      }),
    );
    expect(
      within(screen.getByTestId('status-summary')).getByText('Not enabled'),
    ).toBeInTheDocument();
    expect(anchorWithText('Enable with the template')).toBeInTheDocument();
  });

  it('says why the status is unknown and offers no template fix', async () => {
    await renderCard(
      paymentsGroup,
      answering({ kind: 'team', team: deniedTeam }),
    );

    expect(await screen.findByTestId('unknown-reason')).toHaveTextContent(
      'AccessDenied: arn:aws:iam::555555555555:role/backstage-dynamodb-lineage is not authorized',
    );
    expect(
      screen.queryByRole('link', { name: /template/ }),
    ).not.toBeInTheDocument();
  });

  it('tells a team without accounts what to register', async () => {
    await renderCard(
      paymentsGroup,
      answering({ kind: 'team', team: teamWithoutAccounts }),
    );
    expect(
      await screen.findByText('This team owns no AWS account'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/aws\.amazon\.com\/account-id \(12 digits\)/),
    ).toBeInTheDocument();
  });
});

describe('DynamoDbLineageCard on a Component', () => {
  const withOwner: Entity = {
    ...paymentsComponent,
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-payments' }],
  };

  it('lists its tables and the lineage of the covered ones', async () => {
    const api = answering(componentStatus, {
      getTableLineage: async () => paymentsLineage,
    });
    await renderCard(withOwner, api);

    const lineage = await screen.findByTestId('lineage-payments');
    expect(
      await within(lineage).findByText(
        'arn:aws:iam::111111111111:role/payments-api',
      ),
    ).toBeInTheDocument();
    expect(within(lineage).getByText('1520')).toBeInTheDocument();
    expect(within(lineage).getByText('310')).toBeInTheDocument();
    expect(
      within(lineage).getByText('GetItem ×1,500, Query ×20, PutItem ×310'),
    ).toBeInTheDocument();
    expect(
      within(lineage).getByText('7 min ago (11:53 UTC)'),
    ).toBeInTheDocument();
    expect(
      within(lineage).getByText(
        'arn:aws:iam::111111111111:role/ledger-reconciler',
      ),
    ).toBeInTheDocument();

    expect(
      screen.getByText('1 of 2 tables covered by a trail'),
    ).toBeInTheDocument();
    expect(screen.getByText('Covered')).toBeInTheDocument();
    expect(screen.getByText('Not covered')).toBeInTheDocument();
    // Only the covered table has logs to read.
    expect(api.getTableLineage).toHaveBeenCalledTimes(1);
    expect(api.getTableLineage).toHaveBeenCalledWith({
      tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/payments',
      hours: 24,
    });
    expect(screen.queryByTestId('lineage-ledger')).not.toBeInTheDocument();
    expect(anchorWithText('Enable with the template')).toHaveAttribute(
      'href',
      templateHref({
        owner: 'group:default/team-payments',
        accountId: '111111111111',
        region: 'us-east-1',
      }),
    );
  });

  it('says so when nobody touched a table in the window', async () => {
    await renderCard(
      withOwner,
      answering(componentStatus, {
        getTableLineage: async () => ({ ...paymentsLineage, principals: [] }),
      }),
    );
    expect(
      await screen.findByText(
        'Nobody read or wrote this table in the last 24 h.',
      ),
    ).toBeInTheDocument();
  });

  it('asks for the table annotation when the component has none', async () => {
    const api = mockLineageApi();
    await renderCard(componentWithoutTables, api);
    expect(
      screen.getAllByText(/dynamodb-lineage\/table-arns/).length,
    ).toBeGreaterThan(0);
    expect(api.getEntityStatus).not.toHaveBeenCalled();
  });
});

describe('DynamoDbLineageCard on Resources', () => {
  it('shows the coverage of an AWS account per region', async () => {
    await renderCard(
      {
        ...paymentsAccount,
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/team-payments' },
        ],
      },
      answering(accountStatus),
    );
    expect(
      await screen.findByText('Account 111111111111: 2 of 2 regions covered'),
    ).toBeInTheDocument();
    expect(screen.getByText('us-east-1')).toBeInTheDocument();
    expect(screen.getByText('eu-west-1')).toBeInTheDocument();
  });

  it('asks for the account id annotation on an account without one', async () => {
    const api = mockLineageApi();
    await renderCard(accountWithoutId, api);
    expect(
      screen.getAllByText(/aws\.amazon\.com\/account-id/).length,
    ).toBeGreaterThan(0);
    expect(api.getEntityStatus).not.toHaveBeenCalled();
  });

  it('shows a trail: summary line, findings as blocks, passing checks folded, trend and cost', async () => {
    const policy = [
      { Sid: 'AWSCloudTrailWrite', Effect: 'Allow' },
      { Sid: 'DenyInsecureTransport', Effect: 'Deny' },
    ];
    const bucketPolicy: HealthCheckResult = {
      id: 'bucket.policy',
      title:
        'Bucket policy scopes CloudTrail writes to this trail and requires TLS',
      severity: 'high',
      status: 'fail',
      evidence: `Bucket ${paymentsTrail.bucket}: the CloudTrail write statement has no aws:SourceArn condition; LatestDeliveryTime 2026-03-02T11:28:07.814Z.`,
      remediation: {
        text: 'Merge the statements below into the bucket policy and apply it.',
        commands: [
          `aws s3api put-bucket-policy --bucket ${paymentsTrail.bucket} --policy file://policy.json`,
        ],
        policy: JSON.stringify(policy, null, 2),
      },
      controls: ['S3.5', 'Prowler s3_bucket_secure_transport_policy'],
    };
    await renderCard(
      {
        ...paymentsTrailEntity,
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/team-payments' },
        ],
      },
      answering({
        ...trailStatus,
        health: {
          ...trailStatus.health,
          status: 'failing',
          checks: [...trailStatus.health.checks, bucketPolicy],
        },
      }),
    );

    const line = await screen.findByTestId('trail-summary-line');
    expect(line).toHaveTextContent(
      '1 failing · 1 warning · Last delivery 3 min ago (11:57 UTC) · checked 1 min ago',
    );
    expect(
      within(line).getByText('Last delivery 3 min ago (11:57 UTC)'),
    ).toHaveAttribute('title', trailStatus.health.latestDeliveryTime);
    expect(
      screen.getByText('Fix this trail with the template').closest('a'),
    ).toHaveAttribute(
      'href',
      templateHref({
        owner: 'group:default/team-payments',
        accountId: paymentsTrail.accountId,
        region: paymentsTrail.homeRegion,
        trailName: paymentsTrail.name,
        bucketName: paymentsTrail.bucket,
      }),
    );
    expect(
      screen.getByRole('button', { name: 'Copy trail ARN' }),
    ).toBeInTheDocument();

    // The failing check first, as a block: plain evidence, a copyable
    // command, the policy behind a disclosure, controls as chips.
    const findings = screen.getByRole('heading', {
      name: 'Needs attention (2)',
    }).parentElement!;
    const blocks = within(findings).getAllByRole('listitem');
    expect(blocks[0]).toHaveAttribute('data-testid', 'check-bucket.policy');
    expect(blocks[1]).toHaveAttribute('data-testid', 'check-trail.kms');
    const policyCheck = blocks[0];
    expect(policyCheck).toHaveTextContent('LatestDeliveryTime 11:28 UTC.');
    expect(within(policyCheck).getByText('11:28 UTC')).toHaveAttribute(
      'title',
      '2026-03-02T11:28:07.814Z',
    );
    expect(
      within(policyCheck).getByText(
        `aws s3api put-bucket-policy --bucket ${paymentsTrail.bucket} --policy file://policy.json`,
      ).tagName,
    ).toBe('CODE');
    expect(
      within(policyCheck).getByRole('button', { name: 'Copy command' }),
    ).toBeInTheDocument();
    expect(
      within(policyCheck).getByText('Show the 2 policy statements (JSON)')
        .tagName,
    ).toBe('SUMMARY');
    expect(
      within(policyCheck).getByText(/"Sid": "DenyInsecureTransport"/),
    ).toBeInTheDocument();
    expect(within(policyCheck).getByText('S3.5')).toBeInTheDocument();
    expect(blocks[1]).toHaveTextContent(
      'How to fix: Create the trail with a KMS key',
    );

    // Passing checks are folded under one line.
    const passing = screen.getByTestId('passing-checks');
    expect(
      within(passing).getByRole('button', {
        name: `${trailStatus.health.checks.length - 1} checks pass`,
      }),
    ).toHaveAttribute('aria-expanded', 'false');

    const history = screen.getByTestId('freshness-history');
    expect(within(history).getAllByRole('row')).toHaveLength(5);
    expect(within(history).getByText('41 min old')).toBeInTheDocument();

    expect(screen.getByTestId('volume-summary')).toHaveTextContent(
      'About 2,000,000 DynamoDB data events a day: projected $60.80 a month at $0.10 per 100,000 events.',
    );
    expect(
      screen.getByText(
        'Observed: 2026-02-28: 1,900,000 · 2026-03-01: 2,100,000',
      ),
    ).toBeInTheDocument();
  });

  it('says there is no projection when no data event was observed', async () => {
    await renderCard(
      paymentsTrailEntity,
      answering({
        ...trailStatus,
        health: { ...trailStatus.health, volume: undefined },
        history: [],
      } as EntityStatus),
    );
    expect(
      await screen.findByText(
        /No DynamoDB data events in the logs read so far/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/No history yet/)).toBeInTheDocument();
  });

  it('explains which entities it applies to on other resources', async () => {
    const api = mockLineageApi();
    await renderCard(unrelatedResource, api);
    expect(
      screen.getByText('DynamoDB lineage does not apply to this entity'),
    ).toBeInTheDocument();
    expect(api.getEntityStatus).not.toHaveBeenCalled();
  });

  it('shows the backend reason for an unsupported entity', async () => {
    await renderCard(
      paymentsTrailEntity,
      answering({
        kind: 'unsupported',
        reason: 'Trail not found in the store',
      }),
    );
    expect(
      await screen.findByText('Trail not found in the store'),
    ).toBeInTheDocument();
  });
});

describe('DynamoDbLineageCard while loading and on errors', () => {
  it('shows progress until the status arrives', async () => {
    const api = mockLineageApi({
      getEntityStatus: () => new Promise<EntityStatus>(() => {}),
    });
    await renderCard(paymentsGroup, api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const error = await ResponseError.fromResponse(
      errorResponse(500, 'Internal Server Error', 'store is unavailable'),
    );
    await renderCard(
      paymentsGroup,
      mockLineageApi({
        getEntityStatus: async () => {
          throw error;
        },
      }),
    );
    await waitFor(() =>
      expect(
        screen.getAllByText(/Request failed with 500/).length,
      ).toBeGreaterThan(0),
    );
    expect(screen.getAllByText(/store is unavailable/).length).toBeGreaterThan(
      0,
    );
  });
});
