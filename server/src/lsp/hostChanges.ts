// The changes the server runs on a host (attach/detach, a network command, virsh define), each followed by
// a new read of that host's inventory: the server owns both, so a VF shows as used (or free again)
// everywhere at once, before the answer reaches the editor.
import type { AttachDeviceParams, AttachDeviceResult } from '../../../shared/protocol';
import type { ServerSettings } from '../../../shared/settings';
import type { NetworkRunParams } from './executeCommands';
import type { HostServices } from './hosts';
import type { InventorySource } from './inventorySources';
import type { LeveledLog } from '../inventory/hostProvider';

export interface HostChangeDeps {
  /** null until the server is initialized */
  hosts(): HostServices | null;
  /** the settings that apply to the document `uri` (null: the window's) */
  settings(uri: string | null): Promise<ServerSettings>;
  /** the inventory sources that read the host named `host` */
  sourcesOf(host: string): InventorySource[];
  log(what: string, e: unknown): void;
  /** the server's log (the editor's output): what ran on a host and what libvirt answered */
  output: LeveledLog;
}

export interface HostChanges {
  /** `record`: to the server's log as well (an editor without our client keeps no log of its own attach) */
  attach(params: AttachDeviceParams, uri: string | null, record: boolean): Promise<AttachDeviceResult>;
  network(params: NetworkRunParams, uri: string | null): Promise<AttachDeviceResult>;
  defineGuest(params: { domainXml: string }, uri: string | null): Promise<AttachDeviceResult>;
  /** why a change for document `uri` would not run (`untrusted`: what an untrusted workspace turns off), or null: asked before any question */
  refusal(uri: string | null, untrusted: string): Promise<string | null>;
}

export function hostChanges(deps: HostChangeDeps): HostChanges {
  /**
   * Runs `change`, then reads again every source of the host it ran on (`hostOf`, default the active
   * host). `record`: the change goes to the server's log with libvirt's answer (the VS Code client logs
   * its own attach, which a second line would repeat; a network command, a define and another editor's
   * attach have only this record).
   */
  async function changeAndRefresh(
    uri: string | null,
    what: string,
    change: (hosts: HostServices, settings: ServerSettings) => Promise<AttachDeviceResult>,
    options: { record: boolean; hostOf?: (settings: ServerSettings) => string | null | undefined },
  ): Promise<AttachDeviceResult> {
    const hosts = deps.hosts();
    if (!hosts) return { ok: false, message: 'The server is not initialized.', commandLine: '' };
    const settings = await deps.settings(uri);
    const result = await change(hosts, settings);
    if (options.record && result.commandLine !== '')
      deps.output[result.ok ? 'info' : 'warn'](`${result.commandLine} → ${result.ok ? 'ok' : 'failed'}: ${result.message.trim()}`);
    const host = options.hostOf ? options.hostOf(settings) : settings.activeHost;
    if (result.ok && host)
      await Promise.all(deps.sourcesOf(host).map((s) => s.provider.refresh().catch((e) => deps.log(`refresh after ${what}`, e))));
    return result;
  }

  return {
    attach: (params, uri, record) =>
      changeAndRefresh(uri, 'attach', (h, settings) => h.attach(params, settings), {
        record,
        hostOf: (settings) => params.host ?? settings.activeHost,
      }),
    network: (params, uri) => changeAndRefresh(uri, 'net command', (h, settings) => h.network(params, settings), { record: true }),
    defineGuest: (params, uri) => changeAndRefresh(uri, 'define', (h, settings) => h.defineGuest(params, settings), { record: true }),
    refusal: async (uri, untrusted) => {
      const hosts = deps.hosts();
      return hosts ? hosts.changeRefusal(await deps.settings(uri), untrusted) : 'The server is not initialized.';
    },
  };
}
