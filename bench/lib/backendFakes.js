/*
 * Just enough of Backstage's services to run the backend plugin's own
 * classes (RefreshService, DefaultLineageStatusService, the router) in the
 * benchmark process: an in-memory catalog, SQLite, allow-all permissions.
 */
const knexFactory = require('knex');

const serviceCredentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'service', subject: 'plugin:bench' },
};

const userCredentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'user', userEntityRef: 'user:default/bench' },
};

function quietLogger(counts = { warn: 0, error: 0 }) {
  const logger = {
    counts,
    debug() {},
    info() {},
    warn() {
      counts.warn += 1;
    },
    error() {
      counts.error += 1;
    },
    child: () => logger,
  };
  return logger;
}

const fakeAuth = {
  getOwnServiceCredentials: async () => serviceCredentials,
  isPrincipal: (credentials, type) => credentials.principal.type === type,
};

/** aws-account Resources, one per account, owned by `team-<n>`; and those teams. */
function accountEntities(accounts) {
  return accounts.map(({ accountId, regions, owner }) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `aws-${accountId}`,
      namespace: 'default',
      title: `AWS ${accountId}`,
      annotations: {
        'aws.amazon.com/account-id': accountId,
        'dynamodb-lineage/regions': regions.join(','),
      },
    },
    spec: { type: 'aws-account', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  }));
}

function groupEntity(ref) {
  const name = ref.split('/').pop();
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', title: name },
    spec: { type: 'team', children: [] },
  };
}

function refOf(entity) {
  return `${entity.kind.toLowerCase()}:${
    entity.metadata.namespace ?? 'default'
  }/${entity.metadata.name}`;
}

/** A CatalogService over a fixed list of entities; filters by kind and spec.type only. */
function fakeCatalogService(entities) {
  const byRef = new Map(entities.map(e => [refOf(e), e]));
  const matches = (entity, filter = {}) =>
    (!filter.kind ||
      entity.kind.toLowerCase() === String(filter.kind).toLowerCase()) &&
    (!filter['spec.type'] || entity.spec?.type === filter['spec.type']);
  return {
    getEntities: async request => ({
      items: entities.filter(e => matches(e, request?.filter)),
    }),
    getEntitiesByRefs: async request => ({
      items: request.entityRefs.map(ref => byRef.get(ref.toLowerCase())),
    }),
    getEntityByRef: async ref => byRef.get(String(ref).toLowerCase()),
  };
}

/** The plugin database: SQLite in memory, migrated by the store itself. */
function sqliteDatabase() {
  const client = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  return { database: { getClient: async () => client }, client };
}

const allowAllPermissions = {
  authorize: async requests => requests.map(() => ({ result: 'ALLOW' })),
  authorizeConditional: async requests =>
    requests.map(() => ({ result: 'ALLOW' })),
};

const userHttpAuth = {
  credentials: async () => userCredentials,
  issueUserCookie: async () => ({ expiresAt: new Date(Date.now() + 3600000) }),
};

const noAuditor = {
  createEvent: async () => ({ success: async () => {}, fail: async () => {} }),
};

module.exports = {
  quietLogger,
  fakeAuth,
  accountEntities,
  groupEntity,
  fakeCatalogService,
  sqliteDatabase,
  allowAllPermissions,
  userHttpAuth,
  noAuditor,
  serviceCredentials,
};
