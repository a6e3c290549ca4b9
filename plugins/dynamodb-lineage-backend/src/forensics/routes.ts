import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  MAX_FORENSICS_PAGE_SIZE,
  forensicsQuerySchema,
} from '@lineage/plugin-dynamodb-lineage-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { parseInput } from '../service/validation';
import { ForensicsService } from './ForensicsService';

export const forensicsIdPathSchema = z.object({
  id: z
    .string()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      'must be a query id as POST /forensics/queries answered it',
    ),
});

export const forensicsPageQuerySchema = z
  .object({
    nextToken: z
      .string({ invalid_type_error: 'must be given once' })
      .min(1, 'must be non-empty when given')
      .max(4096, 'must be at most 4096 characters')
      .regex(/^[A-Za-z0-9+/=_-]+$/, 'must be a page token as a page gave it')
      .optional(),
    pageSize: z
      .string({ invalid_type_error: 'must be given once' })
      .regex(/^[0-9]{1,4}$/, 'must be a whole number, in digits')
      .transform(Number)
      .refine(
        n => n >= 1 && n <= MAX_FORENSICS_PAGE_SIZE,
        `must be from 1 to ${MAX_FORENSICS_PAGE_SIZE}`,
      )
      .optional(),
  })
  .strict();

export interface ForensicsRoutesOptions {
  forensics: ForensicsService;
  auditor: AuditorService;
  /** Credentials of a caller holding `dynamodb-lineage.forensics.query`; throws otherwise. */
  authorize(req: express.Request): Promise<BackstageCredentials>;
}

/**
 * `/forensics/queries`: start a query, read its status and pages of rows,
 * cancel it. Every input is checked before an engine sees it.
 */
export function forensicsRoutes(
  options: ForensicsRoutesOptions,
): express.Router {
  const { forensics, auditor, authorize } = options;
  const router = Router();

  router.post('/forensics/queries', async (req, res) => {
    const audit = await auditor.createEvent({
      eventId: 'forensics-query',
      severityLevel: 'medium',
      request: req,
      meta: {
        kind: typeof req.body?.kind === 'string' ? req.body.kind : 'invalid',
      },
    });
    try {
      const credentials = await authorize(req);
      const query = parseInput(forensicsQuerySchema, req.body, 'body');
      const created = await forensics.start(query, credentials);
      await audit.success({ meta: { id: created.id, engine: created.engine } });
      res.status(202).json(created);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/forensics/queries/:id', async (req, res) => {
    const credentials = await authorize(req);
    const { id } = parseInput(forensicsIdPathSchema, req.params, 'path');
    const page = parseInput(forensicsPageQuerySchema, req.query, 'query');
    res.json(await forensics.get(id, page, credentials));
  });

  router.post('/forensics/queries/:id/cancel', async (req, res) => {
    const credentials = await authorize(req);
    const { id } = parseInput(forensicsIdPathSchema, req.params, 'path');
    res.json(await forensics.cancel(id, credentials));
  });

  return router;
}
