/**
 * A small seeded PRNG (mulberry32), so that fault injection is reproducible from a seed.
 *
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * random(); // 0.6011037519201636, every time
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-shaped id (26 Crockford base32 characters) from a time and a random source: the tail of
 * the sender's `G-<ULID>` and `batch_<ULID>` job ids.
 *
 * @example
 * ```ts
 * `G-${ulid(Date.now(), Math.random)}`; // 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J'
 * ```
 */
export function ulid(timeMs: number, random: () => number): string {
  let time = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[Math.floor(random() * 32)]!;
  return time + rest;
}
