// The inventory snapshot, format "libvirt-hostdev-inventory/1" (README, "Inventory snapshots"): what
// the server reads from a host or a file and what GetInventoryRequest returns to the client.
// Addresses are canonical "DDDD:BB:SS.F", lower-case hex. Imports nothing, so every layer may use it.

export const INVENTORY_FORMAT = 'libvirt-hostdev-inventory/1';

export interface VfAdminSettings {
  mac?: string;
  vlan?: number;
  spoofchk?: boolean;
  trust?: boolean;
}

export interface InventoryDevice {
  address: string;
  kind: 'pf' | 'vf' | 'pci';
  vendor: string;
  product: string;
  name?: string;
  driver: string | null;
  iommuGroup: number | null;
  numaNode: number | null;
  netdev: string | null;
  mac: string | null;
  /** pf only */
  totalVfs?: number;
  numVfs?: number;
  /** vf only */
  pf?: string;
  vfIndex?: number;
  /** vf only: admin settings the PF reports for this VF (ip link vfinfo_list) */
  vf?: VfAdminSettings;
}

export interface InventoryGuestDevice {
  address: string;
  element: 'interface' | 'hostdev';
  /** present in the persistent (inactive) definition */
  config: boolean;
  /** present in the running definition */
  live: boolean;
  mac: string | null;
}

export interface InventoryGuest {
  name: string;
  state: string;
  persistent: boolean;
  devices: InventoryGuestDevice[];
  /** every interface MAC of the guest (any interface type), for uniqueness checks; optional */
  macs?: string[];
}

export interface InventoryNetwork {
  name: string;
  active: boolean;
  addresses: string[];
}

export interface Inventory {
  format: typeof INVENTORY_FORMAT;
  host: string;
  takenAt: string;
  devices: InventoryDevice[];
  guests: InventoryGuest[];
  networks: InventoryNetwork[];
}
