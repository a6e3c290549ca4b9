/*
 * One measurement of part (c), in a process of its own so that its peak RSS
 * is its own. Started by parsing.js with fork(); answers with process.send.
 *
 *   product  the node library's readTableLineage over the window (list, get,
 *            gunzip, parse, aggregate), as GET /lineage does
 *   fetched  GetObject + gunzipSync + JSON.parse of the same files, nothing else
 *   bare     gunzipSync + JSON.parse of the same files already in memory
 */
const { registerTypeScript } = require('../lib/typescript');

const REPEATS = 5;

async function main(task) {
  registerTypeScript();
  const {
    DefaultAwsClientFactory,
    readTableLineage,
  } = require('@lineage/plugin-dynamodb-lineage-node');
  const { GetObjectCommand } = require('@aws-sdk/client-s3');
  const zlib = require('node:zlib');
  const aws = DefaultAwsClientFactory.fromCredentials(
    id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
    { endpoint: task.endpoint },
  );
  const clients = await aws.forAccount(
    task.trail.accountId,
    task.trail.homeRegion,
  );
  const getBody = async key => {
    const output = await clients.s3.send(
      new GetObjectCommand({ Bucket: task.trail.s3BucketName, Key: key }),
    );
    return Buffer.from(await output.Body.transformToByteArray());
  };

  const times = [];
  let evidence = {};
  let buffers;
  if (task.mode === 'bare') buffers = await Promise.all(task.keys.map(getBody));
  for (let i = 0; i < REPEATS; i++) {
    const started = process.hrtime.bigint();
    if (task.mode === 'product') {
      const lineage = await readTableLineage(
        clients,
        task.trail,
        task.tableArn,
        {
          from: new Date(task.from),
          to: new Date(task.to),
          now: new Date(task.to),
          byteBudget: 1024 * 1024 * 1024,
        },
      );
      evidence = {
        filesRead: lineage.filesRead,
        bytesRead: lineage.bytesRead,
        truncated: lineage.truncated,
        principals: lineage.principals.length,
      };
    } else {
      let records = 0;
      for (let f = 0; f < task.keys.length; f++) {
        const body =
          task.mode === 'bare' ? buffers[f] : await getBody(task.keys[f]);
        records += JSON.parse(zlib.gunzipSync(body).toString('utf8')).Records
          .length;
      }
      evidence = { records };
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { times, evidence, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

process.once('message', task => {
  main(task).then(
    result => process.send({ ok: true, result }, () => process.exit(0)),
    error =>
      process.send({ ok: false, error: String(error.stack ?? error) }, () =>
        process.exit(1),
      ),
  );
});
