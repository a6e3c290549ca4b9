import type { Identity } from './identity';
import { globMatch } from './policy';

/**
 * Injected misbehaviour. Action keys are IAM-style (`cloudtrail:GetEventSelectors`)
 * and may use `*` wildcards (`s3:*`, `*`).
 */
export interface FaultConfig {
  /** Extra latency in milliseconds, per action. */
  latencyMs?: Record<string, number>;
  /** Probability (0..1) that a call is refused as throttled, per action. */
  throttleRate?: Record<string, number>;
  /**
   * Calls refused with AccessDenied. `principal` is an account id, a principal
   * ARN (user, role, or assumed-role session) or `*`.
   */
  accessDenied?: Array<{ principal: string; action: string }>;
  /** Role ARNs (wildcards allowed) whose sts:AssumeRole is refused. */
  assumeRoleDenied?: string[];
  /**
   * Account-regions whose log and digest delivery stops: their records stay
   * buffered (delivered once the pause is lifted), every other stream of the
   * same trail keeps delivering. `region` may be `*`.
   */
  deliveryPaused?: Array<{ accountId: string; region: string }>;
}

export class FaultConfigError extends Error {}

function lookup(table: Record<string, number>, action: string): number {
  if (table[action] !== undefined) return table[action];
  for (const [pattern, value] of Object.entries(table)) {
    if (globMatch(pattern, action, true)) return value;
  }
  return 0;
}

function checkTable(
  value: unknown,
  field: string,
  valid: (n: number) => boolean,
  rule: string,
): Record<string, number> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new FaultConfigError(`${field} must be an object of action → number`);
  }
  for (const [action, n] of Object.entries(value)) {
    if (typeof n !== 'number' || !valid(n)) {
      throw new FaultConfigError(
        `${field}.${action} must be ${rule}, got ${JSON.stringify(n)}`,
      );
    }
  }
  return { ...(value as Record<string, number>) };
}

function checkStrings(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    !value.every(v => typeof v === 'string' && v.length > 0)
  ) {
    throw new FaultConfigError(`${field} must be a list of non-empty strings`);
  }
  return [...value];
}

export class Faults {
  private config: Required<FaultConfig> = this.normalize({});

  /** Replaces the whole configuration; throws FaultConfigError naming the bad field. */
  set(config: FaultConfig): FaultConfig {
    this.config = this.normalize(config ?? {});
    return this.get();
  }

  get(): FaultConfig {
    return structuredClone(this.config);
  }

  clear(): void {
    this.config = this.normalize({});
  }

  latencyFor(action: string): number {
    return lookup(this.config.latencyMs, action);
  }

  shouldThrottle(action: string): boolean {
    const rate = lookup(this.config.throttleRate, action);
    return rate > 0 && Math.random() < rate;
  }

  isDenied(identity: Identity, action: string): boolean {
    const names = [identity.accountId, identity.arn, identity.session?.roleArn];
    return this.config.accessDenied.some(
      rule =>
        (rule.principal === '*' || names.includes(rule.principal)) &&
        globMatch(rule.action, action, true),
    );
  }

  isRoleDenied(roleArn: string): boolean {
    return this.config.assumeRoleDenied.some(pattern =>
      globMatch(pattern, roleArn),
    );
  }

  isDeliveryPaused(accountId: string, region: string): boolean {
    return this.config.deliveryPaused.some(
      pause =>
        pause.accountId === accountId &&
        (pause.region === '*' || pause.region === region),
    );
  }

  private normalize(config: FaultConfig): Required<FaultConfig> {
    if (typeof config !== 'object' || Array.isArray(config)) {
      throw new FaultConfigError('faults must be a JSON object');
    }
    const known = [
      'latencyMs',
      'throttleRate',
      'accessDenied',
      'assumeRoleDenied',
      'deliveryPaused',
    ];
    for (const key of Object.keys(config)) {
      if (!known.includes(key)) {
        throw new FaultConfigError(
          `unknown fault setting ${key}; expected one of ${known.join(', ')}`,
        );
      }
    }
    const accessDenied = config.accessDenied ?? [];
    if (
      !Array.isArray(accessDenied) ||
      !accessDenied.every(
        rule =>
          typeof rule?.principal === 'string' &&
          typeof rule?.action === 'string',
      )
    ) {
      throw new FaultConfigError(
        'accessDenied must be a list of { principal: string, action: string }',
      );
    }
    const deliveryPaused = config.deliveryPaused ?? [];
    if (
      !Array.isArray(deliveryPaused) ||
      !deliveryPaused.every(
        pause =>
          /^\d{12}$/.test(pause?.accountId ?? '') &&
          typeof pause?.region === 'string' &&
          /^([a-z]{2}(-[a-z]+)+-\d|\*)$/.test(pause.region),
      )
    ) {
      throw new FaultConfigError(
        'deliveryPaused must be a list of { accountId: 12 digits, region: a region name or * }',
      );
    }
    return {
      deliveryPaused: deliveryPaused.map(pause => ({
        accountId: pause.accountId,
        region: pause.region,
      })),
      latencyMs: checkTable(
        config.latencyMs,
        'latencyMs',
        n => n >= 0 && n <= 60_000,
        'between 0 and 60000',
      ),
      throttleRate: checkTable(
        config.throttleRate,
        'throttleRate',
        n => n >= 0 && n <= 1,
        'between 0 and 1',
      ),
      accessDenied: accessDenied.map(rule => ({
        principal: rule.principal,
        action: rule.action,
      })),
      assumeRoleDenied: checkStrings(
        config.assumeRoleDenied,
        'assumeRoleDenied',
      ),
    };
  }
}
