import type { EventSelectors } from '../types';
import {
  accessDenied,
  context,
  healthyEvidence,
  checkOf,
} from './__fixtures__/evidence';

const checkDynamoDbCoverage = checkOf('trail.dynamodb-coverage');

const PAY = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';
const LEDGER = 'arn:aws:dynamodb:us-east-1:111111111111:table/ledger';

const withSelectors = (selectors: EventSelectors) => {
  const evidence = healthyEvidence();
  evidence.trail.eventSelectors = { ok: true, value: selectors };
  return evidence;
};
const dataFields = [
  { Field: 'eventCategory', Equals: ['Data'] },
  { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
];

describe('trail.dynamodb-coverage', () => {
  it('passes when every table of the account-region is captured', () => {
    const result = checkDynamoDbCoverage(healthyEvidence(), context());
    expect(result.status).toBe('pass');
    expect(result.severity).toBe('critical');
    expect(result.evidence).toBe(
      'Every DynamoDB read and write is captured for every table.',
    );
    expect(result.details).toEqual([
      {
        label: 'all tables of 111111111111 in us-east-1',
        value: expect.stringContaining('DynamoDB data operations are captured'),
      },
    ]);
  });

  it('fails when the selectors log S3 objects only (the misconfigured demo)', () => {
    const result = checkDynamoDbCoverage(
      withSelectors({
        basic: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            DataResources: [
              { Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] },
            ],
          },
        ],
      }),
      context(),
    );
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe('Every table: no read or write is captured.');
    expect(result.details?.[0].value).toContain(
      'no DynamoDB data operation is captured',
    );
    const [get, put] = result.remediation!.commands!;
    expect(get).toBe(
      'aws cloudtrail get-event-selectors --trail-name dynamodb-lineage --region us-east-1',
    );
    expect(put).toContain(
      'aws cloudtrail put-event-selectors --trail-name dynamodb-lineage --region us-east-1',
    );
    expect(put).toContain('"resources.type","Equals":["AWS::DynamoDB::Table"]');
    expect(result.remediation?.text).toContain('replaces all of them');
  });

  it('fails when writes are not captured', () => {
    const result = checkDynamoDbCoverage(
      withSelectors({
        advanced: [
          {
            FieldSelectors: [
              ...dataFields,
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
        ],
      }),
      context(),
    );
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe('Every table: writes are not captured.');
    expect(result.details?.[0].value).toContain(
      'readOnly Equals [true] excludes write events',
    );
  });

  it('warns when an eventName filter drops some operations', () => {
    const result = checkDynamoDbCoverage(
      withSelectors({
        advanced: [
          {
            FieldSelectors: [
              ...dataFields,
              { Field: 'eventName', NotEquals: ['Scan'] },
            ],
          },
        ],
      }),
      context(),
    );
    expect(result.status).toBe('warn');
    expect(result.evidence).toBe(
      'Every table: reads are only partly captured (Scan not captured).',
    );
  });

  it('warns when only some tables of the account-region are captured', () => {
    const result = checkDynamoDbCoverage(
      withSelectors({
        advanced: [
          {
            FieldSelectors: [
              ...dataFields,
              {
                Field: 'resources.ARN',
                StartsWith: [
                  'arn:aws:dynamodb:us-east-1:111111111111:table/pay',
                ],
              },
            ],
          },
        ],
      }),
      context(),
    );
    expect(result.status).toBe('warn');
    expect(result.evidence).toBe(
      'Every table: reads are only partly captured and writes are only partly captured.',
    );
    expect(result.details?.[0].value).toContain(
      'only some tables are captured',
    );
  });

  it('judges each declared table and names the one left out', () => {
    const result = checkDynamoDbCoverage(
      withSelectors({
        basic: [
          { DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [PAY] }] },
        ],
      }),
      context({
        scope: {
          accountId: '111111111111',
          region: 'us-east-1',
          tableArns: [PAY, LEDGER],
        },
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe('Table ledger: no read or write is captured.');
    expect(result.details?.map(d => d.label)).toEqual([PAY, LEDGER]);
  });

  it('passes for declared tables that are all captured', () => {
    const result = checkDynamoDbCoverage(
      withSelectors({
        basic: [
          {
            DataResources: [
              { Type: 'AWS::DynamoDB::Table', Values: [PAY, LEDGER] },
            ],
          },
        ],
      }),
      context({
        scope: {
          accountId: '111111111111',
          region: 'us-east-1',
          tableArns: [PAY, LEDGER],
        },
      }),
    );
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('all 2 tables in scope');
  });

  it('fails for a region a single-region trail does not reach, suggesting multi-region', () => {
    const evidence = healthyEvidence();
    evidence.trail.trail.isMultiRegionTrail = false;
    const result = checkDynamoDbCoverage(
      evidence,
      context({ scope: { accountId: '111111111111', region: 'eu-west-1' } }),
    );
    expect(result.status).toBe('fail');
    expect(result.remediation?.text).toContain(
      'This trail does not log this account and region',
    );
    expect(result.remediation?.commands?.[0]).toContain(
      '--is-multi-region-trail',
    );
  });

  it('counts an organization trail for a member account', () => {
    const evidence = healthyEvidence();
    evidence.trail.trail.isOrganizationTrail = true;
    evidence.trail.trail.accountId = '999999999999';
    const result = checkDynamoDbCoverage(evidence, context());
    expect(result.status).toBe('pass');
  });

  it('is unknown when GetEventSelectors is denied', () => {
    const evidence = healthyEvidence();
    evidence.trail.eventSelectors = accessDenied;
    const result = checkDynamoDbCoverage(evidence, context());
    expect(result.status).toBe('unknown');
    expect(result.evidence).toBe(
      "Not checked: AWS did not show the trail's event selectors (AccessDenied).",
    );
  });
});
