import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import {
  summarizeTeam,
  type EntityStatus,
} from '@lineage/plugin-dynamodb-lineage-common';
import { dynamoDbLineageApiRef } from '../../api/DynamoDbLineageApi';
import type { DynamoDbLineageApi } from '../../api/DynamoDbLineageApi';
import {
  accountStatus,
  accountWithoutId,
  analyticsGroup,
  analyticsPlan,
  analyticsTeam,
  componentStatus,
  componentWithoutTables,
  deniedTeam,
  inventoryTeam,
  inventoryUsEast1,
  NOW,
  paymentsEuWest1,
  paymentsWithoutKms,
  ordersTeam,
  ordersTrail,
  paymentsAccount,
  paymentsComponent,
  paymentsGroup,
  paymentsTeam,
  paymentsTrail,
  paymentsTrailEntity,
  teamWithoutAccounts,
  trailStatus,
  unrelatedResource,
} from '../../testing/fixtures';
import { errorResponse, mockLineageApi } from '../../testing/mockApi';
import { formatUsd } from '../parts/cost';
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
    // Every check passes: no fix, nothing that needs attention.
    expect(screen.queryByText('Fix with the template')).not.toBeInTheDocument();
    expect(screen.queryByTestId('account-region-findings')).toBeNull();
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
      /^trail dynamodb-lineage: No log files delivered recently$/,
    );
    // Plain words; the AWS field and the raw time on hover and folded away.
    const check = screen.getByTestId('check-freshness.delivery');
    const evidence = within(check).getByTestId('evidence');
    expect(evidence).toHaveTextContent('Last delivery 5 h ago (07:00 UTC).');
    expect(evidence).not.toHaveTextContent('LatestDeliveryTime');
    expect(evidence.getAttribute('title')).toContain(
      'LatestDeliveryTime: 2026-03-02T07:00:00.000Z',
    );
    const raw = within(check).getByTestId('raw-values');
    expect(raw).not.toHaveAttribute('open');
    expect(raw).toHaveTextContent('LatestDeliveryTime2026-03-02T07:00:00.000Z');
    // The team card is compact: the fix, with its command, opens on demand.
    const fix = within(check).getByTestId('remediation');
    expect(fix).toHaveTextContent(
      'Look at the "Trail is logging" and "Log files are delivered without error" checks',
    );
    expect(
      within(fix).getByText(
        'aws cloudtrail get-trail-status --name dynamodb-lineage --region us-east-1',
      ).tagName,
    ).toBe('CODE');
    expect(fix.closest('details')).not.toHaveAttribute('open');
    expect(within(check).getByText('How to fix')).toBeInTheDocument();
    // The passing checks are folded, by title.
    const passing = screen.getByTestId('passing-check-list');
    expect(passing).not.toHaveAttribute('open');
    expect(passing).toHaveTextContent('The other 13 checks pass');
    expect(passing).toHaveTextContent('Trail is logging');
    // The overview's words: the worst account-region's counts, the coverage.
    expect(screen.getByTestId('status-summary')).toHaveTextContent(
      '3 failing · 1 warning · 0 of 1 account-regions covered',
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

    const table = (await screen.findAllByText('s3-audit'))[0].closest('table')!;
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
    expect(row).toHaveTextContent('3 failing · 1 warning');
    expect(row).toHaveTextContent('Last delivery 6 min ago (11:54 UTC)');
    expect(within(row).getByText('Fix with the template')).toBeInTheDocument();
    // Evidence and remediation never sit in a table cell.
    expect(row).not.toHaveTextContent('put-event-selectors');

    const panel = screen.getByTestId('findings-333333333333-us-east-1');
    expect(panel.closest('table')).toBeNull();
    // The account and region once, then the reason without them.
    expect(panel).toHaveTextContent(
      '333333333333 · us-east-1trail s3-audit: DynamoDB data events are not captured',
    );
    expect(within(panel).getByTestId('row-reason')).toHaveTextContent(
      /^trail s3-audit: DynamoDB data events are not captured$/,
    );
    expect(within(panel).getByRole('button', { expanded: true })).toBeTruthy();
    const order = within(panel)
      .getAllByTestId(/^check-/)
      .map(c => c.getAttribute('data-testid'));
    expect(order).toEqual([
      'check-trail.dynamodb-coverage',
      'check-bucket.public-access',
      'check-trail.log-file-validation',
      'check-trail.log-integrity',
    ]);
    const validation = within(panel).getByTestId(
      'check-trail.log-file-validation',
    );
    expect(validation).toHaveTextContent('Fail');
    expect(validation).toHaveTextContent('Log file integrity validation is on');
    expect(validation).toHaveTextContent(
      'Log file validation is off: changes to delivered log files cannot be detected.',
    );
    expect(
      within(validation).getByText(
        'aws cloudtrail update-trail --name s3-audit --region us-east-1 --enable-log-file-validation',
      ).tagName,
    ).toBe('CODE');
    // Controls as chips, one per control.
    expect(within(validation).getByText('CIS 3.2')).toBeInTheDocument();
    expect(within(validation).getByText('CloudTrail.4')).toBeInTheDocument();
  });

  it('opens a lone account-region that needs attention, and folds many', async () => {
    const failing = Array.from({ length: 4 }, (_, i) => ({
      ...inventoryUsEast1,
      region: `region-${i}`,
    }));
    const { unmount } = await renderCard(
      paymentsGroup,
      answering({
        kind: 'team',
        team: {
          team: summarizeTeam('group:default/team-payments', 'Payments', [
            paymentsWithoutKms,
            paymentsEuWest1,
          ]),
          accountRegions: [paymentsWithoutKms, paymentsEuWest1],
        },
      }),
    );
    const degraded = await screen.findByTestId(
      'findings-111111111111-us-east-1',
    );
    expect(
      within(degraded).getByRole('button', { expanded: true }),
    ).toBeTruthy();
    expect(degraded).toHaveTextContent('1 warning');
    expect(screen.queryByTestId('findings-111111111111-eu-west-1')).toBeNull();
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

  it('invites a team that never enabled tracking to the template, with what enabling would cost', async () => {
    const api = answering(
      { kind: 'team', team: analyticsTeam },
      { getPlan: async () => analyticsPlan },
    );
    await renderCard(analyticsGroup, api);

    // The forecast comes from the plan of the template's defaults.
    const forecast = await screen.findByTestId('cost-forecast');
    expect(api.getPlan).toHaveBeenCalledWith({
      owner: 'group:default/team-analytics',
      accountId: '444444444444',
      region: 'us-east-1',
    });
    expect(screen.getByTestId('enabling-cost-forecast')).toHaveTextContent(
      'What enabling would cost in 444444444444/us-east-1',
    );
    expect(forecast).toHaveTextContent(
      `About ${formatUsd(
        analyticsPlan.costForecast!.monthlyUsd,
      )} a month: 797,349 DynamoDB data events`,
    );
    expect(forecast).toHaveTextContent(
      'from 14 days of DynamoDB CloudWatch request metrics',
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

  it('says why there is no forecast when the plan cannot be made', async () => {
    await renderCard(
      analyticsGroup,
      answering(
        { kind: 'team', team: analyticsTeam },
        {
          getPlan: async () => {
            throw new Error('Not allowed to plan for account 444444444444');
          },
        },
      ),
    );
    expect(
      await screen.findByText(
        'No forecast: Not allowed to plan for account 444444444444',
      ),
    ).toBeInTheDocument();
    expect(
      anchorWithText('Enable lineage tracking with the template'),
    ).toBeInTheDocument();
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

  it('lists its tables with their coverage, and leaves who calls them to the data lineage card', async () => {
    const api = answering(componentStatus);
    await renderCard(withOwner, api);

    expect(
      await screen.findByText('1 of 2 tables covered by a trail'),
    ).toBeInTheDocument();
    expect(screen.getByText('Covered')).toBeInTheDocument();
    expect(screen.getByText('Not covered')).toBeInTheDocument();
    // Callers come from the stored lineage, on the data lineage card.
    expect(api.getTableLineage).not.toHaveBeenCalled();
    expect(screen.queryByText(/^Lineage of /)).not.toBeInTheDocument();
    expect(anchorWithText('Enable with the template')).toHaveAttribute(
      'href',
      templateHref({
        owner: 'group:default/team-payments',
        accountId: '111111111111',
        region: 'us-east-1',
      }),
    );
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
    await renderCard(
      {
        ...paymentsTrailEntity,
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/team-payments' },
        ],
      },
      answering(trailStatus),
    );

    const line = await screen.findByTestId('trail-summary-line');
    expect(line).toHaveTextContent(
      '2 warnings · Last delivery 3 min ago (11:57 UTC) · checked 1 min ago',
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

    // The worst check first, as a block: plain evidence, the raw values
    // folded, copyable commands, the policy behind a disclosure, controls as
    // chips.
    const findings = screen.getByRole('heading', {
      name: 'Needs attention (2)',
    }).parentElement!;
    const blocks = within(findings).getAllByRole('listitem');
    expect(blocks[0]).toHaveAttribute('data-testid', 'check-bucket.policy');
    expect(blocks[1]).toHaveAttribute('data-testid', 'check-trail.kms');
    const policyCheck = blocks[0];
    expect(within(policyCheck).getByTestId('evidence')).toHaveTextContent(
      'CloudTrail writes are not limited to this trail',
    );
    expect(within(policyCheck).getByTestId('raw-values')).toHaveTextContent(
      `Trail${paymentsTrail.arn}`,
    );
    expect(
      within(policyCheck).getByText(
        `aws s3api put-bucket-policy --bucket ${paymentsTrail.bucket} --policy file://policy.json`,
      ).tagName,
    ).toBe('CODE');
    expect(
      within(policyCheck).getByRole('button', { name: 'Copy command 2' }),
    ).toBeInTheDocument();
    expect(
      within(policyCheck).getByText('Show the 2 policy statements (JSON)')
        .tagName,
    ).toBe('SUMMARY');
    expect(
      within(policyCheck).getByText(/"Sid": "DenyInsecureTransport"/),
    ).toBeInTheDocument();
    expect(within(policyCheck).getByText('S3.5')).toBeInTheDocument();
    // On the trail page every fix is open.
    expect(blocks[1]).toHaveTextContent(
      'How to fix: Encrypt with a customer managed KMS key',
    );

    // Passing checks are folded under one line.
    const passing = screen.getByTestId('passing-checks');
    expect(
      within(passing).getByRole('button', {
        name: `${trailStatus.health.checks.length - 2} checks pass`,
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

  it("puts the forecast from DynamoDB's metrics next to the observed volume and flags a gap of more than twice", async () => {
    const api = answering(trailStatus as EntityStatus, {
      getTrailForecast: async () => ({
        trailArn: paymentsTrail.arn,
        accountId: paymentsTrail.accountId,
        region: paymentsTrail.homeRegion,
        forecastEventsPerDay: 5_000_000,
        forecastMonthlyUsd: 152,
        basis:
          '14 days of DynamoDB CloudWatch request metrics (2026-02-15T00:00Z to 2026-03-01T00:00Z) for 2 tables the trail captures in 111111111111/us-east-1',
        perTable: [],
        observedEventsPerDay: 2_000_000,
        observedMonthlyUsd: 60.8,
        ratio: 2.5,
        gap: true,
        gapReason:
          'The logs hold 2.5× fewer DynamoDB data events than DynamoDB served for the captured tables: capture may be lost, narrower than the selectors suggest, or delivery late.',
      }),
    });
    await renderCard(paymentsTrailEntity, api);
    const comparison = await screen.findByTestId('forecast-vs-observed');
    expect(api.getTrailForecast).toHaveBeenCalledWith(paymentsTrail.arn);
    expect(comparison).toHaveTextContent(
      "Forecast from DynamoDB's metrics: 5,000,000 data events a day ($152.00 a month), from 14 days of DynamoDB CloudWatch request metrics",
    );
    expect(comparison).toHaveTextContent(
      'Observed in the logs: 2,000,000 a day ($60.80 a month), 2.5× apart.',
    );
    expect(screen.getByTestId('forecast-gap')).toHaveTextContent(
      'More than twice apart. The logs hold 2.5× fewer DynamoDB data events',
    );
  });

  it('shows no gap flag when forecast and logs agree', async () => {
    await renderCard(
      paymentsTrailEntity,
      answering(trailStatus as EntityStatus, {
        getTrailForecast: async () => ({
          trailArn: paymentsTrail.arn,
          accountId: paymentsTrail.accountId,
          region: paymentsTrail.homeRegion,
          forecastEventsPerDay: 2_100_000,
          forecastMonthlyUsd: 63.84,
          basis: '14 days of DynamoDB CloudWatch request metrics',
          perTable: [],
          observedEventsPerDay: 2_000_000,
          observedMonthlyUsd: 60.8,
          ratio: 1.1,
          gap: false,
        }),
      }),
    );
    expect(await screen.findByTestId('forecast-vs-observed')).toHaveTextContent(
      '1.1× apart',
    );
    expect(screen.queryByTestId('forecast-gap')).not.toBeInTheDocument();
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
