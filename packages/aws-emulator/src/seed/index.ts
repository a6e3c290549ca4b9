import type { Delivery } from '../delivery';
import type { Environment } from '../server';
import { seedDemo } from './demo';

export const SEED_NAMES = ['demo', 'none'] as const;
export type SeedName = (typeof SEED_NAMES)[number];

/** Background traffic a scenario wants while the emulator runs. */
export type TrafficTick = (time: number) => Promise<void>;

export function isSeedName(name: unknown): name is SeedName {
  return SEED_NAMES.includes(name as SeedName);
}

export async function applySeed(
  name: SeedName,
  env: Environment & { delivery: Delivery },
): Promise<TrafficTick | undefined> {
  switch (name) {
    case 'demo':
      return seedDemo(env);
    default:
      return undefined;
  }
}
