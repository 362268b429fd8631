// libvirt's reason in virsh's output, for the client's attach messages and the server's define ones.

/**
 * libvirt's reason from virsh's output: virsh prints "error: Failed to attach device from /tmp/…" (or
 * "Failed to define domain from /dev/stdin") before the reason, which says nothing the user can act on.
 * Keeps the other error lines, without their "error: " prefix; falls back to the whole output.
 */
export function libvirtReason(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const reasons = lines
    .filter((l) => !/^error: Failed to (attach|detach|define) (device|domain|network)( from \S+)?\s*$/i.test(l))
    .map((l) => l.replace(/^error:\s*/i, ''));
  return (reasons.length > 0 ? reasons : lines).join(' ');
}
