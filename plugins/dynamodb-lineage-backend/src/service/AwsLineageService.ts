import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  Plan,
  TableLineage,
  TrailForecastComparison,
  compareForecastWithObserved,
  evaluateCoverage,
  projectMonthlyDataEventCostUsd,
  tryParseTableArn,
} from '@lineage/plugin-dynamodb-lineage-common';
import {
  AwsClientFactory,
  ProvisioningAuthorizer,
  buildSpec,
  forecastCaptureCost,
  planConverged,
  readTableLineage,
} from '@lineage/plugin-dynamodb-lineage-node';
import { LineageCatalog } from '../catalog/LineageCatalog';
import { coveringTrails } from '../status/coveringTrails';
import { LineageStore } from '../store/LineageStore';
import { LiveLineageService } from './types';
import { PlanBody } from './validation';

/** Lists the DynamoDB tables of an account-region as ARNs. */
export type TableLister = (
  aws: AwsClientFactory,
  accountId: string,
  region: string,
) => Promise<string[]>;

export interface AwsLineageServiceOptions {
  catalog: LineageCatalog;
  /** Stored trails: which one covers a table, what a trail costs. */
  store: LineageStore;
  aws: AwsClientFactory;
  listTables: TableLister;
  /** Who may plan provisioning for which account and owner. */
  provisioning: Pick<ProvisioningAuthorizer, 'authorize'>;
  /** Compressed bytes of logs one lineage request may read. */
  lineageByteBudget: number;
  /** The Athena forensics database of an account, when configured: plans name its CloudTrail table. */
  athenaDatabaseFor?: (accountId: string) => string | undefined;
  now?: () => Date;
}

/**
 * Answers that ask AWS at request time (tables, plans, lineage), with the
 * plugin's credentials, for callers the catalog shows the account to.
 */
export class AwsLineageService implements LiveLineageService {
  private readonly now: () => Date;

