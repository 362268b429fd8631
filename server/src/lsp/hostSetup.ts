// Requests behind the client's "Add host" flow: the Host aliases of ~/.ssh/config (with Include, by
// the host layer's reader) and a one-off connection test of a host before it is saved.
import type { Connection } from 'vscode-languageserver/node';
import { SshHostAliasesRequest, TestHostRequest, type TestHostParams, type TestHostResult } from '../../../shared/protocol';
import { quotedName } from '../../../shared/quotedName';
import type { ServerSettings } from '../../../shared/settings';
import type { HostProviderFactory } from './inventorySources';
import { normalizeHost } from '../../../shared/settingsReading';
import type { LeveledLog } from '../inventory/hostProvider';

export interface HostSetupOptions {
  output: LeveledLog;
  createHostProvider: HostProviderFactory | undefined;
  /** false in an untrusted workspace whose hosts may come from the workspace */
  contactAllowed: boolean;
  settings(): Promise<ServerSettings>;
}

export function registerHostSetup(connection: Connection, options: HostSetupOptions): void {
  connection.onRequest(SshHostAliasesRequest, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadSshConfig, sshConfigAliases } = require('../host/sshConfigFiles') as typeof import('../host/sshConfigFiles');
    try {
      return sshConfigAliases(loadSshConfig());
    } catch (e) {
      // the picker still offers the config's hosts: testing one names the error, as ssh would
      options.output.warn(`ssh config: ${e instanceof Error ? e.message : String(e)}`);
      return sshConfigAliases(loadSshConfig({ lenient: true }));
    }
  });

  connection.onRequest(TestHostRequest, async (params: TestHostParams): Promise<TestHostResult> => {
    const host = normalizeHost(params?.host);
    if (!host) return { ok: false, message: 'A host needs a name and a target.' };
    if (!options.contactAllowed) return { ok: false, message: 'Restricted Mode: hosts are not contacted in this workspace.' };
    if (!options.createHostProvider) return { ok: false, message: 'Live hosts are not supported by this server build.' };
    const provider = options.createHostProvider(host, await options.settings());
    try {
      await provider.refresh();
      const { status, inventory } = provider.current();
      if (status.state !== 'ok' || !inventory)
        return { ok: false, message: status.error ?? 'the host did not answer', ...(status.errorKind ? { kind: status.errorKind } : {}) };
      options.output.info(`connection test of ${quotedName(host.name)} (${host.target}) succeeded`);
      return {
        ok: true,
        message: `${status.freeVfs}/${status.totalVfs} VFs free, ${inventory.guests.length} guest${inventory.guests.length === 1 ? '' : 's'}`,
      };
    } finally {
      provider.dispose();
    }
  });
}
