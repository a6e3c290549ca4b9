/*
 * DynamoDB calls against the emulator, as an application of the team would
 * make them: they become data events that a covering trail captures.
 */
const {
  DynamoDBClient,
  DescribeTableCommand,
  PutItemCommand,
  GetItemCommand,
} = require('@aws-sdk/client-dynamodb');

/** A value of the key attribute's type. */
function keyValue(type, i) {
  if (type === 'N') return { N: String(Date.now() + i) };
  if (type === 'B') return { B: Buffer.from(`e2e-${i}`) };
  return { S: `e2e-${Date.now()}-${i}` };
}

/** Writes and reads `count` items of a table; returns the number of calls made. */
async function driveTableTraffic({
  emulatorUrl,
  accountId,
  region,
  tableName,
  count = 5,
}) {
  const client = new DynamoDBClient({
    endpoint: emulatorUrl,
    region,
    // The emulator maps a 12-digit access key id to that account's root.
    credentials: { accessKeyId: accountId, secretAccessKey: 'e2e' },
  });
  try {
    const { Table } = await client.send(
      new DescribeTableCommand({ TableName: tableName }),
    );
    const types = Object.fromEntries(
      Table.AttributeDefinitions.map(d => [d.AttributeName, d.AttributeType]),
    );
    let calls = 1;
    for (let i = 0; i < count; i++) {
      const Key = Object.fromEntries(
        Table.KeySchema.map(k => [
          k.AttributeName,
          keyValue(types[k.AttributeName], i),
        ]),
      );
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...Key, source: { S: 'e2e' } },
        }),
      );
      await client.send(new GetItemCommand({ TableName: tableName, Key }));
      calls += 2;
    }
    return calls;
  } finally {
    client.destroy();
  }
}

module.exports = { driveTableTraffic };
