// CLI commands that talk to a host: `inventory`, `attach`, `detach`, and `check --host`; the inventory
// of `--host` or `--inventory FILE` for the commands that take either.
// Host failures (unreachable, auth, host key, timeout) end with exit 2 and ONE line on stderr.
// Unknown host keys are refused unless --accept-new-host-key; accepted keys are written to the
// project's own known-hosts file ($XDG_CONFIG_HOME or ~/.config, /libvirt-hostdev/known_hosts),
// never to ~/.ssh/known_hosts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { HostError, type Transport } from '../host/transport';
import { isLocalTarget, parseTarget } from '../host/target';
import { fetchInventory } from '../inventory/fetchInventory';
import type { InventoryResult } from '../inventory/parseOutput';
import { readInventoryFile } from '../inventory/fileProvider';
import { serializeInventory } from '../inventory/snapshot';
import { deviceAt, documentSymbols, type Inventory, type Problem } from '../service/index';
import { INVENTORY_COMMAND } from './commandSpecs';
import { cannotWrite, type CliIO } from './io';
import { hostOptionsFrom, parseCommand, stringOption, type HostCliOptions, type OptionValues } from './options';
import { oneLine, plural, UsageError } from './util';
import { inertControls, inertLine } from '../../../shared/inertControls';
import { quotedName } from '../../../shared/quotedName';
import { shellJoin } from '../../../shared/shellQuote';
import { ConfigError } from '../project/projectConfig';
import { projectPolicyOf } from '../project/projectPolicy';
import { hostAddress } from '../../../shared/hostAddress';
import type { AttachDeviceResult } from '../../../shared/protocol';
import { replaceFileSync } from '../../../shared/replaceFile';
import { fileErrorReason } from '../../../shared/boundedFile';

export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** $XDG_CONFIG_HOME/libvirt-hostdev/known_hosts, default ~/.config/libvirt-hostdev/known_hosts. */
export function projectKnownHostsFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'libvirt-hostdev', 'known_hosts');
}

/** The transport for a CLI run: host keys per --accept-new-host-key, no interactive secrets. */
/** The host options that only an SSH target reads, as `--NAME` and the field that holds each. */
const SSH_ONLY_OPTIONS: readonly (readonly [string, keyof HostCliOptions])[] = [
  ['--identity', 'identityFile'],
  ['--ssh-config', 'sshConfigFile'],
  ['--transport', 'transport'],
  ['--accept-new-host-key', 'acceptNewHostKey'],
  ['--connect-timeout', 'connectTimeoutMs'],
];

/**
 * Before a connection: SSH options given with `--host local` are said to be ignored (a script may pass
 * one set of options to every host), and an `--identity` that cannot be read is an error, where ssh
 * would only warn and go on to fail its login with another key.
 */
function checkSshOptions(options: HostCliOptions, io: CliIO): void {
  if (isLocalTarget(options.host)) {
    const given = SSH_ONLY_OPTIONS.filter(([, field]) => options[field] !== undefined && options[field] !== false).map(([name]) => name);
    if (given.length)
      io.stderr(
        `libvirt-hostdev: ${given.join(', ')} ${given.length > 1 ? 'have' : 'has'} no use with --host local (this machine); ignored\n`,
      );
    return;
  }
  const identity = options.identityFile;
  if (identity === undefined) return;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(identity);
  } catch (e) {
    throw new HostError('config', `--identity ${inertControls(identity)}: cannot read: ${fileErrorReason(e)}`);
  }
  if (!stat.isFile()) throw new HostError('config', `--identity ${inertControls(identity)}: cannot read: not a regular file`);
}

export function cliTransport(options: HostCliOptions, io: CliIO): Transport {
  // the SSH stack (ssh2, ~/.ssh/config reading) is loaded by the commands that reach a host only:
  // an offline `check` never pays for it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTransport } = require('../host/connectionPool') as typeof import('../host/connectionPool');
  const knownHosts = projectKnownHostsFile();
  checkSshOptions(options, io);
  const host = { target: options.host, identityFile: options.identityFile, transport: options.transport };
  const transport = createTransport(
    host,
    {
      confirmHostKey: async (p) => {
        if (!options.acceptNewHostKey) return 'cancel';
        // a new key of another type for a host known_hosts has keys of: no new host, as ssh sees it too
        if (p.otherKnownTypes?.length) {
          io.stderr(
            `libvirt-hostdev: --accept-new-host-key does not accept ${p.keyType} ${p.fingerprint} for ${hostAddress(p.host, p.port)}: ` +
              `known_hosts has ${p.otherKnownTypes.join(', ')} keys for it, so the host may have been replaced; check the key, then add it with ssh\n`,
          );
          return 'cancel';
        }
        fs.mkdirSync(path.dirname(knownHosts), { recursive: true, mode: 0o700 });
        io.stderr(
          `libvirt-hostdev: accepted new host key for ${hostAddress(p.host, p.port)} (${p.keyType} ${p.fingerprint}); saved in ${knownHosts}\n`,
        );
        return 'remember';
      },
      // Passphrases/passwords only from a person at a terminal (never from arguments or the
      // environment); without a terminal, keys need an agent or an unencrypted identity file.
      // (the prompt holds an SSH server's own words: its terminal controls shown inert)
      askSecret: async (p) => (process.stdin.isTTY && process.stderr.isTTY ? promptHidden(`${inertLine(p.prompt)}: `) : null),
    },
    {
      projectKnownHostsFile: knownHosts,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(options.sshConfigFile ? { sshConfigFile: options.sshConfigFile } : {}),
      ...(options.acceptNewHostKey ? { acceptNewHostKey: true } : {}),
    },
  );
  for (const notice of transport.notices ?? []) io.stderr(`libvirt-hostdev: warning: ${notice}\n`);
  return transport;
}

