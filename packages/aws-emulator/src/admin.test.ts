import { ListTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { type RunningEmulator, startEmulator } from './index';
import { rejection, sdkClients } from './__testUtils__/clients';

describe('the admin API', () => {
  let emulator: RunningEmulator;
  const admin = (path: string, init?: RequestInit) =>
    fetch(`${emulator.url}/_emulator/${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...init?.headers },
    });

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });

  afterAll(() => emulator.stop());

  it('seeds, summarizes and resets the world', async () => {
    expect((await admin('health')).status).toBe(200);
    const seeded = await admin('seed', {
      method: 'POST',
      body: JSON.stringify({ name: 'demo' }),
    });
    expect(await seeded.json()).toEqual({ seeded: 'demo' });
    const state = await (await admin('state')).json();
    expect(Object.keys(state.accounts).sort()).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
    ]);
    expect(state.accounts['111111111111'].trails[0]).toMatchObject({
      name: 'dynamodb-lineage',
      isLogging: true,
    });
    expect(state.accounts['444444444444'].trails).toEqual([]);

    expect((await admin('reset', { method: 'POST' })).status).toBe(200);
    const { cloudtrail } = sdkClients(emulator.url);
    expect((await cloudtrail.send(new ListTrailsCommand({}))).Trails).toEqual(
      [],
    );
  });

  it('reads and advances the clock, and flushes', async () => {
    const before = await (await admin('clock')).json();
    const advanced = await (
      await admin('clock/advance', {
        method: 'POST',
        body: JSON.stringify({ ms: 3_600_000 }),
      })
    ).json();
    expect(
      new Date(advanced.now).getTime() - before.nowMs,
    ).toBeGreaterThanOrEqual(3_600_000);
    expect(advanced).toMatchObject({
      logFiles: 0,
      digestFiles: 0,
      failures: [],
    });
    const after = await (await admin('clock')).json();
    expect(after.offsetMs).toBeGreaterThanOrEqual(3_600_000);
    expect(await (await admin('flush', { method: 'POST' })).json()).toEqual({
      logFiles: 0,
      digestFiles: 0,
      failures: [],
    });
  });

  it('sets faults and reads and clears the call log', async () => {
    await admin('calls', { method: 'DELETE' });
    const set = await admin('faults', {
      method: 'PUT',
      body: JSON.stringify({
        accessDenied: [{ principal: '*', action: 'cloudtrail:ListTrails' }],
      }),
    });
    expect(await set.json()).toMatchObject({
      accessDenied: [{ principal: '*', action: 'cloudtrail:ListTrails' }],
    });
    const { cloudtrail } = sdkClients(emulator.url);
    expect(
      (await rejection(cloudtrail.send(new ListTrailsCommand({})))).name,
    ).toBe('AccessDeniedException');
    const { calls } = await (await admin('calls?service=cloudtrail')).json();
    expect(calls).toEqual([
      expect.objectContaining({
        action: 'cloudtrail:ListTrails',
        outcome: 'AccessDeniedException',
        accountId: '111111111111',
        resource: '*',
      }),
    ]);
    expect((await (await admin('calls?resource=*')).json()).calls).toHaveLength(
      1,
    );
    expect(
      (await (await admin('calls?resource=arn:aws:s3:::other')).json()).calls,
    ).toEqual([]);
    expect(await (await admin('calls', { method: 'DELETE' })).json()).toEqual({
      cleared: 1,
    });
    await admin('faults', { method: 'PUT', body: '{}' });
    await expect(
      cloudtrail.send(new ListTrailsCommand({})),
    ).resolves.toBeDefined();
  });

  it.each([
    ['faults', 'PUT', { throttleRate: { '*': 'often' } }, 'throttleRate.*'],
    ['seed', 'POST', { name: 'everything' }, 'name must be one of demo, none'],
    ['clock/advance', 'POST', { ms: -5 }, 'ms must be a non-negative number'],
  ])(
    'answers 400 naming the field for bad input to %s',
    async (path, method, body, message) => {
      const response = await admin(path, {
        method,
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(message);
    },
  );

  it('answers 404 for unknown routes', async () => {
    expect((await admin('nothing-here')).status).toBe(404);
  });
});
