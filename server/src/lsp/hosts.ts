// Live hosts in the server: one connection pool whose prompts (unknown host key, passphrase,
// password) go to the client as requests, host inventory providers on top of it, and the
// attach/detach request. Secrets pass through in memory only; nothing here logs them.
import type { Connection } from 'vscode-languageserver/node';
import { attachDevice } from '../host/attach';
import { ConnectionPool } from '../host/connectionPool';
import { HostError } from '../host/transport';
import { createHostInventoryProvider } from '../inventory/hostProvider';
import { AskSecretRequest, ConfirmHostKeyRequest, type AttachDeviceParams, type AttachDeviceResult, type ConfirmHostKeyParams } from '../../../shared/protocol';
import type { HostConfig, ServerSettings } from '../../../shared/settings';
import type { HostProviderFactory } from './inventorySources';

export interface HostServices {
  createHostProvider: HostProviderFactory;
  attach(params: AttachDeviceParams, settings: ServerSettings): Promise<AttachDeviceResult>;
  dispose(): void;
}

export function createHostServices(connection: Connection, options: { knownHostsFile?: string; trusted: boolean; connectTimeoutSeconds: number }): HostServices {
  const pool = new ConnectionPool({
    confirmHostKey: (params: ConfirmHostKeyParams) =>
      connection.sendRequest(ConfirmHostKeyRequest, params).then((d) => d ?? 'cancel', () => 'cancel' as const),
    askSecret: (params) =>
      connection.sendRequest(AskSecretRequest, params).then((r) => r?.value ?? null, () => null),
    log: (message) => connection.console.log(message),
  }, {
    connectTimeoutMs: options.connectTimeoutSeconds * 1000,
    ...(options.knownHostsFile ? { projectKnownHostsFile: options.knownHostsFile } : {}),
  });

  return {
    createHostProvider: (host: HostConfig, settings: ServerSettings) =>
      createHostInventoryProvider(host, {
        transportFor: async (h) => pool.get(h),
        commandTimeoutMs: settings.commandTimeoutSeconds * 1000,
      }),

    async attach(params: AttachDeviceParams, settings: ServerSettings): Promise<AttachDeviceResult> {
      const failed = (message: string): AttachDeviceResult => ({ ok: false, message, commandLine: '' });
      // The client disables attach in Restricted Mode too; the server does not rely on it.
      if (!options.trusted) return failed('The workspace is not trusted: attach and detach are disabled.');
      const name = params.host ?? settings.activeHost;
      if (!name) return failed('No active host: select a host first (libvirtHostdev.activeHost).');
      const host = settings.hosts.find((h) => h.name === name);
      if (!host) return failed(`Host '${name}' is not in libvirtHostdev.hosts.`);
      if (typeof params.guest !== 'string' || params.guest === '' || typeof params.deviceXml !== 'string') {
        return failed('attachDevice needs a guest name and the device XML.');
      }
      try {
        return await attachDevice(pool.get(host), {
          uri: host.connect,
          guest: params.guest,
          deviceXml: params.deviceXml,
          operation: params.operation === 'detach' ? 'detach' : 'attach',
          live: params.live === true,
          timeoutMs: settings.commandTimeoutSeconds * 1000,
        });
      } catch (e) {
        return failed(e instanceof HostError || e instanceof Error ? e.message : String(e));
      }
    },

    dispose: () => pool.dispose(),
  };
}