  constructor(private readonly options: AwsLineageServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async listTables(
    accountId: string,
    region: string,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    await this.requireVisibleAccount(accountId, credentials);
    try {
      return await this.options.listTables(this.options.aws, accountId, region);
    } catch (error) {
      throw awsUnavailable(
        `DynamoDB ListTables in ${accountId}/${region}`,
        error,
      );
    }
  }

  async plan(
    input: PlanBody,
    credentials: BackstageCredentials,
  ): Promise<Plan> {
    // Account and owner, before any AWS call: the same rule as the scaffolder action.
    await this.options.provisioning.authorize({
      accountId: input.accountId,
      owner: input.owner,
      credentials,
    });
    const createdBy =
      credentials.principal &&
      (credentials.principal as { type?: string }).type === 'user'
        ? (credentials.principal as { userEntityRef: string }).userEntityRef
        : undefined;
    const { allowDuplicateCapture, ...specInput } = input;
    // Field rules first: nothing reaches AWS that buildSpec would refuse.
    buildSpec(specInput);
    let planned;
    try {
      planned = (
        await planConverged(
          this.options.aws,
          { ...specInput, ...(createdBy ? { createdBy } : {}) },
          {
            allowDuplicateCapture,
            athenaDatabase: this.options.athenaDatabaseFor?.(input.accountId),
            monthlyCostUsd: async arn =>
              (
                await this.options.store.getTrail(arn)
              )?.health.volume?.projectedMonthlyUsd,
          },
        )
      ).plan;
    } catch (error) {
      if (
        error instanceof ServiceUnavailableError ||
        error instanceof ConflictError
      ) {
        throw error;
      }
      throw awsUnavailable(
        `Planning in ${input.accountId}/${input.region}`,
        error,
      );
    }
    // What the capture would cost, from the account-region's own DynamoDB
    // metrics; a region CloudWatch does not answer for is named, not fatal.
    const costForecast = await forecastCaptureCost(this.options.aws, {
      accountId: input.accountId,
      regions: [input.region],
      scope: planned.spec.scope,
      readWriteType: planned.spec.readWriteType,
      lifecycle: planned.spec.lifecycle,
      insights: planned.spec.insights,
      createKmsKey: planned.changes.some(
        change => change.resource === 'kms-key' && change.action === 'create',
      ),
      now: this.now(),
    });
    // The AWS requests behind each change stay server-side; the contract is the plan.
    return {
      spec: planned.spec,
      trailArn: planned.trailArn,
      bucketArn: planned.bucketArn,
      changes: planned.changes.map(
        ({ request: _request, ...change }) => change,
      ),
      notes: planned.notes,
      ...(planned.blockers ? { blockers: planned.blockers } : {}),
      ...(planned.kmsPolicyStatement
        ? { kmsPolicyStatement: planned.kmsPolicyStatement }
        : {}),
      ...(planned.athenaTable ? { athenaTable: planned.athenaTable } : {}),
      costForecast,
    };
  }

  async getTableLineage(
    tableArn: string,
    hours: number,
    credentials: BackstageCredentials,
  ): Promise<TableLineage> {
    const table = tryParseTableArn(tableArn);
    if (!table)
      throw new InputError(`tableArn: "${tableArn}" is not a table ARN`);
    await this.requireVisibleAccount(table.accountId, credentials);

    const [accountRegion] = await this.options.store.getAccountRegions([table]);
    const [best] = (
      await coveringTrails(this.options.store, tableArn, accountRegion)
    ).covering;
    if (!best) {
      throw new NotFoundError(
        `No known trail logs DynamoDB data events of ${tableArn}; enable lineage tracking or wait for the next refresh`,
      );
    }
    const to = this.now();
    const from = new Date(to.getTime() - hours * 3600_000);
    try {
      const clients = await this.options.aws.forAccount(
        best.description.accountId,
        best.description.homeRegion,
      );
      return await readTableLineage(clients, best.description, tableArn, {
        from,
        to,
        now: to,
        byteBudget: this.options.lineageByteBudget,
      });
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw awsUnavailable(
        `Reading the logs of trail ${best.description.name}`,
        error,
      );
    }
  }

  /**
   * AWS answers with the plugin's credentials, so a caller may only ask about
   * accounts the catalog shows them (or that config lists).
   */
  async getTrailForecast(
    trailArn: string,
    credentials: BackstageCredentials,
  ): Promise<TrailForecastComparison> {
    const stored = await this.options.store.getTrail(trailArn);
    if (!stored) {
      throw new NotFoundError(
        `No health is known for trail ${trailArn}; it has not been seen by a refresh`,
      );
    }
    const { description, selectors, health } = stored;
    await this.requireVisibleAccount(description.accountId, credentials);
    const { accountId, homeRegion: region } = description;
    const forecast = await forecastCaptureCost(this.options.aws, {
      accountId,
      regions: [region],
      scope: { mode: 'all' },
      readWriteType: 'All',
      // Only the data events are compared; storage is the plan's concern.
      lifecycle: { glacierAfterDays: 90 },
      insights: false,
      createKmsKey: false,
      now: this.now(),
    });
    // The tables the trail's selectors capture at all; without its
    // selectors, every table (and the answer says so).
    const captured = selectors
      ? forecast.perTable.filter(
          table =>
            evaluateCoverage({
              trail: description,
              selectors,
              target: { kind: 'table', tableArn: table.tableArn },
            }).verdict !== 'not-covered',
        )
      : forecast.perTable;
    const forecastEventsPerDay = captured.reduce(
      (sum, table) => sum + table.eventsPerDay.mean,
      0,
    );
    const observed = health.volume;
    const unavailable = [
      ...(forecast.unavailable ?? []),
      ...(selectors
        ? []
        : [
            `the event selectors of ${description.name} were not read: every table is counted`,
          ]),
    ];
    return {
      trailArn,
      accountId,
      region,
      forecastEventsPerDay,
      forecastMonthlyUsd: projectMonthlyDataEventCostUsd(forecastEventsPerDay),
      basis: forecast.basis.replace(
        /for \d+ tables? in scope/,
        `for ${captured.length} table${
          captured.length === 1 ? '' : 's'
        } the trail captures`,
      ),
      perTable: captured,
      ...(observed
        ? {
            observedEventsPerDay: observed.eventsPerDay,
            observedMonthlyUsd: observed.projectedMonthlyUsd,
          }
        : {}),
      ...compareForecastWithObserved(
        forecastEventsPerDay,
        observed?.eventsPerDay,
      ),
      ...(unavailable.length ? { unavailable } : {}),
    };
  }

  private async requireVisibleAccount(
    accountId: string,
    credentials: BackstageCredentials,
  ) {
    const account = await this.options.catalog.findAccount(
      accountId,
      credentials,
    );
    if (!account) {
      throw new NotFoundError(
        `No aws-account resource with account id ${accountId} is visible to you in the catalog`,
      );
    }
    return account;
  }
}

function awsUnavailable(what: string, error: unknown): ServiceUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { name?: string })?.name;
  return new ServiceUnavailableError(
    `${what} failed: AWS did not answer (${
      code && !message.includes(code) ? `${code}: ` : ''
    }${message})`,
  );
}
