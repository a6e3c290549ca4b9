import { ageInMinutes, formatMinutes } from './age';
import {
  accessDenied,
  context,
  healthyEvidence,
  minutesAgo,
  NOW,
  checkOf,
  BUCKET,
  detailOf,
} from './__fixtures__/evidence';

const checkDeliveryFreshness = checkOf('freshness.delivery');
const checkDynamoDbEventsFlowing = checkOf('freshness.dynamodb-events');
const checkObjectFreshness = checkOf('freshness.objects');

const deliveredMinutesAgo = (minutes: number | undefined, isLogging = true) => {
  const evidence = healthyEvidence();
  evidence.trail.status = {
    ok: true,
    value: {
      isLogging,
      ...(minutes === undefined
        ? {}
        : { latestDeliveryTime: minutesAgo(minutes) }),
    },
  };
  return evidence;
};

describe('freshness.delivery', () => {
  it.each([
    [0, 'pass'],
    [29, 'pass'],
    [30, 'warn'],
    [119, 'warn'],
    [120, 'fail'],
    [300, 'fail'],
  ] as const)(
    '%i minutes old → %s with default thresholds',
    (minutes, status) => {
      expect(
        checkDeliveryFreshness(deliveredMinutesAgo(minutes), context()).status,
      ).toBe(status);
    },
  );

  it('reports the age and thresholds it judged', () => {
    const result = checkDeliveryFreshness(deliveredMinutesAgo(302), context());
    expect(result.evidence).toBe('Last delivery 5 h 2 min ago (06:58 UTC).');
    expect(detailOf(result, 'LatestDeliveryTime')).toBe(minutesAgo(302));
    expect(detailOf(result, 'Thresholds')).toBe(
      'warn after 30 min, fail after 2 h',
    );
    expect(result.remediation?.commands).toEqual([
      'aws cloudtrail get-trail-status --name dynamodb-lineage --region us-east-1',
    ]);
    expect(result.controls[0]).toContain('expectedDeliveryWindowAge');
  });

  it('honours configured thresholds', () => {
    const thresholds = { warnAfterMinutes: 5, failAfterMinutes: 10 };
    expect(
      checkDeliveryFreshness(deliveredMinutesAgo(7), context({ thresholds }))
        .status,
    ).toBe('warn');
    expect(
      checkDeliveryFreshness(deliveredMinutesAgo(11), context({ thresholds }))
        .status,
    ).toBe('fail');
  });

  it('fails when CloudTrail never delivered, noting a stopped trail', () => {
    const result = checkDeliveryFreshness(
      deliveredMinutesAgo(undefined, false),
      context(),
    );
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(
      'CloudTrail has never delivered a log file for this trail. The trail is not logging.',
    );
  });

  it('is unknown for an unreadable timestamp or an unanswered status', () => {
    const evidence = healthyEvidence();
    evidence.trail.status = {
      ok: true,
      value: { isLogging: true, latestDeliveryTime: 'yesterday' },
    };
    expect(checkDeliveryFreshness(evidence, context())).toMatchObject({
      status: 'unknown',
      evidence:
        'Not checked: the last delivery time cannot be read ("yesterday").',
    });
    evidence.trail.status = accessDenied;
    expect(checkDeliveryFreshness(evidence, context()).status).toBe('unknown');
  });
});

describe('freshness.objects', () => {
  it('passes on a recent object and names it', () => {
    const result = checkObjectFreshness(healthyEvidence(), context());
    expect(result.status).toBe('pass');
    expect(result.evidence).toBe(
      'Newest log file for this account and region written 5 min ago (11:55 UTC).',
    );
    expect(detailOf(result, 'Newest object')).toContain(
      '20250601T1155Z_abc.json.gz',
    );
  });

  it('fails when no object exists under the date prefixes', () => {
    const evidence = healthyEvidence();
    evidence.signals!.logObjects = {
      ok: true,
      value: {
        prefixesListed: [
          'AWSLogs/222222222222/CloudTrail/us-east-1/2025/06/01/',
        ],
      },
    };
    const result = checkObjectFreshness(evidence, context());
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(
      'No log file arrived for this account and region today or yesterday.',
    );
    expect(detailOf(result, 'Prefixes listed')).toBe(
      'AWSLogs/222222222222/CloudTrail/us-east-1/2025/06/01/',
    );
    expect(result.remediation?.commands).toEqual([
      `aws s3 ls s3://${BUCKET}/AWSLogs/111111111111/CloudTrail/us-east-1/2025/06/01/`,
    ]);
  });

  it('fails on a stale newest object (the stale demo)', () => {
    const evidence = healthyEvidence();
    evidence.signals!.logObjects = {
      ok: true,
      value: {
        newestKey: 'k',
        newestLastModified: minutesAgo(300),
        prefixesListed: [],
      },
    };
    expect(checkObjectFreshness(evidence, context()).status).toBe('fail');
  });

  it('is unknown when the listing was denied or not done', () => {
    const evidence = healthyEvidence();
    evidence.signals!.logObjects = accessDenied;
    expect(checkObjectFreshness(evidence, context()).status).toBe('unknown');
    delete evidence.signals;
    expect(checkObjectFreshness(evidence, context()).evidence).toContain(
      'not inspected',
    );
  });
});

