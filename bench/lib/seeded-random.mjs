// A seeded pseudo-random generator for benchmarks whose inputs must be the same on every machine and every run.

/** mulberry32: returns a function giving the next number in [0, 1) of the sequence the seed picks. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
