// How a function's cost grows with its input, for tests of defects where work grew with the square of
// the input: the CPU time of the large input over that of the small one, both measured in the same test
// on the same machine, so the figure does not depend on how fast the machine is. CPU time, not elapsed
// time: a process that another one keeps off the core (CI beside a build, two test files at once) is not
// charged for the wait. Each size runs a few times and keeps its cheapest run, the one least disturbed
// by the collector.
//
// Take the large input 16 times the small one and bound the figure at 80. Work that grows with the input
// gives 16 and up to 30 here (a large input leaves the processor's caches and makes the collector work
// more, so its cost per item grows too, and unevenly: the same test measured 3 to 26 in consecutive
// runs), work that grows with its square 256: at 4 times (4 against 16) one disturbed run was enough
// to cross any bound between them.

/** CPU microseconds (user and system) this process has used so far */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

export function growth<T>(inputOf: (size: number) => T, work: (input: T) => void, small: number, large: number, tries = 5): number {
  const cheapest = (size: number): number => {
    const input = inputOf(size);
    let best = Infinity;
    for (let i = 0; i < tries; i++) {
      const started = cpuMicros();
      work(input);
      best = Math.min(best, cpuMicros() - started);
    }
    // the clock counts in microseconds (or coarser): a run too short to see costs at least one tick
    return Math.max(best, 1);
  };
  // the small size first also warms up what the large one runs
  const smallCost = cheapest(small);
  return cheapest(large) / smallCost;
}
