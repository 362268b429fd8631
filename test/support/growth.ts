// How a function's time grows with its input, for tests of defects where work grew with the square of
// the input: the time of the large input over the time of the small one, both measured in the same
// test on the same machine, in CPU time, so the figure does not depend on how fast or busy the machine is. Each
// size runs a few times, taking turns with the other, and keeps its fastest run, the one least
// disturbed by the collector and by other processes. Linear work at 4 times the input gives about 4;
// work that grows with the square, 16.
export function growth<T>(inputOf: (size: number) => T, work: (input: T) => void, small: number, large: number, tries = 5): number {
  const smallInput = inputOf(small);
  const largeInput = inputOf(large);
  // CPU time, not wall time: a process that waits for a core while another runs does not count it
  const time = (input: T): number => {
    const started = process.cpuUsage();
    work(input);
    const spent = process.cpuUsage(started);
    return spent.user + spent.system;
  };
  // the small size first also warms up what the large one runs
  time(smallInput);
  // the sizes take turns, so that a busy spell of the machine weighs on both alike
  let smallTime = Infinity;
  let largeTime = Infinity;
  for (let i = 0; i < tries; i++) {
    smallTime = Math.min(smallTime, time(smallInput));
    largeTime = Math.min(largeTime, time(largeInput));
  }
  return largeTime / smallTime;
}
