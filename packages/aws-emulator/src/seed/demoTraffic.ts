import {
  type Identity,
  assumedRoleIdentity,
  roleSession,
  userIdentity,
} from '../identity';
import { callDynamoDb, putObjectInternal } from '../internalCalls';
import type { Environment, InternalCaller } from '../server';
import {
  ALICE_ACCESS_KEY,
  ANALYTICS,
  INVENTORY,
  INVENTORY_ASSETS_BUCKET,
  ORDERS,
  PAYMENTS,
} from './demoWorld';

/**
 * DynamoDB (and a little S3) traffic of the demo teams' workloads. The same
 * activity writes the seeded history and, later, keeps the healthy team's logs
 * fresh from the background generator.
 */

const HOUR = 3_600_000;

function role(
  accountId: string,
  name: string,
  sessionName: string,
  time: number,
): Identity {
  const session = roleSession(
    `arn:aws:iam::${accountId}:role/${name}`,
    sessionName,
    time - HOUR,
    12 * HOUR,
  );
  return assumedRoleIdentity(
    session,
    `ASIA${accountId.slice(0, 4)}${name
      .toUpperCase()
      .replace(/[^A-Z]/g, '')
      .padEnd(12, 'X')
      .slice(0, 12)}`,
  );
}

/** Deterministic pseudo-random numbers (mulberry32), so seeded worlds look alike. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TrafficOptions {
  /** Emulated time the calls happen at. */
  time: number;
  /** Which demo workloads run. */
  teams: {
    payments: boolean;
    orders: boolean;
    inventory: boolean;
    analytics: boolean;
  };
  random: () => number;
  /** Counter making item ids unique across ticks. */
  tick: number;
}

const caller = (
  identity: Identity,
  region: string,
  time: number,
): InternalCaller => ({ identity, region, time });

async function paymentsTraffic(
  env: Environment,
  { time, random, tick }: TrafficOptions,
) {
  const api = caller(
    role(PAYMENTS, 'payments-api', 'payments-api-task-7f3a', time),
    'us-east-1',
    time,
  );
  const reporting = caller(
    role(PAYMENTS, 'reporting-job', 'reporting-job-run', time),
    'us-east-1',
    time,
  );
  const reportingEu = { ...reporting, region: 'eu-west-1' };
  const alice = caller(
    userIdentity(PAYMENTS, 'alice', ALICE_ACCESS_KEY),
    'us-east-1',
    time,
  );
  const aliceEu = { ...alice, region: 'eu-west-1' };
  const paymentId = `pay-${tick}-${Math.floor(random() * 1e6)}`;
  const account = `acct-${Math.floor(random() * 5)}`;

  await callDynamoDb(env, api, 'PutItem', {
    TableName: 'payments',
    Item: {
      id: { S: paymentId },
      accountId: { S: account },
      amount: { N: String(Math.round(random() * 50_000) / 100) },
      currency: { S: 'EUR' },
      state: { S: 'AUTHORIZED' },
    },
  });
  await callDynamoDb(env, api, 'GetItem', {
    TableName: 'payments',
    Key: { id: { S: paymentId } },
  });
  await callDynamoDb(env, api, 'UpdateItem', {
    TableName: 'ledger',
    Key: {
      accountId: { S: account },
      entryId: { S: tick % 6 === 5 ? 'opening-balance' : `entry-${paymentId}` },
    },
    UpdateExpression: 'SET #amount = :amount, paymentId = :payment',
    ConditionExpression: 'attribute_not_exists(entryId)',
    ExpressionAttributeNames: { '#amount': 'amount' },
    ExpressionAttributeValues: {
      ':amount': { N: '10' },
      ':payment': { S: paymentId },
    },
  });
  if (tick % 3 === 0) {
    await callDynamoDb(env, api, 'TransactWriteItems', {
      TransactItems: [
        {
          Update: {
            TableName: 'payments',
            Key: { id: { S: paymentId } },
            UpdateExpression: 'SET #state = :settled',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':settled': { S: 'SETTLED' } },
          },
        },
        {
          Put: {
            TableName: 'ledger',
            Item: {
              accountId: { S: account },
              entryId: { S: `settle-${paymentId}` },
              amount: { N: '-10' },
            },
          },
        },
      ],
    });
  }
  await callDynamoDb(env, reporting, 'Query', {
    TableName: 'ledger',
    KeyConditionExpression: 'accountId = :account',
    ExpressionAttributeValues: { ':account': { S: account } },
  });
  if (tick % 4 === 0) {
    await callDynamoDb(env, reporting, 'Scan', {
      TableName: 'payments',
      Limit: 20,
    });
  }
  if (tick % 2 === 0) {
    await callDynamoDb(env, reportingEu, 'Scan', {
      TableName: 'payments-eu',
      Limit: 10,
    });
  }
  if (tick % 5 === 0) {
    await callDynamoDb(env, aliceEu, 'GetItem', {
      TableName: 'payments-eu',
      Key: { id: { S: 'pay-eu-1' } },
    });
  }
  if (tick % 7 === 0) {
    await callDynamoDb(env, alice, 'ExecuteStatement', {
      Statement: `SELECT * FROM "payments" WHERE id = '${paymentId}'`,
    });
  }
  await ledgerFlowTraffic(env, { time, tick }, paymentId, account);
}

