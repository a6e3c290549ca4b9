import { ageInMinutes, formatMinutes } from './age';
import {
  accessDenied,
  context,
  healthyEvidence,
  minutesAgo,
  NOW,
  checkOf,
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
    expect(result.evidence).toBe(
      `LatestDeliveryTime ${minutesAgo(
        302,
      )} is 5 h 2 min old (warn after 30 min, fail after 2 h).`,
    );
    expect(result.remediation).toContain('get-trail-status');
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
    expect(result.evidence).toContain('never delivered');
    expect(result.evidence).toContain('not logging');
  });

  it('is unknown for an unreadable timestamp or an unanswered status', () => {
    const evidence = healthyEvidence();
    evidence.trail.status = {
      ok: true,
      value: { isLogging: true, latestDeliveryTime: 'yesterday' },
    };
    expect(checkDeliveryFreshness(evidence, context()).status).toBe('unknown');
    evidence.trail.status = accessDenied;
    expect(checkDeliveryFreshness(evidence, context()).status).toBe('unknown');
  });
});

describe('freshness.objects', () => {
  it('passes on a recent object and names it', () => {
    const result = checkObjectFreshness(healthyEvidence(), context());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('20250601T1155Z_abc.json.gz');
    expect(result.evidence).toContain('5 min ago');
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
    expect(result.evidence).toContain(
      'listed: AWSLogs/222222222222/CloudTrail/us-east-1/2025/06/01/',
    );
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
    expect(result.evidence).toContain('42 DynamoDB data event(s)');
    expect(result.evidence).toContain('111111111111/us-east-1');
  });

  it('warns when the newest DynamoDB event is older than failAfter: quiet or lost', () => {
    const evidence = healthyEvidence();
    delete evidence.canary;
    const signal = evidence.signals!.dynamodbEvents;
    if (!signal.ok) throw new Error('fixture');
    signal.value.newestEventTime = minutesAgo(3 * 60);
    const result = checkDynamoDbEventsFlowing(evidence, context());
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain(
      'no DynamoDB data event in 2 h — quiet tables or lost capture; the canary tells which',
    );
  });

  it('passes a quiet account-region when the canary proves capture, saying so', () => {
    const evidence = healthyEvidence();
    const signal = evidence.signals!.dynamodbEvents;
    if (!signal.ok) throw new Error('fixture');
    signal.value.newestEventTime = minutesAgo(3 * 60);
    const result = checkDynamoDbEventsFlowing(evidence, context());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain(
      `but the canary call of ${minutesAgo(15)} was captured`,
    );
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
    expect(result.evidence).toContain('hold no DynamoDB data event');
    expect(result.remediation).toContain('trail.dynamodb-coverage');
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
    expect(result.evidence).toContain('ECONNREFUSED');
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
