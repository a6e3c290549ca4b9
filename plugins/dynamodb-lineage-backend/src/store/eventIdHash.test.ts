import { eventIdHash } from './DatabaseLineageEdgeStore';

describe('eventIdHash', () => {
  it('is a stable non-negative safe integer of up to 53 bits', () => {
    const id = '3f0e1b0c-7a9e-4c7e-9d55-0c5a1f1f2e10';
    const hash = eventIdHash(id);
    expect(Number.isSafeInteger(hash)).toBe(true);
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(eventIdHash(id)).toBe(hash);
    expect(eventIdHash(`${id}#1`)).not.toBe(hash);
  });

  it('tells 200,000 distinct ids apart', () => {
    const hashes = new Set<number>();
    for (let i = 0; i < 200_000; i++) {
      hashes.add(
        eventIdHash(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
      );
    }
    expect(hashes.size).toBe(200_000);
    expect(eventIdHash('')).not.toBe(eventIdHash('a'));
  });
});
