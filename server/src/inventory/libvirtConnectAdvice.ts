// What to do when virsh cannot connect to libvirt on a host, read from libvirt's own message: the
// first contact with a new host fails here more than anywhere (no daemon running, a user outside the
// libvirt group, a URI the host has no driver for), and libvirt's words name the cause, not the fix.

/**
 * The fix for virsh's connect failure `failure` (its error lines, joined) to `uri` on `host` (a
 * transport's description: `local`, an alias, `user@host`); null when libvirt's words say nothing known.
 */
export function libvirtConnectAdvice(failure: string, uri: string, host: string): string | null {
  const socket = /Failed to connect socket to '([^']*)': (No such file or directory|Connection refused|Permission denied)/.exec(failure);
  if (
    socket?.[2] === 'Permission denied' ||
    /authentication unavailable|access denied by policy|Authorization requires authentication/i.test(failure)
  )
    return (
      `The user ${host === 'local' ? 'this runs as' : 'it logs in as'} may not manage ${uri}: add that user to the libvirt group ` +
      `(usermod -aG libvirt USER, which applies from its next login), or connect as root`
    );
  if (socket && /^[a-z0-9+]+:\/\/[^/]*\/session\b/.test(uri))
    return (
      `The session libvirt of the user ${host === 'local' ? 'this runs as' : 'it logs in as'} did not start: libvirt starts it on ` +
      `demand (virtqemud or libvirtd --session) in the user's runtime directory, which its login makes (XDG_RUNTIME_DIR; ` +
      `loginctl enable-linger USER keeps one), or connect to qemu:///system`
    );
  if (socket)
    return (
      `No libvirt daemon is running for ${uri} on ${host}: start it (systemctl enable --now libvirtd, or virtqemud.socket ` +
      `where libvirt runs as modular daemons), or set the URI of the libvirt you use (--connect, or the host's "connect")`
    );
  if (/no connection driver available/.test(failure))
    return (
      `libvirt on ${host} has no driver for ${uri}: install its QEMU driver (Debian and Ubuntu: libvirt-daemon-system; ` +
      `Fedora and RHEL: libvirt-daemon-kvm), or correct the URI`
    );
  return null;
}
