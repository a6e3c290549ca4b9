import { AwsError } from '../../errors';
import { type EventDraft, camelCaseKeys } from '../../events/record';
import type { HttpResult } from '../../http';
import type { Identity } from '../../identity';
import { dynamoDbRequestId } from '../../ids';
import {
  jsonAuthRefusal,
  jsonError,
  jsonOk,
  targetOperation,
} from '../../protocols/json';
import {
  type CallContext,
  type IncomingCall,
  type ParsedCall,
  type RefusalKind,
  type ServiceHandler,
  accessDeniedMessage,
} from '../types';
import type { Input, Output } from './context';
import {
  createTable,
  deleteTable,
  describeContinuousBackups,
  describeTable,
  describeTimeToLive,
  listTables,
  listTagsOfResource,
} from './controlPlane';
import { DATA_PLANE_OPERATIONS, dataEventDrafts } from './dataEvents';
import * as data from './dataPlane';
import {
  batchExecuteStatement,
  executeStatement,
  executeTransaction,
  statementKind,
  statementTable,
} from './partiql';
import { publishDynamoDbMetrics } from './metrics';
import { resolveTableName } from './tables';

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

interface DynamoDbCall extends ParsedCall {
  input: Input;
}

const OPERATIONS: Record<string, (input: Input, ctx: CallContext) => Output> = {
  CreateTable: createTable,
  DescribeTable: describeTable,
  DescribeTimeToLive: describeTimeToLive,
  DescribeContinuousBackups: describeContinuousBackups,
  ListTagsOfResource: listTagsOfResource,
  DeleteTable: deleteTable,
  ListTables: listTables,
  GetItem: data.getItem,
  PutItem: data.putItem,
  UpdateItem: data.updateItem,
  DeleteItem: data.deleteItem,
  Query: data.query,
  Scan: data.scan,
  BatchGetItem: data.batchGetItem,
  BatchWriteItem: data.batchWriteItem,
  TransactGetItems: data.transactGetItems,
  TransactWriteItems: data.transactWriteItems,
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
};

/** Errors raised by AWS's shared service framework rather than by DynamoDB itself. */
const FRAMEWORK_NAMESPACES: Record<string, string> = {
  AccessDeniedException: 'com.amazon.coral.service',
  UnrecognizedClientException: 'com.amazon.coral.service',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  IncompleteSignatureException: 'com.amazon.coral.service',
  ExpiredTokenException: 'com.amazon.coral.service',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  ValidationException: 'com.amazon.coral.validate',
  ThrottlingException: 'com.amazon.coral.availability',
};

const PARTIQL_ACTIONS: Record<string, string> = {
  SELECT: 'dynamodb:PartiQLSelect',
  INSERT: 'dynamodb:PartiQLInsert',
  UPDATE: 'dynamodb:PartiQLUpdate',
  DELETE: 'dynamodb:PartiQLDelete',
};

function firstStatement(operation: string, input: Input): unknown {
  if (operation === 'ExecuteStatement') return input.Statement;
  if (operation === 'BatchExecuteStatement')
    return input.Statements?.[0]?.Statement;
  if (operation === 'ExecuteTransaction')
    return input.TransactStatements?.[0]?.Statement;
  return undefined;
}

/** The table a call is mainly about, for IAM resources in AccessDenied messages. */
function primaryTable(operation: string, input: Input): unknown {
  const statement = firstStatement(operation, input);
  if (statement !== undefined) return statementTable(statement);
  if (input.TableName !== undefined) return input.TableName;
  if (input.ResourceArn !== undefined) return input.ResourceArn;
  if (input.RequestItems) return Object.keys(input.RequestItems)[0];
  const first = input.TransactItems?.[0];
  return first
    ? Object.values(first as Record<string, Input>)[0]?.TableName
    : undefined;
}

export const dynamoDbService: ServiceHandler<DynamoDbCall> = {
  service: 'dynamodb',
  newRequestId: dynamoDbRequestId,

  parse(incoming: IncomingCall): DynamoDbCall {
    const operation = targetOperation(
      incoming.headers['x-amz-target'] as string,
    );
    if (!operation || !OPERATIONS[operation]) {
      throw new AwsError(
        'UnknownOperationException',
        operation
          ? `The emulator does not implement dynamodb:${operation}.`
          : 'Missing X-Amz-Target header.',
      );
    }
    let input: Input;
    try {
      input = incoming.body.length
        ? JSON.parse(incoming.body.toString('utf8'))
        : {};
    } catch {
      throw new AwsError(
        'SerializationException',
        'Start of structure or map found where not expected.',
      );
    }
    const statement = firstStatement(operation, input ?? {});
    const kind = statement !== undefined ? statementKind(statement) : undefined;
    return {
      operation,
      action: kind ? PARTIQL_ACTIONS[kind] : `dynamodb:${operation}`,
      input: input ?? {},
    };
  },

  resourceArn(call, { region, accountId }) {
    const table = primaryTable(call.operation, call.input);
    if (table === undefined) return '*';
    try {
      return resolveTableName(table, region, accountId).arn;
    } catch {
      return '*';
    }
  },

  refusal(
    kind: RefusalKind,
    call: DynamoDbCall | undefined,
    identity?: Identity,
  ) {
    const authRefusal = jsonAuthRefusal(kind);
    if (authRefusal) return authRefusal;
    switch (kind) {
      case 'throttled':
        return call && DATA_PLANE_OPERATIONS.includes(call.operation)
          ? new AwsError(
              'ProvisionedThroughputExceededException',
              'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
            )
          : new AwsError('ThrottlingException', 'Rate exceeded');
      default: {
        let resource: string | undefined;
        const table = call
          ? primaryTable(call.operation, call.input)
          : undefined;
        if (table !== undefined && identity) {
          try {
            resource = resolveTableName(table, '*', identity.accountId).arn;
          } catch {
            resource = undefined;
          }
        }
        return new AwsError(
          'AccessDeniedException',
          accessDeniedMessage(identity, call?.action ?? 'dynamodb:*', resource),
        );
      }
    }
  },

  events(call: DynamoDbCall, ctx: CallContext): EventDraft[] {
    if (DATA_PLANE_OPERATIONS.includes(call.operation)) {
      return dataEventDrafts(call.operation, call.input, ctx);
    }
    return [
      {
        eventSource: 'dynamodb.amazonaws.com',
        eventName: call.operation,
        awsRegion: ctx.region,
        readOnly:
          call.operation === 'DescribeTable' || call.operation === 'ListTables',
        category: 'Management',
        requestParameters:
          call.input.TableName !== undefined
            ? { tableName: call.input.TableName }
            : null,
        recipientAccountId: ctx.identity.accountId,
        apiVersion: '2012-08-10',
      },
    ];
  },

  handle(call: DynamoDbCall, ctx: CallContext) {
    return jsonOk(
      '1.0',
      ctx.requestId,
      OPERATIONS[call.operation](call.input, ctx),
    );
  },

  publishMetrics(_call, ctx, served) {
    publishDynamoDbMetrics(ctx, served);
  },

  responseElements(call: DynamoDbCall, result: HttpResult) {
    return call.operation === 'CreateTable' || call.operation === 'DeleteTable'
      ? camelCaseKeys(JSON.parse(String(result.body)))
      : null;
  },

  errorResult(error: AwsError, requestId: string) {
    const namespace =
      FRAMEWORK_NAMESPACES[error.code] ?? 'com.amazonaws.dynamodb.v20120810';
    return jsonError('1.0', requestId, error, `${namespace}#${error.code}`);
  },
};
