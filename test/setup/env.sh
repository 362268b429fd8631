# shellcheck shell=bash
# Test environment for the host layer, sourced by test/run.sh (and by hand:
# `source test/setup/env.sh`). On a fresh Debian 12 machine, as root, it:
#   1. installs the apt packages the tests use, when missing (openssh-server, libvirt-clients, libvirt-daemon,
#      neovim, emacs-nox with elpa-eglot, zsh and fish for the shell completion test, pre-commit for the hook's);
#   2. creates the test user `vmtest` (key login only), and `vmfish` (the same keys, fish as its login shell);
#   3. makes keys under test/.state/ssh/: host key, client key, an ENCRYPTED client key
#      (passphrase `test-passphrase`), a key that is NOT authorized, and authorized_keys;
#   4. starts our own sshd on 127.0.0.1 (first free port from 22222) with its own config and pid file,
#      reusing it when it is already running with the same config;
#   5. warms libvirt's qemu:///session for vmtest (the first connection probes QEMU for ~30 s) and
#      checks that `virsh -c qemu:///session` works through an SSH exec as vmtest;
#   6. exports the LIBVIRT_HOSTDEV_TEST_* variables the integration tests read.
# Idempotent: running it again reuses keys, user and sshd. It never exits the calling shell: on
# failure it prints one line and returns 1 (test/run.sh's `set -e` then stops the run).
# Recipe: /work/shared/docs/test-infra.md §1c and §2 (copied here; nothing reads that file).

