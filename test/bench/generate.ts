// Generated inputs for the benchmark: a 1,024-VF inventory and domain XMLs of a given size.
import { formatPciAddress } from '../../server/src/service/pci';
import { INVENTORY_FORMAT, type Inventory, type InventoryDevice } from '../../server/src/service/types';

/** 8 PFs (X710-like, i40e/iavf) with 128 VFs each = 1,024 VFs, plus 100 guests holding some of them. */
export function generateInventory(vfCount = 1024, guestCount = 100): Inventory {
  const devices: InventoryDevice[] = [];
  const pfCount = 8;
  const perPf = Math.ceil(vfCount / pfCount);
  const vfAddresses: string[] = [];
  for (let p = 0; p < pfCount; p++) {
    const bus = 0x3b + p;
    const pf = formatPciAddress({ domain: 0, bus, slot: 0, function: 0 });
    devices.push({
      address: pf,
      kind: 'pf',
      vendor: '0x8086',
      product: '0x1572',
      driver: 'i40e',
      iommuGroup: 10 + p,
      numaNode: 0,
      netdev: `ens${p}f0`,
      mac: null,
      totalVfs: perPf,
      numVfs: perPf,
    });
    for (let i = 0; i < perPf && vfAddresses.length < vfCount; i++) {
      const address = formatPciAddress({ domain: 0, bus, slot: 2 + (i >> 3), function: i & 7 });
      vfAddresses.push(address);
      devices.push({
        address,
        kind: 'vf',
        vendor: '0x8086',
        product: '0x154c',
        driver: 'iavf',
        iommuGroup: 100 + vfAddresses.length,
        numaNode: 0,
        netdev: null,
        mac: null,
        pf,
        vfIndex: i,
        vf: { mac: '00:00:00:00:00:00', spoofchk: true, trust: false },
      });
    }
  }
  const guests = Array.from({ length: guestCount }, (_, g) => ({
    name: `guest-${g}`,
    state: g % 2 ? 'running' : 'shut off',
    persistent: true,
    devices: [
      {
        address: vfAddresses[vfAddresses.length - 1 - g],
        element: 'interface' as const,
        config: true,
        live: g % 2 === 1,
        mac: `52:54:00:aa:00:${(g & 0xff).toString(16).padStart(2, '0')}`,
      },
    ],
  }));
  return { format: INVENTORY_FORMAT, host: 'bench', takenAt: new Date(0).toISOString(), devices, guests, networks: [] };
}

function interfaceXml(index: number, inventory: Inventory): string {
  const vfs = inventory.devices.filter((d) => d.kind === 'vf');
  const [dom, bus, slotFn] = vfs[index % vfs.length].address.split(':');
  const [slot, fn] = slotFn.split('.');
  const mac = `52:54:00:${((index >> 16) & 0xff).toString(16).padStart(2, '0')}:${((index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(index & 0xff).toString(16).padStart(2, '0')}`;
  return [
    `    <interface type='hostdev' managed='yes'>`,
    `      <mac address='${mac}'/>`,
    `      <source>`,
    `        <address type='pci' domain='0x${dom}' bus='0x${bus}' slot='0x${slot}' function='0x${fn}'/>`,
    `      </source>`,
    `      <vlan>`,
    `        <tag id='${100 + (index % 3000)}'/>`,
    `      </vlan>`,
    `      <!-- VF ${index} -->`,
    `      <alias name='ua-sriov-${index}'/>`,
    `      <address type='pci' domain='0x0000' bus='0x${(1 + (index >> 5)).toString(16).padStart(2, '0')}' slot='0x${(index & 31).toString(16).padStart(2, '0')}' function='0x0'/>`,
    `      <rom bar='on'/>`,
    `      <boot order='${index + 2}'/>`,
    `      <driver name='vfio'/>`,
    `    </interface>`,
  ].join('\n');
}

/** A domain with `interfaces` hostdev interfaces (15 lines each) and `fillerLines` of other devices. */
export function generateDomain(interfaces: number, fillerLines: number, inventory: Inventory): string {
  const head = [
    `<domain type='kvm'>`,
    `  <name>bench-guest</name>`,
    `  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>`,
    `  <memory unit='GiB'>16</memory>`,
    `  <vcpu placement='static'>8</vcpu>`,
    `  <os><type arch='x86_64' machine='q35'>hvm</type></os>`,
    `  <features><acpi/><apic/></features>`,
    `  <devices>`,
    `    <emulator>/usr/bin/qemu-system-x86_64</emulator>`,
  ];
  const filler: string[] = [];
  for (let i = 0; filler.length < fillerLines; i++) {
    filler.push(
      `    <disk type='file' device='disk'>`,
      `      <driver name='qemu' type='qcow2'/>`,
      `      <source file='/var/lib/libvirt/images/disk${i}.qcow2'/>`,
      `      <target dev='vd${String.fromCharCode(97 + (i % 26))}' bus='virtio'/>`,
      `    </disk>`,
    );
  }
  const body = Array.from({ length: interfaces }, (_, i) => interfaceXml(i, inventory));
  return [...head, ...filler, ...body, `  </devices>`, `</domain>`, ''].join('\n');
}
