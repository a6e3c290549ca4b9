import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** A trail the catalog's trail provider emitted, and its entity. */
export interface DiscoveredTrail {
  arn: string;
  entityRef: string;
}

/**
 * Trail discovery on demand, shared between plugins: the catalog module
 * that owns the trail provider registers it, the scaffolder's provision
 * action runs it right after creating a trail, so the trail's entity
 * appears in seconds instead of at the next scheduled discovery.
 */
export interface TrailDiscoveryService {
  /** Registers what discovers trails; the catalog module calls it once. */
  setDiscoverer(discover: () => Promise<DiscoveredTrail[]>): void;
  /**
   * Discovers trails now. Undefined when no discoverer is registered (the
   * catalog module is not installed in this backend).
   */
  discoverNow(): Promise<DiscoveredTrail[] | undefined>;
}

export class DefaultTrailDiscoveryService implements TrailDiscoveryService {
  private discover?: () => Promise<DiscoveredTrail[]>;

  setDiscoverer(discover: () => Promise<DiscoveredTrail[]>): void {
    this.discover = discover;
  }

  async discoverNow(): Promise<DiscoveredTrail[] | undefined> {
    return this.discover ? this.discover() : undefined;
  }
}

/**
 * Root-scoped, so the catalog and scaffolder plugins see one instance.
 *
 * @public
 */
export const trailDiscoveryServiceRef = createServiceRef<TrailDiscoveryService>(
  {
    id: 'dynamodb-lineage.trail-discovery',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => new DefaultTrailDiscoveryService(),
      }),
  },
);
