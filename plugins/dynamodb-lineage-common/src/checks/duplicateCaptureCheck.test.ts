import type { TrailState } from '../types';
import {
  accessDenied,
  checkOf,
  context,
  detailOf,
  healthyEvidence,
  healthyTrail,
} from './__fixtures__/evidence';

const checkDuplicateCapture = checkOf('trail.duplicate-capture');

/** Another trail of the account, logging every region, with the given advanced selectors. */
function otherTrail(
  name: string,
  fieldSelectors: { Field: string; Equals?: string[]; StartsWith?: string[] }[],
): TrailState {
  const trail = healthyTrail();
  return {
    ...trail,
    trail: {
      ...trail.trail,
      name,
      arn: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${name}`,
      s3BucketName: `${name}-logs`,
    },
    eventSelectors: {
      ok: true,
      value: { advanced: [{ Name: name, FieldSelectors: fieldSelectors }] },
    },
  };
}

const DYNAMODB = [
  { Field: 'eventCategory', Equals: ['Data'] },
  { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
];

describe('trail.duplicate-capture', () => {
  it('passes when no other trail logs the account-region', () => {
    const result = checkDuplicateCapture(healthyEvidence());
    expect(result.status).toBe('pass');
    expect(result.severity).toBe('low');
    expect(result.evidence).toBe(
      'No other trail captures the DynamoDB data events this trail captures in this account-region.',
    );
  });

  it('passes when the other trail logs S3 objects only', () => {
    const evidence = healthyEvidence();
    evidence.otherTrails = [
      otherTrail('s3-audit', [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      ]),
    ];
    expect(checkDuplicateCapture(evidence).status).toBe('pass');
  });

  it('passes when one trail captures only reads and the other only writes', () => {
    const evidence = healthyEvidence();
    evidence.trail.eventSelectors = {
      ok: true,
      value: {
        advanced: [
          {
            Name: 'reads',
            FieldSelectors: [
              ...DYNAMODB,
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
        ],
      },
    };
    evidence.otherTrails = [
      otherTrail('writes', [
        ...DYNAMODB,
        { Field: 'readOnly', Equals: ['false'] },
      ]),
    ];
    expect(checkDuplicateCapture(evidence).status).toBe('pass');
  });

  it('warns when another trail captures the same DynamoDB events, with the monthly cost of the duplicate', () => {
    const evidence = healthyEvidence();
    // 28,800 events a day measured: $0.88 a month billed again.
    evidence.signals!.dynamodbEvents = {
      ok: true,
      value: {
        filesRead: 3,
        bytesRead: 30_000,
        dynamodbEvents: 300,
        eventsPerDay: { '2025-06-01': 300 },
        sample: {
          events: 300,
          spanMs: 15 * 60_000,
          from: '2025-06-01T11:45:00.000Z',
          to: '2025-06-01T12:00:00.000Z',
        },
      },
    };
    evidence.otherTrails = [
      otherTrail('security-audit', DYNAMODB),
      otherTrail('s3-audit', [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      ]),
    ];
    const result = checkDuplicateCapture(evidence);
    expect(result.status).toBe('warn');
    expect(result.evidence).toBe(
      "DynamoDB data events of this account-region are also captured by trail security-audit. The duplicate costs about $0.88 a month (28,800 events a day measured in this trail's logs, billed again by each other capture).",
    );
    expect(detailOf(result, 'Also captured by')).toBe(
      'arn:aws:cloudtrail:us-east-1:111111111111:trail/security-audit',
    );
    expect(detailOf(result, 'Duplicate cost a month')).toBe('$0.88');
    expect(result.remediation?.commands).toEqual([
      'aws cloudtrail get-event-selectors --trail-name security-audit --region us-east-1',
    ]);
  });

  it('names the price when no volume was measured, and overlaps on the tables in scope only', () => {
    const evidence = healthyEvidence();
    evidence.signals = undefined;
    evidence.otherTrails = [
      otherTrail('orders-only', [
        ...DYNAMODB,
        {
          Field: 'resources.ARN',
          StartsWith: ['arn:aws:dynamodb:us-east-1:111111111111:table/orders'],
        },
      ]),
    ];
    const payments = context({
      scope: {
        accountId: '111111111111',
        region: 'us-east-1',
        tableArns: ['arn:aws:dynamodb:us-east-1:111111111111:table/payments'],
      },
    });
    expect(checkDuplicateCapture(evidence, payments).status).toBe('pass');
    const all = checkDuplicateCapture(evidence);
    expect(all.status).toBe('warn');
    expect(all.evidence).toContain('at $0.10 per 100,000');
  });

  it("is unknown when a trail's selectors could not be read, or the other trails were not gathered", () => {
    const evidence = healthyEvidence();
    const unreadable = otherTrail('hidden', DYNAMODB);
    unreadable.eventSelectors = accessDenied;
    evidence.otherTrails = [unreadable];
    const result = checkDuplicateCapture(evidence);
    expect(result.status).toBe('unknown');
    expect(result.evidence).toContain('the event selectors of hidden');
    const notGathered = healthyEvidence();
    delete notGathered.otherTrails;
    expect(checkDuplicateCapture(notGathered).status).toBe('unknown');
  });

  it('passes for a trail that captures no DynamoDB event here', () => {
    const evidence = healthyEvidence();
    evidence.trail.eventSelectors = { ok: true, value: { advanced: [] } };
    evidence.otherTrails = [otherTrail('security-audit', DYNAMODB)];
    expect(checkDuplicateCapture(evidence).evidence).toContain(
      'captures nothing twice',
    );
  });
});
