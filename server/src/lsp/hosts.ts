// Live hosts in the server: one connection pool whose prompts (unknown host key, passphrase,
// password) go to the client as requests, host inventory providers on top of it, and the
// changes (attach/detach, network commands, virsh define) and reads (a guest's definition) they run.
// Secrets pass through in memory only; nothing here logs them.
import type { Connection } from 'vscode-languageserver/node';
import { attachDevice } from '../host/attach';
import { defineGuest, readGuestDefinition } from '../host/guestDefinition';
import { runNetworkCommand, type NetworkOperation } from '../host/network';
import type { ConnectionPool } from '../host/connectionPool';
import { createHostInventoryProvider, type LeveledLog } from '../inventory/hostProvider';
import {
  AskSecretRequest,
  ConfirmHostKeyRequest,
  type AskSecretParams,
  type AttachDeviceParams,
  type AttachDeviceResult,
  type ConfirmHostKeyParams,
  type GuestDefinitionParams,
  type GuestDefinitionResult,
  type HostKeyDecision,
} from '../../../shared/protocol';
import { DEFAULT_LIBVIRT_URI, type HostConfig, type ServerSettings } from '../../../shared/settings';
import { missingHostReason } from '../../../shared/settingsReading';
import { quotedName } from '../../../shared/quotedName';
import { hostAddress } from '../../../shared/hostAddress';
import type { HostProviderFactory } from './inventorySources';

export interface HostServices {
  createHostProvider: HostProviderFactory;
  attach(params: AttachDeviceParams, settings: ServerSettings): Promise<AttachDeviceResult>;
  network(
    params: { operation: NetworkOperation; network: string; networkXml: string; host?: string },
    settings: ServerSettings,
  ): Promise<AttachDeviceResult>;
  /** why a change on the active host would not run (an untrusted workspace: `untrusted` says what is off), or null */
  changeRefusal(settings: ServerSettings, untrusted: string): string | null;
  /** virsh define of a <domain> document on the active host */
  defineGuest(params: { domainXml: string }, settings: ServerSettings): Promise<AttachDeviceResult>;
  /** reads only: allowed where the host's inventory is read, Restricted Mode included (its hosts are the user's own) */
  guestDefinition(params: GuestDefinitionParams, settings: ServerSettings): Promise<GuestDefinitionResult>;
  dispose(): void;
}

export function createHostServices(
  connection: Connection,
  log: LeveledLog,
  /** `trusted`: changes may run; `contactAllowed`: hosts may be read (trusted, or hosts only from the user's settings) */
  options: { knownHostsFile?: string; trusted: boolean; contactAllowed: boolean },
): HostServices {
  const callbacks = {
    confirmHostKey: async (params: ConfirmHostKeyParams) => {
      const where = hostAddress(params.host, params.port);
      const otherTypes = params.otherKnownTypes?.length ? ` (known_hosts has ${params.otherKnownTypes.join(', ')})` : '';
      log.info(`unknown host key of ${where}: ${params.keyType} ${params.fingerprint}${otherTypes}; asking the user`);
      const answer: unknown = await connection.sendRequest(ConfirmHostKeyRequest, params).then(
        (d) => d,
        () => null,
      );
      const { decision, level, message } = hostKeyAnswer(answer, where, options.knownHostsFile);
      log[level](message);
      return decision;
    },
    askSecret: (params: AskSecretParams) =>
      connection.sendRequest(AskSecretRequest, params).then(
        (r) => r?.value ?? null,
        () => null,
      ),
    // the host layer's notes are about keys skipped, agents not usable, a proxy's stderr: worth a look
    log: (message: string) => log.warn(message),
  };
  // One pool per connect timeout: a changed libvirtHostdev.connectTimeoutSeconds applies to the next
  // connection (the inventory source of the new settings asks its pool), no restart needed.
  const pools = new Map<number, ConnectionPool>();
  const poolFor = (settings: Pick<ServerSettings, 'connectTimeoutSeconds'>): ConnectionPool => {
    const seconds = settings.connectTimeoutSeconds;
    let pool = pools.get(seconds);
    if (!pool) {
      // the SSH stack (ssh2 and friends) is loaded when a host is first used, not at server start
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ConnectionPool } = require('../host/connectionPool') as typeof import('../host/connectionPool');
      pool = new ConnectionPool(callbacks, {
        connectTimeoutMs: seconds * 1000,
        ...(options.knownHostsFile ? { projectKnownHostsFile: options.knownHostsFile } : {}),
      });
      pools.set(seconds, pool);
    }
    return pool;
  };

  return {
    createHostProvider: (host: HostConfig, settings: ServerSettings) =>
      createHostInventoryProvider(host, {
        transportFor: async (h) => {
          log.info(
            `refreshing the inventory of ${quotedName(h.name)}: connecting to ${h.target}${h.connect ? ` (${h.connect})` : ''} or reusing the connection`,
          );
          return poolFor(settings).get(h);
        },
        log,
        commandTimeoutMs: settings.commandTimeoutSeconds * 1000,
      }),

    async attach(params: AttachDeviceParams, settings: ServerSettings): Promise<AttachDeviceResult> {
      // The client disables attach in Restricted Mode too; the server does not rely on it.
      const host = targetHost(params.host, settings, options.trusted, ATTACH_OFF);
      if ('ok' in host) return host;
      if (typeof params.guest !== 'string' || params.guest === '' || typeof params.deviceXml !== 'string') {
        return failed('attachDevice needs a guest name and the device XML.');
      }
      try {
        return await attachDevice(poolFor(settings).get(host), {
          uri: host.connect,
          guest: params.guest,
          deviceXml: params.deviceXml,
          operation: params.operation === 'detach' ? 'detach' : 'attach',
          live: params.live === true,
          timeoutMs: settings.commandTimeoutSeconds * 1000,
        });
      } catch (e) {
        return failed(e instanceof Error ? e.message : String(e));
      }
    },

    async network(params, settings): Promise<AttachDeviceResult> {
      const host = targetHost(params.host, settings, options.trusted, NETWORK_CHANGES_OFF);
      if ('ok' in host) return host;
      try {
        return await runNetworkCommand(poolFor(settings).get(host), {
          uri: host.connect,
          operation: params.operation,
          network: params.network,
          networkXml: params.networkXml,
          timeoutMs: settings.commandTimeoutSeconds * 1000,
        });
      } catch (e) {
        return failed(e instanceof Error ? e.message : String(e));
      }
    },

    changeRefusal(settings, untrusted) {
      const host = targetHost(undefined, settings, options.trusted, untrusted);
      return 'ok' in host ? host.message : null;
    },

    async defineGuest(params, settings): Promise<AttachDeviceResult> {
      const host = targetHost(undefined, settings, options.trusted, GUEST_CHANGES_OFF);
      if ('ok' in host) return host;
      if (typeof params?.domainXml !== 'string') return failed('defineGuest needs the domain XML.');
      try {
        return await defineGuest(poolFor(settings).get(host), {
          uri: host.connect ?? DEFAULT_LIBVIRT_URI,
          domainXml: params.domainXml,
          timeoutMs: settings.commandTimeoutSeconds * 1000,
        });
      } catch (e) {
        return failed(e instanceof Error ? e.message : String(e));
      }
    },

    async guestDefinition(params, settings): Promise<GuestDefinitionResult> {
      if (typeof params?.guest !== 'string' || params.guest === '') return { ok: false, message: 'guestDefinition needs a guest name.' };
      if (!options.contactAllowed) return { ok: false, message: 'Restricted Mode: hosts are not contacted in this workspace.' };
      // a read: contactAllowed above decides, not the trust a change needs
      const host = targetHost(params.host, settings, true, '');
      if ('ok' in host) return { ok: false, message: host.message };
      try {
        const xml = await readGuestDefinition(poolFor(settings).get(host), {
          uri: host.connect ?? DEFAULT_LIBVIRT_URI,
          guest: params.guest,
          timeoutMs: settings.commandTimeoutSeconds * 1000,
        });
        return { ok: true, xml };
      } catch (e) {
        return { ok: false, message: e instanceof Error ? e.message : String(e) };
      }
    },

    dispose: () => {
      for (const pool of pools.values()) pool.dispose();
    },
  };
}

