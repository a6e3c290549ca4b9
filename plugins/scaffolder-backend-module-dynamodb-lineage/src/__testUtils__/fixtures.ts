import { ConfigReader } from '@backstage/config';
import { DefaultAwsClientFactory } from '@lineage/plugin-dynamodb-lineage-node';
import { Entity } from '@backstage/catalog-model';
import {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  RESOURCE_TYPE_AWS_ACCOUNT,
} from '@lineage/plugin-dynamodb-lineage-common';

export const USER_REF = 'user:default/alice';

export function accountEntity(
  name: string,
  accountId: string,
  owner: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { [ANNOTATION_AWS_ACCOUNT_ID]: accountId },
    },
    spec: { type: RESOURCE_TYPE_AWS_ACCOUNT, owner },
  };
}

/** The aws-account Resources of the demo world. */
export const demoAccounts: Entity[] = [
  accountEntity(
    'aws-payments-prod',
    '111111111111',
    'group:default/team-payments',
  ),
  accountEntity('aws-orders-prod', '222222222222', 'group:default/team-orders'),
  accountEntity(
    'aws-inventory-prod',
    '333333333333',
    'group:default/team-inventory',
  ),
  accountEntity(
    'aws-analytics-prod',
    '444444444444',
    'group:default/team-analytics',
  ),
];

/** AWS clients for the demo accounts, built from config as the module builds them, against an emulator. */
export function emulatorClientFactory(endpoint: string) {
  return DefaultAwsClientFactory.fromConfig(
    new ConfigReader({
      aws: {
        accounts: demoAccounts.map(entity => {
          const accountId =
            entity.metadata.annotations!['aws.amazon.com/account-id'];
          return {
            accountId,
            accessKeyId: accountId,
            secretAccessKey: 'emulator',
          };
        }),
      },
      dynamodbLineage: { aws: { endpoint, maxAttempts: 1 } },
    }),
  );
}

export function permissionsWith(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  return mockServices.permissions.mock({
    authorize: jest.fn(async requests => requests.map(() => ({ result }))),
  });
}

export interface RecordedAuditEvent {
  options: AuditorServiceCreateEventOptions;
  status: 'started' | 'succeeded' | 'failed';
  error?: Error;
}

/** An auditor that records each event and how it ended. */
export function recordingAuditor() {
  const events: RecordedAuditEvent[] = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const event: RecordedAuditEvent = { options, status: 'started' };
      events.push(event);
      return {
        async success() {
          event.status = 'succeeded';
        },
        async fail({ error }) {
          event.status = 'failed';
          event.error = error;
        },
      };
    },
  };
  return { auditor, events };
}

/**
 * A scaffolder action context with recorded outputs and log lines, and
 * checkpoints stored like the task runner stores them: a key that succeeded
 * before returns its value without running again.
 */
export function actionContext(
  input: Record<string, unknown>,
  options: {
    isDryRun?: boolean;
    checkpoints?: Map<string, unknown>;
    workspacePath?: string;
  } = {},
) {
  const logger = mockServices.logger.mock();
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const checkpointKeys: string[] = [];
  // `any` input: tests also hand the action inputs its types would refuse.
  const base = createMockActionContext<any>({
    input,
    logger,
    user: { ref: USER_REF },
    ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
  });
  const checkpoint = async (opts: { key: string; fn: () => unknown }) => {
    checkpointKeys.push(opts.key);
    if (checkpoints.has(opts.key)) {
      return checkpoints.get(opts.key);
    }
    const value = await opts.fn();
    checkpoints.set(opts.key, value ?? {});
    return value;
  };
  const ctx: typeof base = {
    ...base,
    isDryRun: options.isDryRun ?? false,
    checkpoint: checkpoint as typeof base.checkpoint,
  };
  const outputs = (): Record<string, any> =>
    Object.fromEntries(
      (base.output as jest.Mock).mock.calls.map(([name, value]) => [
        name,
        value,
      ]),
    );
  const infoLines = () =>
    logger.info.mock.calls.map(([message]) => String(message));
  return { ctx, outputs, infoLines, checkpoints, checkpointKeys, logger };
}