/**
 * The payments account's downstream data flow, two hops from payments-api:
 * `ledger-sync` reads each new payment and books it into `ledger`;
 * `finance-reports` reads `ledger` and, without declaring it, scans `payments`.
 */
async function ledgerFlowTraffic(
  env: Environment,
  { time, tick }: Pick<TrafficOptions, 'time' | 'tick'>,
  paymentId: string,
  account: string,
) {
  const sync = caller(
    role(PAYMENTS, 'ledger-sync', 'ledger-sync-batch', time),
    'us-east-1',
    time,
  );
  const reports = caller(
    role(PAYMENTS, 'finance-reports', 'finance-reports-run', time),
    'us-east-1',
    time,
  );
  const payment = await callDynamoDb(env, sync, 'GetItem', {
    TableName: 'payments',
    Key: { id: { S: paymentId } },
  });
  await callDynamoDb(env, sync, 'PutItem', {
    TableName: 'ledger',
    Item: {
      accountId: { S: account },
      entryId: { S: `booked-${paymentId}` },
      amount: payment.body.Item?.amount ?? { N: '0' },
      paymentId: { S: paymentId },
    },
  });
  if (tick % 2 === 0) {
    await callDynamoDb(env, reports, 'Query', {
      TableName: 'ledger',
      KeyConditionExpression: 'accountId = :account',
      ExpressionAttributeValues: { ':account': { S: account } },
    });
  }
  if (tick % 6 === 0) {
    await callDynamoDb(env, reports, 'Scan', {
      TableName: 'payments',
      Limit: 25,
    });
  }
}

async function ordersTraffic(env: Environment, { time, tick }: TrafficOptions) {
  const api = caller(
    role(ORDERS, 'orders-api', 'orders-api-task-12ab', time),
    'us-east-1',
    time,
  );
  const orderId = `order-${tick}`;
  await callDynamoDb(env, api, 'PutItem', {
    TableName: 'orders',
    Item: { orderId: { S: orderId }, total: { N: String(20 + (tick % 50)) } },
  });
  await callDynamoDb(env, api, 'GetItem', {
    TableName: 'orders',
    Key: { orderId: { S: orderId } },
  });
}

async function inventoryTraffic(
  env: Environment,
  { time, tick }: TrafficOptions,
) {
  const service = caller(
    role(INVENTORY, 'inventory-service', 'inventory-service-pod-9', time),
    'us-east-1',
    time,
  );
  const sku = `sku-${tick % 40}`;
  await callDynamoDb(env, service, 'UpdateItem', {
    TableName: 'inventory',
    Key: { sku: { S: sku } },
    UpdateExpression: 'ADD stock :delta',
    ExpressionAttributeValues: { ':delta': { N: '1' } },
  });
  await putObjectInternal(
    env,
    service,
    INVENTORY_ASSETS_BUCKET,
    `exports/${sku}.json`,
    Buffer.from(
      JSON.stringify({ sku, exportedAt: new Date(time).toISOString() }),
    ),
  );
}

async function analyticsTraffic(
  env: Environment,
  { time, tick }: TrafficOptions,
) {
  const etl = caller(
    role(ANALYTICS, 'analytics-etl', 'analytics-etl-batch', time),
    'us-east-1',
    time,
  );
  await callDynamoDb(env, etl, 'PutItem', {
    TableName: 'events',
    Item: {
      eventId: { S: `evt-${tick}` },
      ts: { N: String(Math.floor(time / 1000)) },
    },
  });
}

export async function demoTraffic(
  env: Environment,
  options: TrafficOptions,
): Promise<void> {
  if (options.teams.payments) await paymentsTraffic(env, options);
  if (options.teams.orders) await ordersTraffic(env, options);
  if (options.teams.inventory) await inventoryTraffic(env, options);
  if (options.teams.analytics) await analyticsTraffic(env, options);
}
