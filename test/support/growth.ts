// How a function's time grows with its input, for tests of defects where work grew with the square of
// the input: the time of the large input over the time of the small one, both measured in the same
// test on the same machine, so the figure does not depend on how fast or busy the machine is. Each
// size runs a few times and keeps its fastest run, the one least disturbed by the collector and by
// other processes. Linear work at 4 times the input gives about 4; work that grows with the square, 16.
import { performance } from 'node:perf_hooks';

export function growth<T>(inputOf: (size: number) => T, work: (input: T) => void, small: number, large: number, tries = 3): number {
  const fastest = (size: number): number => {
    const input = inputOf(size);
    let best = Infinity;
    for (let i = 0; i < tries; i++) {
      const started = performance.now();
      work(input);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };
  // the small size first also warms up what the large one runs
  const smallTime = fastest(small);
  return fastest(large) / smallTime;
}
