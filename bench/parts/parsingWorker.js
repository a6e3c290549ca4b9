/*
 * One measurement of part (c), in a process of its own so that its peak RSS
 * is its own. Started by parsing.js with fork(); answers with process.send.
 *
 *   product   the node library's readTableLineage over the window (list, get,
 *             gunzip, parse, aggregate), as GET /lineage does
 *   baseline  the node library's listLogObjects + readLogRecords over the
 *             same files — the pipeline readTableLineage reads with — and a
 *             visitor that does nothing
 */
const { registerTypeScript } = require('../lib/typescript');

const REPEATS = 3;
const BYTE_BUDGET = 1024 * 1024 * 1024;

async function main(task) {
  registerTypeScript();
  const {
    DefaultAwsClientFactory,
    readTableLineage,
    listLogObjects,
    readLogRecords,
  } = require('@lineage/plugin-dynamodb-lineage-node');
  const aws = DefaultAwsClientFactory.fromCredentials(
    id => ({ accessKeyId: id, secretAccessKey: 'bench' }),
    { endpoint: task.endpoint },
  );
  const { trail } = task;
  const clients = await aws.forAccount(trail.accountId, trail.homeRegion);

  const times = [];
  const cpuTimes = [];
  let evidence = {};
  for (let i = 0; i < REPEATS; i++) {
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    if (task.mode === 'product') {
      const lineage = await readTableLineage(clients, trail, task.tableArn, {
        from: new Date(task.from),
        to: new Date(task.to),
        now: new Date(task.to),
        byteBudget: BYTE_BUDGET,
      });
      evidence = {
        filesRead: lineage.filesRead,
        bytesRead: lineage.bytesRead,
        truncated: lineage.truncated,
        principals: lineage.principals.length,
      };
    } else {
      const objects = await listLogObjects(
        clients.s3,
        trail.s3BucketName,
        task.prefix,
      );
      let records = 0;
      const stats = await readLogRecords(
        clients.s3,
        trail.s3BucketName,
        objects.filter(o => o.key.endsWith('.json.gz')),
        {
          byteBudget: BYTE_BUDGET,
          visit: () => {
            records += 1;
          },
        },
      );
      evidence = { ...stats, records };
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    // Every thread of this process: JavaScript and the zlib pool.
    const cpu = process.cpuUsage(cpuStarted);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  return {
    times,
    cpuTimes,
    evidence,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
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
