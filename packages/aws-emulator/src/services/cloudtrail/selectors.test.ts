import type { CloudTrailRecord } from '../../events/record';
import type { Trail } from './model';
import {
  selectorsCapture,
  validateAdvancedEventSelectors,
  validateEventSelectors,
} from './selectors';

const TABLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/payments';

function record(overrides: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/app/s',
    },
    eventTime: '2024-06-01T00:00:00Z',
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'GetItem',
    awsRegion: 'us-east-1',
    sourceIPAddress: '10.0.0.1',
    userAgent: 'test',
    requestParameters: null,
    responseElements: null,
    requestID: 'r',
    eventID: 'e',
    readOnly: true,
    resources: [
      { accountId: '111111111111', type: 'AWS::DynamoDB::Table', ARN: TABLE },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: '111111111111',
    eventCategory: 'Data',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 'dynamodb.us-east-1.amazonaws.com',
    },
    ...overrides,
  };
}

const trailWith = (
  selectors: Pick<Trail, 'eventSelectors' | 'advancedEventSelectors'>,
) => ({ ...selectors } as Trail);

const advanced = (...fields: Array<Record<string, unknown>>) =>
  trailWith({
    advancedEventSelectors: validateAdvancedEventSelectors([
      {
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          ...fields,
        ],
      },
    ]),
  });

describe('selector matching', () => {
  it('treats the default trail as management events only', () => {
    const trail = trailWith({});
    expect(selectorsCapture(trail, record())).toBe(false);
    expect(
      selectorsCapture(
        trail,
        record({
          eventCategory: 'Management',
          managementEvent: true,
          resources: undefined,
        }),
      ),
    ).toBe(true);
  });

  it('matches basic all-tables and exact-table values with read/write types', () => {
    const all = trailWith({
      eventSelectors: validateEventSelectors([
        {
          ReadWriteType: 'WriteOnly',
          DataResources: [
            { Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] },
          ],
        },
      ]),
    });
    expect(
      selectorsCapture(all, record({ readOnly: false, eventName: 'PutItem' })),
    ).toBe(true);
    expect(selectorsCapture(all, record())).toBe(false);
    const exact = trailWith({
      eventSelectors: validateEventSelectors([
        { DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [TABLE] }] },
      ]),
    });
    expect(selectorsCapture(exact, record())).toBe(true);
    expect(
      selectorsCapture(
        exact,
        record({
          resources: [{ type: 'AWS::DynamoDB::Table', ARN: `${TABLE}-eu` }],
        }),
      ),
    ).toBe(false);
  });

  it('ORs positive advanced operators and ANDs negative ones', () => {
    const trail = advanced({
      Field: 'resources.ARN',
      StartsWith: ['arn:aws:dynamodb:us-east-1:111111111111:table/pay'],
      EndsWith: ['/ledger'],
      NotEquals: [`${TABLE}-archive`],
      NotStartsWith: ['arn:aws:dynamodb:us-east-1:111111111111:table/payroll'],
    });
    const on = (arn: string) =>
      selectorsCapture(
        trail,
        record({ resources: [{ type: 'AWS::DynamoDB::Table', ARN: arn }] }),
      );
    expect(on(TABLE)).toBe(true);
    expect(on('arn:aws:dynamodb:us-east-1:111111111111:table/ledger')).toBe(
      true,
    );
    expect(on(`${TABLE}-archive`)).toBe(false);
    expect(on('arn:aws:dynamodb:us-east-1:111111111111:table/payroll')).toBe(
      false,
    );
    expect(on('arn:aws:dynamodb:us-east-1:111111111111:table/orders')).toBe(
      false,
    );
  });

  it('filters on readOnly, eventName, errorCode and the principal', () => {
    expect(
      selectorsCapture(
        advanced({ Field: 'readOnly', Equals: ['false'] }),
        record(),
      ),
    ).toBe(false);
    expect(
      selectorsCapture(
        advanced({ Field: 'eventName', NotEquals: ['GetItem', 'Query'] }),
        record(),
      ),
    ).toBe(false);
    expect(
      selectorsCapture(
        advanced({ Field: 'eventName', Equals: ['GetItem'] }),
        record(),
      ),
    ).toBe(true);
    expect(
      selectorsCapture(
        advanced({ Field: 'errorCode', Equals: ['AccessDeniedException'] }),
        record(),
      ),
    ).toBe(false);
    expect(
      selectorsCapture(
        advanced({
          Field: 'userIdentity.arn',
          StartsWith: ['arn:aws:sts::111111111111:assumed-role/app/'],
        }),
        record(),
      ),
    ).toBe(true);
  });

  it('does not let a DynamoDB selector capture S3 or stream events', () => {
    const trail = advanced();
    expect(
      selectorsCapture(
        trail,
        record({
          eventSource: 's3.amazonaws.com',
          resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::b/k' }],
        }),
      ),
    ).toBe(false);
    expect(
      selectorsCapture(
        trail,
        record({
          resources: [
            { type: 'AWS::DynamoDB::Stream', ARN: `${TABLE}/stream/x` },
          ],
        }),
      ),
    ).toBe(false);
  });
});