_lhd_env_main() {
  local root state sshdir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  state="$root/test/.state"
  sshdir="$state/ssh"
  local user=vmtest passphrase=test-passphrase fishuser=vmfish

  # --- 1. packages -------------------------------------------------------------------------
  local missing=() pkg
  for pkg in openssh-server openssh-client libvirt-clients libvirt-daemon neovim emacs-nox elpa-eglot zsh fish tcsh pre-commit; do
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != 'install ok installed' ]; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "env.sh: missing packages ${missing[*]} and not root; install them with apt-get" >&2
      return 1
    fi
    echo "env.sh: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || return 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "env.sh: must run as root (creates the user $user and starts sshd)" >&2
    return 1
  fi

  # --- 2. test user ------------------------------------------------------------------------
  if ! id "$user" >/dev/null 2>&1; then
    useradd -m -s /bin/bash "$user" || return 1
  fi
  # a second user whose login shell is fish: what sshd hands a login shell must not need sh's quoting
  if ! id "$fishuser" >/dev/null 2>&1; then
    useradd -m -s /usr/bin/fish "$fishuser" || return 1
  fi
  # UsePAM no + a locked account ('!' password) → "User vmtest not allowed because account is
  # locked"; '*' means "no password" but not locked, so key login works.
  usermod -p '*' "$user" || return 1
  usermod -p '*' "$fishuser" || return 1
  local uid home runtime
  uid="$(id -u "$user")"
  home="$(getent passwd "$user" | cut -d: -f6)"
  # Non-interactive SSH sessions have no PAM/systemd-logind, so nobody creates XDG_RUNTIME_DIR;
  # libvirt's qemu:///session puts its socket there. We make the conventional directory and
  # sshd sets the variable for vmtest (SetEnv in a Match block below).
  runtime="/run/user/$uid"
  mkdir -p "$runtime" && chown "$user:" "$runtime" && chmod 0700 "$runtime" || return 1

  # --- 3. keys -----------------------------------------------------------------------------
  mkdir -p "$sshdir" && chmod 0755 "$state" "$sshdir" || return 1
  [ -f "$sshdir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C lhd-test-host -f "$sshdir/host_ed25519" || return 1
  [ -f "$sshdir/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C lhd-test-client -f "$sshdir/client_ed25519" || return 1
  [ -f "$sshdir/client_encrypted_ed25519" ] ||
    ssh-keygen -q -t ed25519 -N "$passphrase" -C lhd-test-encrypted -f "$sshdir/client_encrypted_ed25519" || return 1
  [ -f "$sshdir/unauthorized_ed25519" ] ||
    ssh-keygen -q -t ed25519 -N '' -C lhd-test-unauthorized -f "$sshdir/unauthorized_ed25519" || return 1
  cat "$sshdir/client_ed25519.pub" "$sshdir/client_encrypted_ed25519.pub" > "$sshdir/authorized_keys" || return 1
  chmod 0644 "$sshdir/authorized_keys" || return 1
  # sshd reads authorized keys AS THE USER; when the checkout lives where vmtest cannot traverse
  # (e.g. /root), the copy in vmtest's home is the one that works. Keys are added, never replaced,
  # so two checkouts on one machine do not lock each other out.
  local key who whose
  for who in "$user" "$fishuser"; do
    whose="$(getent passwd "$who" | cut -d: -f6)"
    mkdir -p "$whose/.ssh" && touch "$whose/.ssh/authorized_keys" || return 1
    while IFS= read -r key; do
      grep -qxF -- "$key" "$whose/.ssh/authorized_keys" || printf '%s\n' "$key" >> "$whose/.ssh/authorized_keys"
    done < "$sshdir/authorized_keys"
    chown -R "$who:" "$whose/.ssh" && chmod 0700 "$whose/.ssh" && chmod 0600 "$whose/.ssh/authorized_keys" || return 1
  done

  # --- 4. sshd -----------------------------------------------------------------------------
  mkdir -p -m 0755 /run/sshd   # privilege separation directory (no systemd to create it)
  local pidfile="$sshdir/sshd.pid" config="$sshdir/sshd_config" port="" pid=""
  if [ -f "$pidfile" ] && [ -f "$sshdir/port" ]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null && [[ "$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)" == *"$config"* ]]; then
      port="$(cat "$sshdir/port")"
    else
      pid=""
    fi
  fi
  if [ -n "$pid" ] && [ "$(_lhd_sshd_config "$port" "$sshdir" "$user" "$runtime")" != "$(cat "$config" 2>/dev/null)" ]; then
    # running with an older config of ours: replace it
    kill "$pid" 2>/dev/null || true
    _lhd_wait_gone "$pid"
    pid=""
    port=""
  fi
  if [ -z "$pid" ]; then
    port=22222
    while _lhd_port_open "$port"; do
      port=$((port + 1))
      if [ "$port" -gt 22299 ]; then echo "env.sh: no free port in 22222-22299" >&2; return 1; fi
    done
    _lhd_sshd_config "$port" "$sshdir" "$user" "$runtime" > "$config" || return 1
    /usr/sbin/sshd -t -f "$config" || { echo "env.sh: sshd rejects $config" >&2; return 1; }
    echo "$port" > "$sshdir/port"
    rm -f "$pidfile"
    setsid /usr/sbin/sshd -D -e -f "$config" < /dev/null > "$sshdir/sshd.log" 2>&1 &
    local tries=0
    until _lhd_port_open "$port"; do
      tries=$((tries + 1))
      if [ "$tries" -gt 100 ]; then
        echo "env.sh: sshd did not listen on 127.0.0.1:$port; see $sshdir/sshd.log" >&2
        return 1
      fi
      sleep 0.1
    done
  fi
  # A known_hosts file naming our host key, for `ssh` here and for tests that want a known host.
  printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$sshdir/host_ed25519.pub")" > "$sshdir/known_hosts"

  # --- 5. libvirt qemu:///session for vmtest ------------------------------------------------
  # `capabilities` makes the session daemon probe QEMU now (cached in ~vmtest/.cache/libvirt),
  # so the first test that defines a guest does not pay for it.
  if ! su - "$user" -c "export XDG_RUNTIME_DIR=$runtime; virsh -c qemu:///session capabilities >/dev/null && virsh -c qemu:///session list --all" > "$state/libvirt-warm.log" 2>&1; then
    echo "env.sh: virsh -c qemu:///session fails for $user; see $state/libvirt-warm.log" >&2
    return 1
  fi
  local ssh_opts=(-F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes
    -o "UserKnownHostsFile=$sshdir/known_hosts" -i "$sshdir/client_ed25519" -p "$port")
  if ! ssh "${ssh_opts[@]}" "$user@127.0.0.1" 'test -n "$XDG_RUNTIME_DIR" && virsh -c qemu:///session list --all' > "$state/ssh-check.log" 2>&1; then
    echo "env.sh: virsh over SSH as $user fails; see $state/ssh-check.log and $sshdir/sshd.log" >&2
    return 1
  fi

  # --- 6. what the tests read ----------------------------------------------------------------
  export LIBVIRT_HOSTDEV_TEST_STATE_DIR="$state"
  export LIBVIRT_HOSTDEV_TEST_SSH_HOST=127.0.0.1
  export LIBVIRT_HOSTDEV_TEST_SSH_PORT="$port"
  export LIBVIRT_HOSTDEV_TEST_SSH_USER="$user"
  export LIBVIRT_HOSTDEV_TEST_SSH_FISH_USER="$fishuser"                            # same keys, fish as its login shell
  export LIBVIRT_HOSTDEV_TEST_SSH_KEY="$sshdir/client_ed25519"                     # private key file (no passphrase)
  export LIBVIRT_HOSTDEV_TEST_SSH_KEY_ENCRYPTED="$sshdir/client_encrypted_ed25519" # private key file, encrypted
  export LIBVIRT_HOSTDEV_TEST_SSH_KEY_PASSPHRASE="$passphrase"
  export LIBVIRT_HOSTDEV_TEST_SSH_KEY_UNAUTHORIZED="$sshdir/unauthorized_ed25519" # valid key sshd does not accept
  export LIBVIRT_HOSTDEV_TEST_SSH_HOST_PUBKEY="$sshdir/host_ed25519.pub"          # sshd's host public key file
  export LIBVIRT_HOSTDEV_TEST_SSH_KNOWN_HOSTS="$sshdir/known_hosts"               # "[127.0.0.1]:PORT <host key>"
  export LIBVIRT_HOSTDEV_TEST_VMTEST_RUNTIME_DIR="$runtime"                       # vmtest's XDG_RUNTIME_DIR
  echo "env.sh: sshd on 127.0.0.1:$port (user $user), qemu:///session ready" >&2
}

# The sshd_config text for a port (printed, so a running sshd's config can be compared).
_lhd_sshd_config() {
  local port="$1" sshdir="$2" user="$3" runtime="$4"
  cat <<EOF
# written by test/setup/env.sh: loopback-only sshd for the host-layer tests
Port $port
ListenAddress 127.0.0.1
HostKey $sshdir/host_ed25519
PidFile $sshdir/sshd.pid
AuthorizedKeysFile $sshdir/authorized_keys .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
AllowUsers $user vmfish root
MaxStartups 50:30:100
Subsystem sftp internal-sftp
LogLevel VERBOSE
Match User $user
  SetEnv XDG_RUNTIME_DIR=$runtime
EOF
}

# true when something accepts TCP connections on 127.0.0.1:PORT
_lhd_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_lhd_wait_gone() {
  local tries=0
  while kill -0 "$1" 2>/dev/null && [ "$tries" -lt 100 ]; do
    tries=$((tries + 1))
    sleep 0.1
  done
}

_lhd_env_main
