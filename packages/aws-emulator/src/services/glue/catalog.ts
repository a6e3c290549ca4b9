import { AwsError } from '../../errors';
import type { World } from '../../world';

/** A column as the Glue Data Catalog stores it: a Hive type name. */
export interface GlueColumn {
  Name: string;
  Type: string;
  Comment?: string;
}

export interface GlueTable {
  name: string;
  databaseName: string;
  description?: string;
  tableType: string;
  columns: GlueColumn[];
  partitionKeys: GlueColumn[];
  location?: string;
  inputFormat?: string;
  outputFormat?: string;
  serializationLibrary?: string;
  serdeParameters: Record<string, string>;
  /** TBLPROPERTIES: `projection.*`, `storage.location.template`, … */
  parameters: Record<string, string>;
  createdAt: number;
}

export interface GlueDatabase {
  name: string;
  description?: string;
  locationUri?: string;
  createdAt: number;
  tables: Map<string, GlueTable>;
}

/** The Data Catalog of one account and region (Glue and Athena share it). */
export type GlueCatalog = Map<string, GlueDatabase>;

export function catalogOf(
  world: World,
  accountId: string,
  region: string,
): GlueCatalog {
  const key = `${accountId}:${region}`;
  let catalog = world.glueCatalogs.get(key);
  if (!catalog) {
    catalog = new Map();
    world.glueCatalogs.set(key, catalog);
  }
  return catalog;
}

/** Glue lowercases database and table names, as Hive does. */
export const catalogName = (name: string) => name.toLowerCase();

const NAME = /^[a-z0-9_]{1,255}$/;

export function checkCatalogName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(catalogName(name))) {
    throw new AwsError(
      'InvalidInputException',
      `${kind} name must be 1-255 letters, digits or underscores, got ${JSON.stringify(
        name,
      )}.`,
    );
  }
  return catalogName(name);
}

export function findDatabase(
  catalog: GlueCatalog,
  name: string,
): GlueDatabase | undefined {
  return catalog.get(catalogName(name));
}

export function findTable(
  catalog: GlueCatalog,
  database: string,
  table: string,
): GlueTable | undefined {
  return findDatabase(catalog, database)?.tables.get(catalogName(table));
}

export function glueTableArn(
  region: string,
  accountId: string,
  database: string,
  table: string,
): string {
  return `arn:aws:glue:${region}:${accountId}:table/${catalogName(
    database,
  )}/${catalogName(table)}`;
}

export function glueDatabaseArn(
  region: string,
  accountId: string,
  database: string,
): string {
  return `arn:aws:glue:${region}:${accountId}:database/${catalogName(
    database,
  )}`;
}

const seconds = (ms: number) => ms / 1000;

/** A table as GetTable answers it. */
export function tableOutput(table: GlueTable, accountId: string) {
  return {
    Name: table.name,
    DatabaseName: table.databaseName,
    ...(table.description ? { Description: table.description } : {}),
    CreateTime: seconds(table.createdAt),
    UpdateTime: seconds(table.createdAt),
    TableType: table.tableType,
    StorageDescriptor: {
      Columns: table.columns,
      ...(table.location ? { Location: table.location } : {}),
      ...(table.inputFormat ? { InputFormat: table.inputFormat } : {}),
      ...(table.outputFormat ? { OutputFormat: table.outputFormat } : {}),
      Compressed: false,
      NumberOfBuckets: -1,
      SerdeInfo: {
        ...(table.serializationLibrary
          ? { SerializationLibrary: table.serializationLibrary }
          : {}),
        Parameters: table.serdeParameters,
      },
      StoredAsSubDirectories: false,
    },
    PartitionKeys: table.partitionKeys,
    Parameters: table.parameters,
    CatalogId: accountId,
    IsRegisteredWithLakeFormation: false,
  };
}

export function databaseOutput(database: GlueDatabase, accountId: string) {
  return {
    Name: database.name,
    ...(database.description ? { Description: database.description } : {}),
    ...(database.locationUri ? { LocationUri: database.locationUri } : {}),
    CreateTime: seconds(database.createdAt),
    CatalogId: accountId,
    Parameters: {},
  };
}
