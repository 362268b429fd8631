// A command the OpenSSH transport sends stops on the host when we stop waiting for it: ssh(1) has no
// way to signal a remote command, and sshd without a TTY only closes the command's pipes when the
// connection goes, so a command blocked in a read (virsh waiting on libvirtd) would otherwise run on
// the host to its end. Each command is therefore handed to the host's own `timeout`. The built-in
// client asks sshd to signal the command instead (sshExec.ts: TERM, then KILL), at once and in the
// process group sshd made for it, which a `timeout` in between would leave for a group of its own.
import { shellQuote } from '../../../shared/shellQuote';

/** how long after our timeout the host's own stops the command: we report first, the host cleans up after */
const HOST_TIMEOUT_GRACE_SECONDS = 2;
/** how long the host's `timeout` waits after its SIGTERM before it sends SIGKILL */
const HOST_KILL_AFTER_SECONDS = 3;

/**
 * `command` as the host runs it under GNU coreutils' `timeout`, which signals the command's whole
 * process group a little after our own timeout has passed. The command runs in `sh -c` either way
 * (what every command of ours is written for); a host without GNU `timeout` (BusyBox, the BSDs: no
 * `--version`) runs it without one.
 */
export function underHostTimeout(command: string, timeoutMs: number): string {
  const seconds = Math.ceil(timeoutMs / 1000) + HOST_TIMEOUT_GRACE_SECONDS;
  const wrapper =
    `if timeout --version >/dev/null 2>&1; then exec timeout -k ${HOST_KILL_AFTER_SECONDS} ${seconds} sh -c "$1"; fi; ` + 'exec sh -c "$1"';
  return `sh -c ${shellQuote(wrapper)} sh ${shellQuote(command)}`;
}