/** Reads one line from the terminal without echoing it; null on Ctrl-C/Ctrl-D. */
function promptHidden(prompt: string): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let answered = false;
    // readline echoes through _writeToOutput; after the prompt, print nothing of what is typed.
    const muted = rl as unknown as { _writeToOutput(text: string): void };
    const original = muted._writeToOutput.bind(rl);
    let promptShown = false;
    muted._writeToOutput = (text: string) => {
      if (!promptShown) {
        promptShown = true;
        original(text);
      }
    };
    rl.question(prompt, (answer) => {
      answered = true;
      process.stderr.write('\n');
      rl.close();
      resolve(answer);
    });
    rl.on('close', () => {
      if (!answered) resolve(null);
    });
    rl.on('SIGINT', () => rl.close());
  });
}

/**
 * One line for an exit-2 failure. An unknown key that accepting new keys would let through also names
 * --accept-new-host-key (the editor asks instead, so the host layer's own message cannot); not where
 * the option does not apply: the built-in client obeys an ssh config's StrictHostKeyChecking yes
 * whatever the command line says.
 */
export function hostFailureLine(e: unknown): string {
  const line = oneLine(e);
  return e instanceof HostError && e.unknownKeyAcceptable ? `${line} (run again with --accept-new-host-key to trust it)` : line;
}

