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
  showOutput: 'libvirtHostdev.showOutput',
  copyAddress: 'libvirtHostdev.copyAddress',
  restartServer: 'libvirtHostdev.restartServer',
  getStatus: 'libvirtHostdev.getStatus',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The argument of the attach/detach CodeLens commands. Spans are UTF-16 offsets like the service's Span. */
export interface DeviceCommandArgs {
  /** document URI as the client sent it */
  uri: string;
  /** the device element's span (LensResult.deviceSpan) */
  deviceSpan: { start: number; end: number };
  /** LensResult.guest, for 'attach'/'detach' on the document's own guest */
  guest?: string;
}
