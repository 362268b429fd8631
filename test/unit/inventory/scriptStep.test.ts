// Where the inventory script was when its output stopped, from the last record it printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptStepAt } from '../../../server/src/inventory/script';

const B = 'LHDtesttoken';
const output = (...records: string[]) => records.map((r) => (r.startsWith(' ') ? r.slice(1) : `${B} ${r}`)).join('\n') + '\n';

test('the last record names the step: nothing yet, a sysfs block, the configuration files, ip, virsh listing and dumping', () => {
  assert.equal(scriptStepAt('', B), 'before the inventory script printed anything');
  assert.equal(scriptStepAt('Welcome to kvm1\n', B), 'before the inventory script printed anything');
  assert.equal(scriptStepAt(output('begin-inventory'), B), 'while reading the PCI devices in sysfs');
  assert.equal(
    scriptStepAt(output('begin-inventory', 'begin attrs', ' 0000:0b:00.0/class:0x020000', 'begin links'), B),
    'while reading the IOMMU group and VF links in sysfs',
  );
  assert.equal(
    scriptStepAt(
      output(
        'begin-readiness',
        'begin cmdline',
        ' ro quiet',
        'begin vfio-module',
        'begin persist',
        ' etc/modprobe.d/igb.conf:options igb max_vfs=7',
      ),
      B,
    ),
    'while reading the configuration files that create VFs at boot (modprobe.d, udev, systemd, NetworkManager, netplan, ifupdown, systemd-networkd .link files)',
  );
  assert.equal(scriptStepAt(output('begin iplink', ' [', 'rc iplink 0'), B), 'while running ip -j link show');
  assert.equal(
    scriptStepAt(output('begin iplink', 'rc iplink 0', 'step virsh-list'), B),
    'while listing the guests and networks (virsh list, net-list)',
  );
  const dumping = "while reading the guests' and networks' XML (virsh dumpxml, net-dumpxml)";
  assert.equal(
    scriptStepAt(output('step virsh-list', 'begin virsh1', 'list-active', ' 4dea22b3-1d52-d8f3-2516-782e98ab3fa0', 'rc virsh1 0'), B),
    dumping,
  );
  assert.equal(
    scriptStepAt(
      output(
        'step virsh-list',
        'begin virsh1',
        'rc virsh1 0',
        'state 4dea22b3-1d52-d8f3-2516-782e98ab3fa0',
        ' running',
        'rc virsh2 0',
        'begin virsh2-stderr',
      ),
      B,
    ),
    dumping,
  );
});

test("a data line that looks like a record without the run's token does not move the step", () => {
  assert.equal(
    scriptStepAt(output('begin attrs', ' LHDother begin persist', ' begin persist'), B),
    "while reading the PCI devices' attributes in sysfs",
  );
});
