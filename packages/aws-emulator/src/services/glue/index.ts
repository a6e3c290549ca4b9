import { AwsError } from '../../errors';
import type { Identity } from '../../identity';
import { uuid } from '../../ids';
import {
  jsonAuthRefusal,
  jsonError,
  jsonOk,
  readJsonCall,
} from '../../protocols/json';
import {
  type CallContext,
  type IncomingCall,
  type ParsedCall,
  type RefusalKind,
  type ServiceHandler,
  accessDeniedMessage,
} from '../types';
import {
  type GlueColumn,
  catalogOf,
  checkCatalogName,
  databaseOutput,
  findDatabase,
  findTable,
  glueDatabaseArn,
  glueTableArn,
  tableOutput,
} from './catalog';

export const GLUE_TARGET_PREFIX = 'AWSGlue.';

interface GlueCall extends ParsedCall {
  input: Record<string, any>;
}

type Operation = (input: Record<string, any>, ctx: CallContext) => unknown;

function notFound(what: string): AwsError {
  return new AwsError('EntityNotFoundException', `${what} not found.`);
}

function columns(list: unknown, field: string): GlueColumn[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw new AwsError('InvalidInputException', `${field} must be a list.`);
  }
  return list.map((column, index) => {
    if (
      typeof column?.Name !== 'string' ||
      !column.Name ||
      typeof column?.Type !== 'string' ||
      !column.Type
    ) {
      throw new AwsError(
        'InvalidInputException',
        `${field}[${index}] needs a Name and a Type.`,
      );
    }
    return {
      Name: column.Name.toLowerCase(),
      Type: column.Type,
      ...(column.Comment ? { Comment: String(column.Comment) } : {}),
    };
  });
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsError('InvalidInputException', `${field} must be a map.`);
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, String(v)]),
  );
}

const catalog = (ctx: CallContext) =>
  catalogOf(ctx.world, ctx.identity.accountId, ctx.region);

const OPERATIONS: Record<string, Operation> = {
  CreateDatabase(input, ctx) {
    const name = checkCatalogName('Database', input.DatabaseInput?.Name);
    const databases = catalog(ctx);
    if (databases.has(name)) {
      throw new AwsError('AlreadyExistsException', `Database already exists.`);
    }
    databases.set(name, {
      name,
      description: input.DatabaseInput?.Description,
      locationUri: input.DatabaseInput?.LocationUri,
      createdAt: ctx.time,
      tables: new Map(),
    });
    return {};
  },
  GetDatabase(input, ctx) {
    const name = checkCatalogName('Database', input.Name);
    const database = findDatabase(catalog(ctx), name);
    if (!database) throw notFound(`Database ${name}`);
    return { Database: databaseOutput(database, ctx.identity.accountId) };
  },
  GetDatabases(_input, ctx) {
    return {
      DatabaseList: [...catalog(ctx).values()].map(database =>
        databaseOutput(database, ctx.identity.accountId),
      ),
    };
  },
  CreateTable(input, ctx) {
    const databaseName = checkCatalogName('Database', input.DatabaseName);
    const tableInput = input.TableInput ?? {};
    const name = checkCatalogName('Table', tableInput.Name);
    const database = findDatabase(catalog(ctx), databaseName);
    if (!database) throw notFound(`Database ${databaseName}`);
    if (database.tables.has(name)) {
      throw new AwsError('AlreadyExistsException', 'Table already exists.');
    }
    const storage = tableInput.StorageDescriptor ?? {};
    database.tables.set(name, {
      name,
      databaseName,
      description: tableInput.Description,
      tableType: tableInput.TableType ?? 'EXTERNAL_TABLE',
      columns: columns(storage.Columns, 'StorageDescriptor.Columns'),
      partitionKeys: columns(tableInput.PartitionKeys, 'PartitionKeys'),
      location: storage.Location,
      inputFormat: storage.InputFormat,
      outputFormat: storage.OutputFormat,
      serializationLibrary: storage.SerdeInfo?.SerializationLibrary,
      serdeParameters: stringMap(
        storage.SerdeInfo?.Parameters,
        'SerdeInfo.Parameters',
      ),
      parameters: stringMap(tableInput.Parameters, 'Parameters'),
      createdAt: ctx.time,
    });
    return {};
  },
  GetTable(input, ctx) {
    const databaseName = checkCatalogName('Database', input.DatabaseName);
    const name = checkCatalogName('Table', input.Name);
    const databases = catalog(ctx);
    if (!findDatabase(databases, databaseName)) {
      throw notFound(`Database ${databaseName}`);
    }
    const table = findTable(databases, databaseName, name);
    if (!table) throw notFound(`Table ${name}`);
    return { Table: tableOutput(table, ctx.identity.accountId) };
  },
  GetTables(input, ctx) {
    const databaseName = checkCatalogName('Database', input.DatabaseName);
    const database = findDatabase(catalog(ctx), databaseName);
    if (!database) throw notFound(`Database ${databaseName}`);
    return {
      TableList: [...database.tables.values()].map(table =>
        tableOutput(table, ctx.identity.accountId),
      ),
    };
  },
  DeleteTable(input, ctx) {
    const databaseName = checkCatalogName('Database', input.DatabaseName);
    const name = checkCatalogName('Table', input.Name);
    const database = findDatabase(catalog(ctx), databaseName);
    if (!database) throw notFound(`Database ${databaseName}`);
    if (!database.tables.delete(name)) throw notFound(`Table ${name}`);
    return {};
  },
};

/** AWS Glue Data Catalog (JSON 1.1, `X-Amz-Target: AWSGlue.<Operation>`): the calls Athena's tables need. */
export const glueService: ServiceHandler<GlueCall> = {
  service: 'glue',
  newRequestId: uuid,

  parse(incoming: IncomingCall): GlueCall {
    const { operation, input } = readJsonCall(incoming);
    if (!OPERATIONS[operation]) {
      throw new AwsError(
        'UnknownOperationException',
        `The emulator does not implement glue:${operation}.`,
      );
    }
    return { operation, action: `glue:${operation}`, input };
  },

  resourceArn(call, { region, accountId }) {
    const { input } = call;
    const database =
      input.DatabaseName ?? input.DatabaseInput?.Name ?? input.Name;
    const table = input.TableInput?.Name ?? (input.DatabaseName && input.Name);
    if (typeof database !== 'string' || !database) {
      return `arn:aws:glue:${region}:${accountId}:catalog`;
    }
    if (typeof table === 'string' && table) {
      return glueTableArn(region, accountId, database, table);
    }
    return glueDatabaseArn(region, accountId, database);
  },

  refusal(kind: RefusalKind, call: GlueCall | undefined, identity?: Identity) {
    const authRefusal = jsonAuthRefusal(kind);
    if (authRefusal) return authRefusal;
    if (kind === 'throttled') {
      return new AwsError('ThrottlingException', 'Rate exceeded', 400);
    }
    return new AwsError(
      'AccessDeniedException',
      accessDeniedMessage(identity, call?.action ?? 'glue:*', call?.resource),
      400,
    );
  },

  handle(call: GlueCall, ctx: CallContext) {
    return jsonOk(
      '1.1',
      ctx.requestId,
      OPERATIONS[call.operation](call.input, ctx),
    );
  },

  errorResult(error: AwsError, requestId: string) {
    return jsonError('1.1', requestId, error);
  },
};
