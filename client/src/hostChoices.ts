// The rows of Select Host, without the vscode API (unit-tested in plain node): the configured hosts
// (the active one checked; edit and remove only for the user's own), `local` as a way back from a
// remote host, then "Use inventory file…" and "Add host…".
import type { HostConfig } from '../../shared/settings';
import { inertIcons } from './inertIcons';

export type HostChoice = { label: string; description?: string; detail?: string } & (
  { host: HostConfig; editable: boolean } | { action: 'file' | 'add' }
);

export function hostChoices(
  hosts: readonly HostConfig[],
  active: string | null | undefined,
  userHostNames: ReadonlySet<string>,
  virshHere: boolean,
): HostChoice[] {
  const check = (name: string) => (name === active ? '$(check) ' : '');
  const choices: HostChoice[] = hosts.map((h) => ({
    host: h,
    // workspace hosts live in the workspace's settings.json: edited there, not here
    editable: userHostNames.has(h.name),
    label: `${check(h.name)}${inertIcons(h.name)}`,
    description: inertIcons(h.target),
    detail: `${h.connect ?? 'qemu:///system'}${h.identityFile ? ` · key ${h.identityFile}` : ''}${userHostNames.has(h.name) ? '' : ' · workspace settings'}`,
  }));
  // `local` stays offered (a way back from a remote host) when virsh is here and no host is named so
  if (virshHere && !hosts.some((h) => h.name === 'local')) {
    choices.push({
      host: { name: 'local', target: 'local' },
      editable: false,
      label: `${check('local')}local`,
      description: 'virsh on this machine',
    });
  }
  choices.push(
    { action: 'file', label: '$(file) Use inventory file…', description: 'an offline snapshot' },
    { action: 'add', label: '$(add) Add host…', description: 'saved in your user settings' },
  );
  return choices;
}
