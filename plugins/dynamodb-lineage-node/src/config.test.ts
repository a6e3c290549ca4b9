import { ConfigReader } from '@backstage/config';
import { athenaSettingsFor, readDynamoDbLineageConfig } from './config';

const read = (dynamodbLineage?: object) =>
  readDynamoDbLineageConfig(
    new ConfigReader(dynamodbLineage ? { dynamodbLineage } : {}),
  );

describe('readDynamoDbLineageConfig', () => {
  it('applies the defaults when the block is absent', () => {
    expect(read()).toEqual({
      aws: { maxAttempts: 3 },
      regions: ['us-east-1'],
      accounts: [],
      freshness: {
        warnAfterMinutes: 30,
        failAfterMinutes: 120,
        firstDeliveryWindowMinutes: 15,
      },
      lineage: {
        byteBudgetBytes: 64 * 1024 * 1024,
        backfillDays: 7,
        retentionDays: 400,
        ingest: { byteBudgetBytes: 512 * 1024 * 1024, timeBudgetMs: 180_000 },
      },
      integrity: { windowHours: 6 },
      forensics: {},
    });
  });

  it('reads the Athena settings, global and per account', () => {
    const config = read({
      forensics: {
        athena: {
          outputLocation: 's3://athena-results/lineage',
          maxScanGb: 2,
          accounts: [
            {
              accountId: '222222222222',
              workGroup: 'security',
              region: 'eu-west-1',
            },
          ],
        },
      },
    });
    expect(athenaSettingsFor(config, '111111111111')).toEqual({
      workGroup: 'primary',
      database: 'dynamodb_lineage',
      outputLocation: 's3://athena-results/lineage/',
      maxScanBytes: 2 * 1024 ** 3,
    });
    expect(athenaSettingsFor(config, '222222222222')).toEqual({
      workGroup: 'security',
      database: 'dynamodb_lineage',
      outputLocation: 's3://athena-results/lineage/',
      region: 'eu-west-1',
      maxScanBytes: 2 * 1024 ** 3,
    });
    expect(athenaSettingsFor(read(), '111111111111')).toBeUndefined();
    expect(athenaSettingsFor(read({ forensics: { athena: {} } }), '1')).toEqual(
      {
        workGroup: 'primary',
        database: 'dynamodb_lineage',
        maxScanBytes: 10 * 1024 ** 3,
      },
    );
  });

  it('reads every field, with account regions falling back to the global list', () => {
    const config = read({
      aws: { endpoint: 'http://127.0.0.1:4566', maxAttempts: 5 },
      regions: ['us-east-1', 'eu-west-1'],
      accounts: [
        { accountId: '111111111111', owner: 'group:default/team-payments' },
        { accountId: '222222222222', regions: ['us-east-1'] },
      ],
      freshness: {
        warnAfter: { minutes: 10 },
        failAfter: '1 hour',
        firstDeliveryWindow: { minutes: 5 },
      },
      lineage: {
        byteBudgetMb: 8,
        backfillDays: 2,
        retentionDays: 30,
        ingest: { byteBudgetMb: 16, timeBudget: { seconds: 30 } },
      },
      integrity: { window: { hours: 24 } },
    });
    expect(config).toEqual({
      aws: { endpoint: 'http://127.0.0.1:4566', maxAttempts: 5 },
      regions: ['us-east-1', 'eu-west-1'],
      accounts: [
        {
          accountId: '111111111111',
          regions: ['us-east-1', 'eu-west-1'],
          owner: 'group:default/team-payments',
        },
        { accountId: '222222222222', regions: ['us-east-1'] },
      ],
      freshness: {
        warnAfterMinutes: 10,
        failAfterMinutes: 60,
        firstDeliveryWindowMinutes: 5,
      },
      lineage: {
        byteBudgetBytes: 8 * 1024 * 1024,
        backfillDays: 2,
        retentionDays: 30,
        ingest: { byteBudgetBytes: 16 * 1024 * 1024, timeBudgetMs: 30_000 },
      },
      integrity: { windowHours: 24 },
      forensics: {},
    });
  });

  it.each([
    [
      { backfillDays: 91 },
      /lineage.backfillDays must be a whole number from 0 to 90/,
    ],
    [{ backfillDays: 1.5 }, /lineage.backfillDays/],
    [
      { retentionDays: 0 },
      /lineage.retentionDays must be a whole number from 1/,
    ],
    [{ ingest: { byteBudgetMb: 0 } }, /lineage.ingest.byteBudgetMb/],
    [
      { ingest: { timeBudget: { milliseconds: 10 } } },
      /lineage.ingest.timeBudget/,
    ],
  ])('refuses lineage store setting %j', (lineage, message) => {
    expect(() => read({ lineage })).toThrow(message);
  });

  it('accepts ISO-8601 durations', () => {
    expect(
      read({ freshness: { warnAfter: 'PT45M', failAfter: { hours: 3 } } })
        .freshness,
    ).toEqual({
      warnAfterMinutes: 45,
      failAfterMinutes: 180,
      firstDeliveryWindowMinutes: 15,
    });
  });

  it.each([
    [{ regions: ['moon-1'] }, /dynamodbLineage\.regions\[0\]/],
    [
      { accounts: [{ accountId: '1234' }] },
      /dynamodbLineage\.accounts\[0\]\.accountId.*12 digits/,
    ],
    [{ aws: { endpoint: 'localhost:4566' } }, /aws\.endpoint must be an http/],
    [{ aws: { maxAttempts: 0 } }, /maxAttempts must be an integer/],
    [{ lineage: { byteBudgetMb: 0 } }, /byteBudgetMb/],
    [{ integrity: { window: { minutes: 30 } } }, /integrity\.window/],
    [{ integrity: { window: { days: 8 } } }, /integrity\.window/],
    [
      { forensics: { athena: { outputLocation: 'results-bucket' } } },
      /forensics\.athena\.outputLocation must be an s3:/,
    ],
    [
      { forensics: { athena: { database: 'Lineage-DB' } } },
      /forensics\.athena\.database must be/,
    ],
    [{ forensics: { athena: { maxScanGb: 0 } } }, /maxScanGb/],
    [
      {
        forensics: {
          athena: { accounts: [{ accountId: '1', workGroup: 'a b' }] },
        },
      },
      /forensics\.athena\.accounts\[0\]\.accountId/,
    ],
    [
      { forensics: { athena: { workGroup: 'a b' } } },
      /forensics\.athena\.workGroup must be/,
    ],
    [
      { freshness: { warnAfter: { hours: 3 }, failAfter: { hours: 2 } } },
      /failAfter must be longer than/,
    ],
  ])('refuses %j', (block, message) => {
    expect(() => read(block)).toThrow(message);
  });
});
