// Benchmark: live inventory refresh over the REAL loopback sshd (test/setup/env.sh) for sysfs trees
// of 16, 256 and 1,024 VFs with 10 and 100 guests in the test user's qemu:///session (named
// bench-NNN, defined for the run and undefined after it). Reports SSH execs per refresh (must be 1), the median
// refresh time, and how it grows against the 16-VF case. Target: 1,024 VFs + 100 guests < 1 s.
import { createHostInventoryProvider } from '../../server/src/inventory/hostProvider';
import { INVENTORY_COMMAND } from '../../server/src/inventory/fetchInventory';
import { buildScaledTree, pciAddr, type SysfsTree } from '../support/sysfsTree';
import {
  CountingTransport,
  defineGuest,
  hostdevInterface,
  sshEnv,
  sshTransport,
  undefineGuest,
  vmVirsh,
} from '../integration/inventory/support';

const VF_COUNTS = [16, 256, 1024];
const GUEST_COUNTS = [10, 100];
const RUNS = 7;

function benchName(i: number): string {
  return `bench-${String(i).padStart(3, '0')}`;
}

/** Makes exactly bench-000 … bench-(n-1) exist (reusing those already defined), each holding one VF; 0: none. */
function ensureBenchGuests(n: number): void {
  const existing = new Set(
    vmVirsh(['list', '--all', '--name'])
      .stdout.split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('bench-')),
  );
  for (let i = 0; i < 100; i++) {
    const name = benchName(i);
    if (i < n && !existing.has(name)) {
      // VFs of the scaled tree live on buses 0x20…, slots 2…; one per guest, plus a NAT NIC.
      const vf = pciAddr(0, 0x20, 2 + (i >> 3), i & 7)
        .split(/[:.]/)
        .map((x) => parseInt(x, 16));
      const mac = `52:54:00:be:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
      defineGuest(
        name,
        `${hostdevInterface(vf[1], vf[2], vf[3], mac)}
    <interface type='user'><mac address='52:54:00:bf:00:${(i & 0xff).toString(16).padStart(2, '0')}'/></interface>`,
      );
    } else if (i >= n && existing.has(name)) {
      undefineGuest(name);
    }
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function benchInventory(): Promise<string[]> {
  let env: ReturnType<typeof sshEnv>;
  try {
    env = sshEnv();
  } catch (e) {
    return [`inventory refresh: not measured (${(e as Error).message})`];
  }
  const lines = [
    `inventory refresh over loopback SSH (${env.target}, qemu:///session), median of ${RUNS} after one warm-up:`,
    '     VFs  guests  execs/refresh  median ms  vs 16 VFs',
  ];
  const trees = new Map<number, SysfsTree>(VF_COUNTS.map((n) => [n, buildScaledTree(n)]));
  const transport = new CountingTransport(sshTransport(env));
  let target: string | null = null;
  try {
    for (const guests of GUEST_COUNTS) {
      ensureBenchGuests(guests);
      let base = 0;
      for (const vfs of VF_COUNTS) {
        const tree = trees.get(vfs)!;
        const provider = createHostInventoryProvider(
          { name: 'bench', target: env.target, connect: 'qemu:///session', sysfsRoot: tree.root },
          {
            transportFor: async () => transport,
            commandTimeoutMs: 120_000,
          },
        );
        await provider.refresh(); // warm-up: connection, libvirt session daemon, page cache
        const times: number[] = [];
        transport.execs = [];
        for (let i = 0; i < RUNS; i++) {
          const t0 = process.hrtime.bigint();
          await provider.refresh();
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          const { status } = provider.current();
          if (status.state !== 'ok') throw new Error(`refresh failed: ${status.error}`);
          if (status.totalVfs !== vfs) throw new Error(`expected ${vfs} VFs, read ${status.totalVfs}`);
        }
        const seenGuests = provider.current().inventory!.guests.length;
        provider.dispose();
        const execsPerRefresh = transport.execs.filter((c) => c === INVENTORY_COMMAND).length / RUNS;
        const ms = median(times);
        if (vfs === VF_COUNTS[0]) base = ms;
        if (vfs === 1024 && guests === 100)
          target = ms < 1000 ? `target met: ${ms.toFixed(0)} ms < 1000 ms` : `target MISSED: ${ms.toFixed(0)} ms >= 1000 ms`;
        const execs = execsPerRefresh === 1 ? '1' : `${execsPerRefresh} (MUST be 1)`;
        lines.push(
          `  ${String(vfs).padStart(6)}  ${String(seenGuests).padStart(6)}  ${execs.padStart(13)}  ${ms.toFixed(1).padStart(9)}  ${(ms / base).toFixed(2).padStart(8)}x`,
        );
      }
    }
  } finally {
    transport.close();
    for (const tree of trees.values()) tree.remove();
    // the session is shared with the test suites (the e2e host lists every guest): leave it as found
    ensureBenchGuests(0);
  }
  lines.push(`  1,024 VFs + 100 guests: ${target ?? 'not measured'} (guests = all of the test user's, bench-NNN included)`);
  return lines;
}

if (require.main === module) {
  benchInventory().then(
    (lines) => {
      for (const l of lines) console.log(l);
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
