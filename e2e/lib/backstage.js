/* What the journeys ask the backend directly, as the guest user. */
const { requestJson, waitFor } = require('./http');

async function guestToken(backendUrl) {
  const session = await requestJson(`${backendUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const token = session?.backstageIdentity?.token;
  if (!token)
    throw new Error('Guest sign-in answered without backstageIdentity.token');
  return token;
}

function lineageApi(backendUrl, token) {
  const base = `${backendUrl}/api/dynamodb-lineage`;
  return {
    teams: () => requestJson(`${base}/teams`, { token }),
    team: ref => {
      const [, namespace, name] = /^group:([^/]+)\/(.+)$/.exec(ref) ?? [];
      return requestJson(`${base}/teams/${namespace}/${name}`, { token });
    },
    refresh: entityRef =>
      requestJson(`${base}/refresh`, {
        method: 'POST',
        token,
        body: entityRef ? { entityRef } : {},
      }),
  };
}

function catalogApi(backendUrl, token) {
  const base = `${backendUrl}/api/catalog`;
  return {
    entities: filter =>
      requestJson(`${base}/entities?filter=${encodeURIComponent(filter)}`, {
        token,
      }),
    entity: (kind, namespace, name) =>
      requestJson(`${base}/entities/by-name/${kind}/${namespace}/${name}`, {
        token,
      }),
    refreshEntity: entityRef =>
      requestJson(`${base}/refresh`, {
        method: 'POST',
        token,
        body: { entityRef },
      }),
  };
}

/**
 * Runs a plugin's scheduled task now (Backstage's scheduler API), e.g. the
 * catalog's trail discovery. `match` picks the task by id.
 */
async function triggerScheduledTask(backendUrl, token, pluginId, match) {
  const base = `${backendUrl}/api/${pluginId}/.backstage/scheduler/v1/tasks`;
  const { tasks } = await requestJson(base, { token });
  const task = tasks.find(t => match.test(t.taskId));
  if (!task) {
    throw new Error(
      `No scheduled task of ${pluginId} matches ${match}; tasks: ${tasks
        .map(t => t.taskId)
        .join(', ')}`,
    );
  }
  await requestJson(`${base}/${encodeURIComponent(task.taskId)}/trigger`, {
    method: 'POST',
    token,
  });
  return task.taskId;
}

async function waitForScaffolderTask(
  backendUrl,
  token,
  taskId,
  timeoutMs = 120000,
) {
  return waitFor(
    `scaffolder task ${taskId} to finish`,
    async () => {
      const task = await requestJson(
        `${backendUrl}/api/scaffolder/v2/tasks/${taskId}`,
        {
          token,
        },
      );
      return ['completed', 'failed', 'cancelled'].includes(task.status)
        ? task
        : undefined;
    },
    { timeoutMs, intervalMs: 1000 },
  );
}

/**
 * Runs now every scheduled task of a plugin whose id matches `match`, e.g.
 * one ingestion task per trail; a task that is already running (the trigger
 * is refused) is left to finish. Returns the ids of the matching tasks.
 */
async function triggerScheduledTasks(backendUrl, token, pluginId, match) {
  const base = `${backendUrl}/api/${pluginId}/.backstage/scheduler/v1/tasks`;
  const { tasks } = await requestJson(base, { token });
  const matching = tasks.filter(t => match.test(t.taskId));
  for (const task of matching) {
    await requestJson(`${base}/${encodeURIComponent(task.taskId)}/trigger`, {
      method: 'POST',
      token,
    }).catch(() => undefined);
  }
  return matching.map(t => t.taskId);
}

module.exports = {
  guestToken,
  lineageApi,
  catalogApi,
  triggerScheduledTask,
  triggerScheduledTasks,
  waitForScaffolderTask,
};
