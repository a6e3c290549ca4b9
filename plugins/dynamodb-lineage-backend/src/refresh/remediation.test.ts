import { awsCliVersion, runAwsCli, startEmulator } from '@lineage/aws-emulator';
import type { RunningEmulator } from '@lineage/aws-emulator';
import type { HealthCheckResult } from '@lineage/plugin-dynamodb-lineage-common';
import knexFactory, { Knex } from 'knex';
import { demoRefreshService } from '../__testUtils__/demoRefresh';
import { INVENTORY } from '../__testUtils__/demoCatalog';

/*
 * The commands a check gives, run as a person would copy them: by the
 * unmodified AWS CLI v2 against the emulator. After running them the next
 * refresh passes the checks they were given for. Runs only where /usr/bin/aws
 * is the AWS CLI v2 (Debian's `awscli`).
 */

jest.setTimeout(300_000);

const version = awsCliVersion();
const available = version?.startsWith('aws-cli/2.') ?? false;
if (!available) {
  // eslint-disable-next-line no-console
  console.log(
    `Remediation commands test SKIPPED: /usr/bin/aws is ${
      version ? `"${version}", not the AWS CLI v2` : 'missing'
    } (install Debian's awscli package to run it).`,
  );
}

/** A command line split as a POSIX shell splits it: quotes group, and are dropped. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const char of command) {
    if (quote) {
      if (char === quote) quote = undefined;
      else word = (word ?? '') + char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word = word ?? '';
    } else if (char === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Commands that run as they are: no placeholder to fill in, no file to edit first. */
function runnable(command: string): boolean {
  return !/<[a-z-]+>|file:\/\/|>/.test(command);
}

const describeCli = available ? describe : describe.skip;

describeCli('remediation commands, run by the AWS CLI', () => {
  let emulator: RunningEmulator;
  let knex: Knex;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });
  afterAll(async () => {
    await knex.destroy();
    await emulator.stop();
  });

  it('fix what the checks of the misconfigured trail found', async () => {
    const { store, refresher } = await demoRefreshService({
      emulator,
      knex,
      maxAttempts: 3,
    });
    const inventoryChecks = async () =>
      (await store.getTeam(INVENTORY))!.accountRegions[0].checks;

    await refresher.refresh();
    const before = await inventoryChecks();
    const findings = before.filter(
      (c: HealthCheckResult) =>
        (c.status === 'fail' || c.status === 'warn') &&
        c.remediation?.commands?.some(runnable),
    );
    expect(findings.map(c => c.id).sort()).toEqual([
      'bucket.lifecycle',
      'bucket.public-access',
      'bucket.versioning',
      'freshness.dynamodb-events',
      'trail.dynamodb-coverage',
      'trail.log-file-validation',
      'trail.log-integrity',
    ]);
    // These judge settings alone, so the commands' changes make them pass;
    // the others wait for new deliveries and digests.
    const settings = [
      'bucket.lifecycle',
      'bucket.public-access',
      'bucket.versioning',
      'trail.dynamodb-coverage',
      'trail.log-file-validation',
    ];

    for (const finding of findings) {
      for (const command of finding.remediation!.commands!.filter(runnable)) {
        const [aws, ...args] = shellWords(command);
        expect(aws).toBe('aws');
        const result = await runAwsCli(emulator.url, args, {
          accountId: '333333333333',
        });
        expect({ command, code: result.code, stderr: result.stderr }).toEqual({
          command,
          code: 0,
          stderr: '',
        });
      }
    }

    // Past the inspection cache's hour, so every setting is read again.
    await emulator.advance(2 * 3_600_000);
    await refresher.refresh();
    const after = await inventoryChecks();
    expect(
      Object.fromEntries(
        settings.map(id => [id, after.find(c => c.id === id)?.status]),
      ),
    ).toEqual(Object.fromEntries(settings.map(id => [id, 'pass'])));
  });
});
