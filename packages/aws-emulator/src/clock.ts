/**
 * Emulated time. Every timestamp the emulator hands out (trail status, object
 * LastModified, event times, credential expiry, log keys) comes from here, so a
 * test can jump hours ahead in milliseconds.
 */
export class VirtualClock {
  private offset = 0;

  /** Milliseconds since the epoch in emulated time. */
  now(): number {
    return Date.now() + this.offset;
  }

  /** How far emulated time runs ahead of real time. */
  get offsetMs(): number {
    return this.offset;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ms must be a non-negative number, got ${ms}`);
    }
    this.offset += ms;
    return this.now();
  }

  /**
   * Moves emulated time back, behind real time: a world written now carries
   * timestamps that are `ms` old once the clock is advanced by `ms` again.
   */
  rewind(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ms must be a non-negative number, got ${ms}`);
    }
    this.offset -= ms;
    return this.now();
  }

  reset(): void {
    this.offset = 0;
  }
}

/** `2026-01-02T03:04:05Z`, the second-precision form CloudTrail uses. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
