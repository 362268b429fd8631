// A fake SSH host made with ssh2's own Server: it accepts the client's key and answers each exec
// as the test's scenario says (flood, stall, drop mid-stream, or run the command for real with
// /bin/sh on this machine). It can also never finish the handshake or never answer authentication.
// Runs beside the real loopback sshd of the integration suite.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Server, type Connection, type ServerChannel } from 'ssh2';

/** what the host does with one exec request */
export type ExecScenario = (channel: ServerChannel, command: string, connection: Connection) => void;

export interface HostileHost {
  port: number;
  /** a known_hosts file that trusts this host's key */
  knownHostsFile: string;
  /** the scenario of the next execs (changeable between requests) */
  scenario: ExecScenario;
  close(): Promise<void>;
}

export interface HostileHostOptions {
  scenario?: ExecScenario;
  /** 'handshake': the TCP connection is accepted and nothing is ever sent; 'auth': authentication is never answered */
  hang?: 'handshake' | 'auth';
}

export async function startHostileHost(options: HostileHostOptions = {}): Promise<HostileHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-hostile-'));
  const keyFile = path.join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  const connections = new Set<Connection>();
  const sockets = new Set<net.Socket>();
  const host: HostileHost = { port: 0, knownHostsFile: path.join(dir, 'known_hosts'), scenario: options.scenario ?? runForReal, close };

  let server: net.Server;
  if (options.hang === 'handshake') {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
  } else {
    const ssh = new Server({ hostKeys: [fs.readFileSync(keyFile)] }, (connection) => {
      connections.add(connection);
      connection.on('error', () => undefined);
      connection.on('authentication', (ctx) => {
        if (options.hang === 'auth') return;
        if (ctx.method === 'publickey') ctx.accept();
        else ctx.reject(['publickey']);
      });
      connection.on('ready', () => {
        connection.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('exec', (accept, _reject, info) => host.scenario(accept(), info.command, connection));
        });
      });
    });
    server = ssh as unknown as net.Server;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.port = (server.address() as net.AddressInfo).port;
  const publicKey = fs.readFileSync(`${keyFile}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  fs.writeFileSync(host.knownHostsFile, `[127.0.0.1]:${host.port} ${publicKey}\n`);
  return host;

  async function close(): Promise<void> {
    for (const c of connections) c.end();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** runs the command with /bin/sh here, as a real host would */
export const runForReal: ExecScenario = (channel, command) => {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  channel.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr);
  child.on('close', (code) => {
    channel.exit(code ?? 1);
    channel.end();
  });
  channel.on('close', () => child.kill('SIGKILL'));
};

/** FLOOD_BYTES of output as fast as the client reads it (then exit 0): far past any cap, but finite */
export const FLOOD_BYTES = 100 * 1024 * 1024;
export const flood: ExecScenario = (channel) => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let open = true;
  let left = FLOOD_BYTES;
  channel.on('close', () => {
    open = false;
  });
  const pump = (): void => {
    while (open && left > 0) {
      left -= chunk.length;
      if (left <= 0) {
        channel.exit(0);
        channel.end(chunk);
        return;
      }
      if (!channel.write(chunk)) return; // the window is full: wait for 'drain'
    }
  };
  channel.on('drain', pump);
  pump();
};

/** a line, then nothing: the command never ends */
export const stall: ExecScenario = (channel) => {
  channel.write('partial output\n');
};

/** part of what the command prints, then the connection drops */
export const dropMidStream: ExecScenario = (channel, command, connection) => {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'ignore'] });
  channel.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  child.stdout.once('data', (first: Buffer) => {
    channel.write(first.subarray(0, Math.ceil(first.length / 2)), () => connection.end());
    child.kill('SIGKILL');
  });
};
