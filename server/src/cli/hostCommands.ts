// CLI commands that talk to a host: `inventory`, `attach`, `detach`, and `check --host`.
// (Filled in by the host-layer work; signatures are fixed so cli/main.ts can dispatch.)
import type { Inventory } from '../service/types';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface HostCliOptions {
  host: string;
  connect?: string;
  sysfsRoot?: string;
  identityFile?: string;
  acceptNewHostKey?: boolean;
}

/** Reads the live inventory for `check --host`; throws HostError (exit 2) on host failures. */
export async function fetchInventoryForCli(options: HostCliOptions, io: CliIO): Promise<Inventory> {
  void options;
  void io;
  throw new Error('not implemented yet');
}

/** `libvirt-hostdev inventory …`; returns the exit code. */
export async function runInventoryCommand(args: string[], io: CliIO): Promise<number> {
  void args;
  io.stderr('inventory: not implemented yet\n');
  return 2;
}

/** `libvirt-hostdev attach|detach FILE --guest NAME --host TARGET …`; returns the exit code. */
export async function runAttachCommand(operation: 'attach' | 'detach', args: string[], io: CliIO): Promise<number> {
  void args;
  io.stderr(`${operation}: not implemented yet\n`);
  return 2;
}