/**
 * What the client's answer to confirmHostKey decides, and the log line that says what happens: 'remember'
 * writes only to initializationOptions.knownHostsFile (the host layer then logs the write or why it
 * failed); without one the key is accepted for this session, as the host layer does. Anything but the
 * three answers refuses the key.
 */
export function hostKeyAnswer(
  answer: unknown,
  where: string,
  knownHostsFile: string | undefined,
): { decision: HostKeyDecision; level: 'info' | 'warn'; message: string } {
  if (answer === 'once') return { decision: 'once', level: 'info', message: `host key of ${where} accepted by the user for this session` };
  if (answer === 'remember')
    return knownHostsFile
      ? { decision: 'remember', level: 'info', message: `host key of ${where} accepted by the user, to be remembered in ${knownHostsFile}` }
      : {
          decision: 'remember',
          level: 'warn',
          message: `host key of ${where} accepted by the user for this session only: nothing is remembered without initializationOptions.knownHostsFile`,
        };
  if (answer === 'cancel')
    return { decision: 'cancel', level: 'warn', message: `host key of ${where} refused by the user: not connecting` };
  if (answer === null || answer === undefined)
    return {
      decision: 'cancel',
      level: 'warn',
      message: `host key of ${where} refused: the editor did not answer libvirtHostdev/confirmHostKey; not connecting`,
    };
  const shown = JSON.stringify(answer) ?? String(answer);
  return {
    decision: 'cancel',
    level: 'warn',
    message: `host key of ${where} refused: the answer ${shown.length > 60 ? `${shown.slice(0, 59)}…` : shown} is not "once", "remember" or "cancel"; not connecting`,
  };
}

/** what an untrusted workspace refuses, in the define command's words */
export const GUEST_CHANGES_OFF = 'guest definitions are not changed';
/** the same for attach and detach */
export const ATTACH_OFF = 'attach and detach are disabled';
/** the same for the network commands */
export const NETWORK_CHANGES_OFF = 'network changes are disabled';

/** The answer to a host change that did not run. */
function failed(message: string): AttachDeviceResult {
  return { ok: false, message, commandLine: '' };
}

/** The configured host a change is for (the one it names, else the active host), or why it does not run. */
function targetHost(
  named: string | undefined,
  settings: ServerSettings,
  trusted: boolean,
  untrusted: string,
): HostConfig | AttachDeviceResult {
  if (!trusted) return failed(`The workspace is not trusted: ${untrusted}.`);
  const name = named ?? settings.activeHost;
  if (!name) return failed('No active host: select a host first (libvirtHostdev.activeHost).');
  return settings.hosts.find((h) => h.name === name) ?? failed(`Host ${missingHostReason(settings, name)}.`);
}
