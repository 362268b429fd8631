// Command ids: the client registers them, package.json contributes them, and the server puts
// attach/detach into CodeLenses. Imports nothing.

export const Commands = {
  selectHost: 'libvirtHostdev.selectHost',
  refreshInventory: 'libvirtHostdev.refreshInventory',
  /** "Attach to guest…" (no guest: the client asks) and "Attach to <name>"; CodeLens argument DeviceCommandArgs */
  attachDevice: 'libvirtHostdev.attachDevice',
  /** "Detach from <name>"; CodeLens argument DeviceCommandArgs */
  detachDevice: 'libvirtHostdev.detachDevice',
  insertInterface: 'libvirtHostdev.insertInterface',
  showInventory: 'libvirtHostdev.showInventory',
  /** the host readiness report (the guide's steps 1-8) of the active host, read again first */
  checkReadiness: 'libvirtHostdev.checkReadiness',
  /** argument: a guest's name, or none: pick one of the active host's persistent guests */
  openGuestDefinition: 'libvirtHostdev.openGuestDefinition',
  /** virsh define of the active <domain> document, as its Define lens runs it (the server's defineGuest) */
  defineGuest: 'libvirtHostdev.defineGuest',
  /** argument { code, uri? } (the "Show documentation" code action), or none: pick a code */
  explainCode: 'libvirtHostdev.explainCode',
  showOutput: 'libvirtHostdev.showOutput',
  copyAddress: 'libvirtHostdev.copyAddress',
  restartServer: 'libvirtHostdev.restartServer',
  getStatus: 'libvirtHostdev.getStatus',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/**
 * Commands the SERVER runs (workspace/executeCommand, listed in executeCommandProvider), so CodeLenses
 * work in editors without our client (Neovim, Helix, Zed, Emacs). The VS Code client declares
 * `clientCommands` and gets lenses with the Commands above (its own, richer UI) instead.
 */
export const ServerCommands = {
  /** argument DeviceCommandArgs (+ optional `live: true`); without `guest` the server asks (window/showMessageRequest) */
  attachDevice: 'libvirtHostdev.server.attachDevice',
  /** argument DeviceCommandArgs with `guest` */
  detachDevice: 'libvirtHostdev.server.detachDevice',
  /** argument { uri? }: read the host again */
  refreshInventory: 'libvirtHostdev.server.refreshInventory',
  /** argument { uri, position: {line, character}, pf?, network? }: insert an interface for a free VF (or on the pool `network`) there */
  insertInterface: 'libvirtHostdev.server.insertInterface',
  /** argument NetworkCommandArgs: virsh net-define / net-start / net-autostart for a network XML document */
  network: 'libvirtHostdev.server.network',
  /** argument GuestCommandArgs: virsh define of a <domain> document (its guest's persistent definition replaced) */
  defineGuest: 'libvirtHostdev.server.defineGuest',
  /** argument { uri? }: read the host again, then its readiness report (the guide's steps 1-8) as the message */
  readiness: 'libvirtHostdev.server.readiness',
  /** argument { code, uri? }: the code explained (the "Show documentation" code action), as the message */
  explainCode: 'libvirtHostdev.server.explainCode',
} as const;

/** The argument of the network CodeLens commands (a <network> document). */
export interface NetworkCommandArgs {
  /** document URI as the client sent it */
  uri: string;
  operation: 'define' | 'start' | 'autostart';
}

/** The argument of the define CodeLens command (a <domain> document). */
export interface GuestCommandArgs {
  /** document URI as the client sent it */
  uri: string;
}

/** The argument of the attach/detach CodeLens commands. Spans are UTF-16 offsets like the service's Span. */
export interface DeviceCommandArgs {
  /** document URI as the client sent it */
  uri: string;
  /** the device element's span (LensResult.deviceSpan) */
  deviceSpan: { start: number; end: number };
  /** LensResult.guest, for 'attach'/'detach' on the document's own guest */
  guest?: string;
}
