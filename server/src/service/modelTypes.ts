// What the rules and editor features see of a document: the libvirt devices that carry a host
// PCI address, found anywhere in a whole <domain>, a bare device snippet, or several devices.
import type { Span } from './types';
import type { XmlDocument, XmlElement } from './xml/types';

export type DeviceKind = 'interface' | 'hostdev';

export interface DeviceModel {
  /** 'interface' = <interface type='hostdev'>, 'hostdev' = <hostdev mode='subsystem' type='pci'> (mode may be omitted) */
  kind: DeviceKind;
  element: XmlElement;
  /** <source> child, if present */
  source: XmlElement | null;
  /** the host address: <source><address>, if present */
  hostAddress: XmlElement | null;
  /** the guest-side address: an <address> that is a direct child of the device element */
  guestAddress: XmlElement | null;
  /** first direct child of each name, if present */
  mac: XmlElement | null;
  vlan: XmlElement | null;
  virtualport: XmlElement | null;
  driver: XmlElement | null;
}

export interface DocumentModel {
  /** the text this model was built from */
  text: string;
  xml: XmlDocument;
  /** text of /domain/name when the document is a <domain> */
  guestName: { value: string; span: Span } | null;
  /** the <domain> root, if the document is one */
  domain: XmlElement | null;
  /** the <network> root, if the document is a network definition (virsh net-define) */
  network: XmlElement | null;
  devices: DeviceModel[];
}
