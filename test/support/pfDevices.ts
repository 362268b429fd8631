// PFs as the sysfs reader gives them (SysfsDevice), for unit tests of what reads a host's boot files.
import type { SysfsDevice } from '../../server/src/inventory/parseSysfs';

/** An Intel X710's port 0 (i40e, 0000:3b:00.0, Ethernet, 4 of its 64 VFs enabled) whose interface is `netdev`. */
export function x710Port0(netdev: string): SysfsDevice {
  return {
    address: '0000:3b:00.0',
    kind: 'pf',
    vendor: '0x8086',
    product: '0x1572',
    driver: 'i40e',
    iommuGroup: 2,
    numaNode: 0,
    netdev,
    mac: '3c:fd:fe:00:3b:00',
    netdevs: [netdev],
    pciClass: '0x020000',
    totalVfs: 64,
    numVfs: 4,
  };
}
