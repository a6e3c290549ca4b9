import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  dynamodbLineageForensicsQueryPermission,
  dynamodbLineageStatusReadPermission,
  dynamodbLineageStatusRefreshPermission,
  dynamodbLineageTrailProvisionAnyOwnerPermission,
} from '@lineage/plugin-dynamodb-lineage-common';
import express from 'express';
import Router from 'express-promise-router';
import { ForensicsService } from '../forensics/ForensicsService';
import { forensicsRoutes } from '../forensics/routes';
import {
  AthenaBackfillRequest,
  AthenaBackfillSummary,
} from '../ingest/athenaBackfill';
import { LineageGraphService } from '../lineage/LineageGraphService';
import {
  LineageRefresher,
  LineageStatusService,
  LiveLineageService,
} from './types';
import {
  accountsQuerySchema,
  entityStatusQuerySchema,
  lineageBackfillBodySchema,
  lineageGraphQuerySchema,
  lineageQuerySchema,
  lineageRelationsQuerySchema,
  lineageTableQuerySchema,
  parseInput,
  planBodySchema,
  refreshBodySchema,
  tablesQuerySchema,
  teamPathSchema,
  trailHealthQuerySchema,
} from './validation';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** Stored refresh results. */
  service: LineageStatusService;
  /** Tables, plans and lineage, asked from AWS at request time. */
  live: LiveLineageService;
  refresher: LineageRefresher;
  /** Forensics queries over raw events; absent, the routes are not served. */
  forensics?: ForensicsService;
  /** Lineage from the stored daily edges. */
  graph: LineageGraphService;
  /**
   * Writes past days' edges read through Athena to the lineage store; throws
   * a `ConflictError` when Athena is not configured for the account.
   * Absent, `POST /lineage/backfill` is not served.
   */
  backfill?: (request: AthenaBackfillRequest) => Promise<AthenaBackfillSummary>;
}

/** The REST API; described in `src/schema/openapi.yaml`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    auditor,
    service,
    live,
    refresher,
    forensics,
    graph,
    backfill,
  } = options;
  const router = Router();
  router.use(express.json());

  /** Credentials of a user or service caller that holds `permission`. */
  async function authorize(req: express.Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(permissions, credentials, permission);
    return credentials;
  }
  const read = (req: express.Request) =>
    authorize(req, dynamodbLineageStatusReadPermission);

  router.get('/health', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ status: 'ok' });
  });

  router.get('/teams', async (req, res) => {
    const credentials = await read(req);
    res.json(await service.getTeamsOverview(credentials));
  });

  router.get('/teams/:namespace/:name', async (req, res) => {
    const credentials = await read(req);
    const { namespace, name } = parseInput(teamPathSchema, req.params, 'path');
    res.json(
      await service.getTeamStatus(`group:${namespace}/${name}`, credentials),
    );
  });

  router.get('/entity-status', async (req, res) => {
    const credentials = await read(req);
    const { entityRef } = parseInput(
      entityStatusQuerySchema,
      req.query,
      'query',
    );
    res.json(await service.getEntityStatus(entityRef, credentials));
  });

  router.get('/trails/health', async (req, res) => {
    const credentials = await read(req);
    const { arn } = parseInput(trailHealthQuerySchema, req.query, 'query');
    res.json(await service.getTrailHealth(arn, credentials));
  });

  router.get('/trails/forecast', async (req, res) => {
    const credentials = await read(req);
    const { arn } = parseInput(trailHealthQuerySchema, req.query, 'query');
    res.json(await live.getTrailForecast(arn, credentials));
  });

  router.get('/accounts', async (req, res) => {
    const credentials = await read(req);
    const { owner } = parseInput(accountsQuerySchema, req.query, 'query');
    res.json({ accounts: await service.getOwnedAccounts(owner, credentials) });
  });

  router.get('/tables', async (req, res) => {
    const credentials = await read(req);
    const { accountId, region } = parseInput(
      tablesQuerySchema,
      req.query,
      'query',
    );
    res.json({
      tables: await live.listTables(accountId, region, credentials),
    });
  });

  router.post('/plan', async (req, res) => {
    const credentials = await read(req);
    const input = parseInput(planBodySchema, req.body ?? {}, 'body');
    res.json(await live.plan(input, credentials));
  });

  router.get('/lineage', async (req, res) => {
    const credentials = await read(req);
    const { tableArn, hours } = parseInput(
      lineageQuerySchema,
      req.query,
      'query',
    );
    res.json(await live.getTableLineage(tableArn, hours, credentials));
  });

  router.get('/lineage/graph', async (req, res) => {
    const credentials = await read(req);
    const query = parseInput(lineageGraphQuerySchema, req.query, 'query');
    res.json(await graph.getGraph(query, credentials));
  });

  router.get('/lineage/table', async (req, res) => {
    const credentials = await read(req);
    const query = parseInput(lineageTableQuerySchema, req.query, 'query');
    res.json(await graph.getTableActivity(query, credentials));
  });

  // The catalog module's relation processor calls this with service credentials.
  router.get('/lineage/relations', async (req, res) => {
    const credentials = await read(req);
    const query = parseInput(lineageRelationsQuerySchema, req.query, 'query');
    res.json(await graph.getRelations(query, credentials));
  });

  if (backfill) {
    const backfillBody = lineageBackfillBodySchema();
    // Athena reads the account's raw events and the edges become everyone's
    // lineage: the platform administrators' permission.
    router.post('/lineage/backfill', async (req, res) => {
      const audit = await auditor.createEvent({
        eventId: 'lineage-backfill',
        severityLevel: 'medium',
        request: req,
        meta: {
          accountId:
            typeof req.body?.accountId === 'string'
              ? req.body.accountId
              : 'invalid',
        },
      });
      try {
        await authorize(req, dynamodbLineageTrailProvisionAnyOwnerPermission);
        const body = parseInput(backfillBody, req.body ?? {}, 'body');
        const summary = await backfill(body);
        const result = {
          accountId: body.accountId,
          from: body.from,
          to: body.to,
          ...summary,
        };
        await audit.success({ meta: result });
        res.json(result);
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    });
  }

  router.post('/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef =
      typeof req.body?.entityRef === 'string' ? req.body.entityRef : undefined;
    // Created before the permission check so refused attempts are audited too.
    const audit = await auditor.createEvent({
      eventId: 'refresh',
      severityLevel: 'medium',
      request: req,
      meta: {
        queryType: entityRef ? 'by-entity' : 'all',
        ...(entityRef ? { entityRef } : {}),
      },
    });
    try {
      await requirePermission(
        permissions,
        credentials,
        dynamodbLineageStatusRefreshPermission,
      );
      const body = parseInput(refreshBodySchema, req.body ?? {}, 'body');
      const result = await refresher.refresh({
        entityRef: body.entityRef,
        credentials,
      });
      await audit.success({ meta: { refreshed: result.refreshed } });
      res.json(result);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  if (forensics) {
    router.use(
      forensicsRoutes({
        forensics,
        auditor,
        authorize: req =>
          authorize(req, dynamodbLineageForensicsQueryPermission),
      }),
    );
  }

  return router;
}

async function requirePermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission,
) {
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`Missing permission ${permission.name}`);
  }
}