describe('freshness.dynamodb-events', () => {
  const withEvents = (filesRead: number, dynamodbEvents: number) => {
    const evidence = healthyEvidence();
    delete evidence.canary;
    evidence.signals!.dynamodbEvents = {
      ok: true,
      value: { filesRead, bytesRead: 1000, dynamodbEvents, eventsPerDay: {} },
    };
    return checkDynamoDbEventsFlowing(evidence, context());
  };

  it('passes when the newest files hold a DynamoDB event younger than failAfter', () => {
    const result = checkDynamoDbEventsFlowing(healthyEvidence(), context());
    expect(result.status).toBe('pass');
    expect(result.evidence).toBe(
      'The 3 newest log files hold 42 DynamoDB calls, the newest 9 min ago (11:51 UTC).',
    );
    expect(result.evidence).not.toContain('111111111111');
  });

  it('warns when the newest DynamoDB event is older than failAfter: quiet or lost', () => {
    const evidence = healthyEvidence();
    delete evidence.canary;
    const signal = evidence.signals!.dynamodbEvents;
    if (!signal.ok) throw new Error('fixture');
    signal.value.newestEventTime = minutesAgo(3 * 60);
    const result = checkDynamoDbEventsFlowing(evidence, context());
    expect(result.status).toBe('warn');
    expect(result.evidence).toBe(
      'The newest DynamoDB call in the 3 newest log files was 3 h ago (09:00 UTC): no DynamoDB call in the last 2 h. The tables may be quiet, or capture may be lost.',
    );
  });

  it('passes a quiet account-region when the canary proves capture, saying so', () => {
    const evidence = healthyEvidence();
    const signal = evidence.signals!.dynamodbEvents;
    if (!signal.ok) throw new Error('fixture');
    signal.value.newestEventTime = minutesAgo(3 * 60);
    const result = checkDynamoDbEventsFlowing(evidence, context());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('was captured: capture works');
    expect(result.evidence).toContain('capture works, the tables are quiet');
  });

  it('still warns when the canary is off, or arrived only long ago', () => {
    const off = healthyEvidence();
    off.signals!.dynamodbEvents = {
      ok: true,
      value: {
        filesRead: 2,
        bytesRead: 10,
        dynamodbEvents: 0,
        eventsPerDay: {},
      },
    };
    off.canary = {
      ok: true,
      value: { tableArn: 'x', enabled: false, calls: [] },
    };
    expect(checkDynamoDbEventsFlowing(off, context()).status).toBe('warn');

    const old = healthyEvidence();
    old.signals = off.signals;
    old.canary = {
      ok: true,
      value: {
        tableArn: 'x',
        enabled: true,
        calls: [
          {
            requestId: 'R',
            calledAt: minutesAgo(200),
            eventTime: minutesAgo(200),
            deliveredAt: minutesAgo(195),
          },
        ],
      },
    };
    expect(checkDynamoDbEventsFlowing(old, context()).status).toBe('warn');
  });

  it('warns when the files hold none', () => {
    const result = withEvents(4, 0);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain(
      'The 4 newest log files hold no DynamoDB call',
    );
    expect(result.remediation?.text).toContain(
      'Look at the "DynamoDB data events are captured" check',
    );
  });

  it('warns when no file was read', () => {
    expect(withEvents(0, 0).status).toBe('warn');
  });

  it('is unknown when the files could not be read', () => {
    const evidence = healthyEvidence();
    evidence.signals!.dynamodbEvents = {
      ok: false,
      error: 'connect ECONNREFUSED 127.0.0.1:4566',
    };
    const result = checkDynamoDbEventsFlowing(evidence, context());
    expect(result.status).toBe('unknown');
    expect(result.evidence).toBe(
      'Not checked: AWS did not show the newest log files.',
    );
    expect(detailOf(result, 'AWS error')).toBe(
      'connect ECONNREFUSED 127.0.0.1:4566',
    );
  });
});

describe('age helpers', () => {
  it('measures and formats ages', () => {
    expect(ageInMinutes(minutesAgo(90), NOW)).toBe(90);
    expect(
      ageInMinutes(new Date(NOW.getTime() + 60_000).toISOString(), NOW),
    ).toBe(0);
    expect(ageInMinutes('not a date', NOW)).toBeUndefined();
    expect(formatMinutes(12.7)).toBe('12 min');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatMinutes(302)).toBe('5 h 2 min');
    expect(formatMinutes(60 * 24 * 3 + 60 * 4)).toBe('3 d 4 h');
  });
});
