// libvirtReason: libvirt's words out of virsh's output, for attach (client) and define (server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { libvirtReason } from '../../../shared/virshOutput';

test("libvirtReason: libvirt's reason first, without virsh's 'Failed to attach device from /tmp/…' line", () => {
  assert.equal(
    libvirtReason(
      'error: Failed to attach device from /tmp/tmp.Zx81\nerror: Requested operation is not valid: PCI device 0000:0b:10.0 is in use by driver QEMU, domain web01\n',
    ),
    'Requested operation is not valid: PCI device 0000:0b:10.0 is in use by driver QEMU, domain web01',
  );
  assert.equal(
    libvirtReason('error: Failed to detach device from /tmp/tmp.1\nerror: operation failed: no matching device found\n'),
    'operation failed: no matching device found',
  );
  assert.equal(libvirtReason("error: failed to get domain 'x'\n"), "failed to get domain 'x'");
  assert.equal(libvirtReason('error: Failed to attach device from /tmp/tmp.1\n'), 'error: Failed to attach device from /tmp/tmp.1');
  assert.equal(libvirtReason(''), '');
});

test("libvirtReason: virsh define's 'Failed to define domain from /dev/stdin' line goes too", () => {
  assert.equal(
    libvirtReason(
      "error: Failed to define domain from /dev/stdin\nerror: operation failed: domain 'test' already exists with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f\n",
    ),
    "operation failed: domain 'test' already exists with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f",
  );
});
