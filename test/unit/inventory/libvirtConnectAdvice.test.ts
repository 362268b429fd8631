// The fix named after virsh's connect failure, for libvirt's messages as virsh 9.0 prints them
// (the daemon's socket missing or refusing, a user outside the libvirt group, polkit, a URI without a driver).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { libvirtConnectAdvice } from '../../../server/src/inventory/libvirtConnectAdvice';

const CONNECT = 'error: failed to connect to the hypervisor';

test('no daemon (its socket missing, or left behind and refusing): start it, or set the URI in use', () => {
  for (const why of ['No such file or directory', 'Connection refused']) {
    const advice = libvirtConnectAdvice(
      `${CONNECT}; error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': ${why}`,
      'qemu:///system',
      'kvm1',
    );
    assert.equal(
      advice,
      'No libvirt daemon is running for qemu:///system on kvm1: start it (systemctl enable --now libvirtd, or virtqemud.socket ' +
        'where libvirt runs as modular daemons), or set the URI of the libvirt you use (--connect, or the host\'s "connect")',
    );
  }
});

test("a session URI's socket missing: the user's session libvirt did not start, not the system daemon", () => {
  const failure = `${CONNECT}; error: Failed to connect socket to '/run/user/1001/libvirt/virtqemud-sock': No such file or directory`;
  for (const uri of ['qemu:///session', 'qemu+unix:///session?socket=/tmp/x'])
    assert.match(
      libvirtConnectAdvice(failure, uri, 'vmtest@kvm1') ?? '',
      /^The session libvirt of the user it logs in as did not start: .*XDG_RUNTIME_DIR.*, or connect to qemu:\/\/\/system$/,
    );
  assert.match(libvirtConnectAdvice(failure, 'qemu:///system', 'kvm1') ?? '', /^No libvirt daemon is running/);
});

test('a user who may not use the socket, or whom polkit refuses: the libvirt group, or root', () => {
  const failures = [
    `${CONNECT}; error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied`,
    `${CONNECT}; error: authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'`,
  ];
  for (const failure of failures) {
    assert.match(
      libvirtConnectAdvice(failure, 'qemu:///system', 'admin@kvm1') ?? '',
      /^The user it logs in as may not manage qemu:\/\/\/system: add that user to the libvirt group \(usermod -aG libvirt USER/,
    );
    assert.match(libvirtConnectAdvice(failure, 'qemu:///system', 'local') ?? '', /^The user this runs as may not manage/);
  }
});

test('a URI the host has no driver for: install the QEMU driver, or correct the URI', () => {
  assert.match(
    libvirtConnectAdvice(`${CONNECT}; error: no connection driver available for qemu:///system`, 'qemu:///system', 'kvm1') ?? '',
    /^libvirt on kvm1 has no driver for qemu:\/\/\/system: install its QEMU driver/,
  );
});

test("any other failure gets no advice: libvirt's words stand alone", () => {
  assert.equal(
    libvirtConnectAdvice(
      `${CONNECT}; error: unsupported configuration: Unexpected QEMU URI path '/sytem', try qemu:///system`,
      'qemu:///sytem',
      'kvm1',
    ),
    null,
  );
});