export async function withTransport<T>(options: HostCliOptions, io: CliIO, work: (t: Transport) => Promise<T>): Promise<T> {
  const transport = cliTransport(options, io);
  // Ctrl-C or a TERM while the host works: drop the connection (the host's side of attach removes its
  // temp file by itself, see host/attach.ts) and exit like a shell reports a signal, in one line.
  const onSignal = (signal: NodeJS.Signals): void => {
    transport.close();
    io.stderr(`libvirt-hostdev: interrupted (${signal}); the connection to ${quotedName(options.host)} was closed\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(transport);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    transport.close();
  }
}

/** The host's inventory as the command-line options describe where and how to read it. */
export function fetchLive(options: HostCliOptions, transport: Transport): ReturnType<typeof fetchInventory> {
  return fetchInventory(transport, {
    host: options.host,
    uri: options.connect,
    sysfsRoot: options.sysfsRoot,
    hostRoot: options.hostRoot,
    timeoutMs: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
  });
}

export async function readLive(options: HostCliOptions, io: CliIO, transport: Transport): Promise<Inventory> {
  return (await readLiveWithDefinitions(options, io, transport)).inventory;
}

/** What `check --host` reads of a host: its inventory and its guests' persistent definitions, in one exec. */
export interface HostRead extends Pick<InventoryResult, 'inventory' | 'definitions'> {
  /**
   * the host's name alone (`kvm1` of `admin@kvm1:2222`, `local`): a definition is reported as
   * `NAME/GUEST.xml`, where a user or a port would read as part of a `FILE:LINE:COLUMN` location
   */
  hostName: string;
}

async function readLiveWithDefinitions(options: HostCliOptions, io: CliIO, transport: Transport): Promise<HostRead> {
  const result = await fetchLive(options, transport);
  for (const w of result.warnings) io.stderr(`libvirt-hostdev: warning: ${w}\n`);
  return { ...result, hostName: isLocalTarget(options.host) ? 'local' : parseTarget(options.host).host };
}

/** Reads the live inventory for `check --host`; throws HostError (exit 2) on host failures. */
export async function fetchInventoryForCli(options: HostCliOptions, io: CliIO): Promise<HostRead> {
  try {
    return await withTransport(options, io, (t) => readLiveWithDefinitions(options, io, t));
  } catch (e) {
    if (e instanceof HostError) throw new HostError(e.kind, hostFailureLine(e));
    throw e;
  }
}

/** The inventory of `--host TARGET` or of `--inventory FILE` (a command takes exactly one of them). */
export interface HostOrSnapshot {
  /** the inventory comes from a snapshot file, not a live host */
  fromSnapshot: boolean;
  /** reads it; null once it has printed why it could not (the command then exits 2) */
  read(io: CliIO): Promise<Inventory | null>;
}

/**
 * The inventory `command` is given: `--host` with the host options, or `--inventory FILE`. Checks the
 * options now (a UsageError when both or neither are there); nothing is read until `read`.
 */
export function hostOrSnapshot(v: OptionValues, command: string): HostOrSnapshot {
  const file = stringOption(v, 'inventory');
  if (file !== undefined && v.host !== undefined) throw new UsageError('--inventory and --host cannot be used together');
  if (file === undefined && (v.host === undefined || v.host === ''))
    throw new UsageError(`${command} needs --host TARGET (local, [user@]host[:port] or an ~/.ssh/config alias) or --inventory FILE`);
  // with a snapshot, a host option alone is a usage error too
  const host = hostOptionsFrom(v, command, file === undefined);
  return {
    fromSnapshot: file !== undefined,
    async read(io) {
      try {
        return file !== undefined ? await readInventoryFile(file) : (await fetchInventoryForCli(host!, io)).inventory;
      } catch (e) {
        io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
        return null;
      }
    },
  };
}

/** `libvirt-hostdev inventory …`; returns the exit code. */
export async function runInventoryCommand(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(INVENTORY_COMMAND, args);
  if (positionals.length > 0) throw new UsageError(`inventory takes no FILE ('${positionals[0]}')`);
  const options = hostOptionsFrom(v, 'inventory', true)!;
  let inventory: Inventory;
  try {
    inventory = await withTransport(options, io, (t) => readLive(options, io, t));
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
  const json = serializeInventory(inventory);
  const output = stringOption(v, 'output');
  if (output === undefined || output === '-') {
    io.stdout(json);
    return 0;
  }
  try {
    // the snapshot it replaces stays whole if this one cannot be written
    replaceFileSync(output, json);
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${cannotWrite(output, e)}\n`);
    return 2;
  }
  io.stderr(
    `libvirt-hostdev: wrote ${output} (${plural(inventory.devices.filter((d) => d.kind === 'vf').length, 'VF')}, ${plural(inventory.guests.length, 'guest')})\n`,
  );
  return 0;
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** A change's command line and libvirt's answer, as attach, define and the network commands print them. */
/** The command that changed a host and libvirt's answer (the host's own words: its terminal controls shown inert). */
export function printChange(io: CliIO, result: AttachDeviceResult): void {
  io.stderr(`$ ${inertControls(result.commandLine)}\n`);
  (result.ok ? io.stdout : io.stderr)(inertControls(result.message) + '\n');
}

export function formatProblem(file: string, text: string, p: Problem): string {
  return `${file}:${position(text, p.span.start)}: ${p.severity} ${p.code}: ${inertControls(p.message)}\n`;
}

/**
 * Before a define: FILE's errors and warnings on stderr, as `check` lists them (a warning there says what
 * fails at the next start, or what the define silently changes for guests); resolves to the errors.
 */
export function printBeforeChange(io: Pick<CliIO, 'stderr'>, file: string, text: string, problems: readonly Problem[]): Problem[] {
  for (const p of problems) if (p.severity === 'error' || p.severity === 'warning') io.stderr(formatProblem(file, text, p));
  return problems.filter((p) => p.severity === 'error');
}

/** The one device of FILE (a bare device or a domain with exactly one), or a clear reason. */
export function singleDevice(text: string): { xml: string; start: number } | { error: string } {
  const devices = documentSymbols(text);
  if (devices.length === 0) return { error: "no <interface type='hostdev'> or <hostdev type='pci'> in the file" };
  if (devices.length > 1) {
    const list = devices.map((d) => `${d.name} (${position(text, d.span.start)})`).join(', ');
    return { error: `the file holds ${devices.length} devices (${list}); attach/detach sends exactly one: put it in a file of its own` };
  }
  const found = deviceAt(text, devices[0].span.start);
  return found
    ? { xml: found.xml, start: found.span.start }
    : { xml: text.slice(devices[0].span.start, devices[0].span.end), start: devices[0].span.start };
}

/**
 * The project policy of FILE (attach, detach, net-define: what `check` would report of it decides what
 * needs --force), or exit code 2 with the config's error on stderr.
 */
export function projectPolicyFor(file: string, io: CliIO): ((problems: Problem[]) => Problem[]) | number {
  try {
    return projectPolicyOf(file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }
}

/**
 * What --dry-run prints for a virsh command that would change a host: the command exactly as it would run
 * (an XML file reaches virsh on its standard input, from a private temp file removed before virsh starts),
 * and that nothing changed.
 */
export function dryRunLines(argv: readonly string[], host: string, xmlOnStdin: boolean): string {
  const how = xmlOnStdin ? `the XML above on its standard input, from a private temp file on ${quotedName(host)}; ` : '';
  return `would run: ${shellJoin(argv)}\n(${how}nothing changed)\n`;
}
