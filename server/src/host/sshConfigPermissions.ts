// Whether ssh(1) refuses a config file because someone else could have written it ("Bad owner or
// permissions on FILE"). Seen with Debian 12's OpenSSH 9.2 (`ssh -G` as a normal user): it checks
// ~/.ssh/config and every file an Include reads (from any config, also `-F FILE`'s and
// /etc/ssh/ssh_config's), not a `-F` file and not /etc/ssh/ssh_config itself. A checked file must be
// owned by root or the user and not writable by others; Debian also lets it be group-writable when
// that group has the user alone in it (a private group: 664 with `useradd`'s defaults is accepted),
// else not.
import * as fs from 'node:fs';

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export interface Group {
  name: string;
  gid: number;
  /** the members /etc/group lists (not the accounts whose primary group it is) */
  members: string[];
}

export interface Accounts {
  users: Account[];
  groups: Group[];
}

/**
 * Why ssh would refuse a file with this owner and mode when run by `uid`, in words for the user; null
 * when it reads it.
 */
export function configFileRefusal(stat: Pick<fs.Stats, 'uid' | 'gid' | 'mode'>, uid: number, accounts: () => Accounts): string | null {
  if (stat.uid !== 0 && stat.uid !== uid) {
    const owner = accounts().users.find((u) => u.uid === stat.uid)?.name ?? `uid ${stat.uid}`;
    return `owned by ${owner}, neither you nor root`;
  }
  if ((stat.mode & 0o002) !== 0) return 'writable by others';
  if ((stat.mode & 0o020) === 0) return null;
  const { users, groups } = accounts();
  const group = groups.find((g) => g.gid === stat.gid);
  const name = group?.name ?? `gid ${stat.gid}`;
  const refused = `writable by group ${name}, which is not yours alone`;
  if (!group) return refused;
  // the accounts whose primary group it is must all be the user; listed members at most the file's owner
  const primary = users.filter((u) => u.gid === stat.gid);
  if (primary.some((u) => u.uid !== uid)) return refused;
  const ownerName = users.find((u) => u.uid === stat.uid)?.name;
  if (group.members.length > 1 || (group.members.length === 1 && group.members[0] !== ownerName)) return refused;
  return primary.length + group.members.length === 0 ? refused : null;
}

/** The accounts and groups of /etc/passwd and /etc/group (what a private group is decided from). */
export function localAccounts(etc = '/etc'): Accounts {
  const lines = (file: string): string[][] => {
    try {
      return fs
        .readFileSync(`${etc}/${file}`, 'utf8')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.split(':'));
    } catch {
      return [];
    }
  };
  return {
    users: lines('passwd').map(([name, , uid, gid]) => ({ name: name ?? '', uid: Number(uid), gid: Number(gid) })),
    groups: lines('group').map(([name, , gid, members]) => ({
      name: name ?? '',
      gid: Number(gid),
      members: (members ?? '').split(',').filter((m) => m !== ''),
    })),
  };
}

/** The user the check is made for; undefined where there are no POSIX owners (Windows): nothing is checked. */
export function currentUid(): number | undefined {
  return process.getuid?.();
}
