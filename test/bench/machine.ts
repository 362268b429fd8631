// What fresh memory costs on the machine the bench runs on. The first write to each 4 KiB page a
// process has not touched yet is a page fault: a fraction of a microsecond on bare metal, ten or more
// on some virtual machines (this project's, a Firecracker VM: 12-19 µs). Every process pays it for all
// it touches, node's own start included (about 2,000 pages), so where it is dear `node -e 0` alone is
// half of what `virt-xml-validate` costs, and the first validation pays for the heap it grows into.
// Printed beside the CPU figures so that runs on different machines can be told apart.

const PAGE = 4096;
const SIZE = 32 * 1024 * 1024;

/** µs per page of the first write to fresh memory, less a second write to the same pages (median of 5). */
export function freshPageMicros(): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    // its own block, mapped by the allocator for a size this large and not written yet
    const block = Buffer.allocUnsafeSlow(SIZE);
    const t0 = process.hrtime.bigint();
    block.fill(1);
    const t1 = process.hrtime.bigint();
    block.fill(2);
    const t2 = process.hrtime.bigint();
    samples.push(Number(t1 - t0 - (t2 - t1)) / 1e3 / (SIZE / PAGE));
  }
  samples.sort((a, b) => a - b);
  return samples[2];
}
