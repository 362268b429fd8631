// udev rules that set a PF's sriov_numvfs: whether udev applies one to the PF, and the count it writes.
import type { SysfsDevice } from './parseSysfs';
import { globMatches, identities, moduleName } from './pfIdentity';

/**
 * Whether udev applies the rule to `pf`: every key it matches a device on (name, driver, MAC, vendor and
 * device ids; `==` and `!=`) must fit, as udev requires all of a rule's match keys. Keys not read here
 * (ACTION, SUBSYSTEM, ATTRS{sriov_totalvfs}, …) are taken to fit: a rule that names no device applies to
 * every PF whose sriov_numvfs it sets.
 */
export function udevMatches(pf: SysfsDevice, content: string): boolean {
  const { names, driver } = identities(pf);
  for (const m of content.matchAll(/([A-Za-z_]+(?:\{[^}]*\})?)\s*(==|!=)\s*"([^"]*)"/g)) {
    const fits = udevKeyFits(pf, names, driver, m[1], m[3]);
    if (fits !== null && fits !== (m[2] === '==')) return false;
  }
  return true;
}

/** Whether the device `pf` has what the match key `key` == `value` asks for; null for a key not read here. */
function udevKeyFits(pf: SysfsDevice, names: string[], driver: string | null, key: string, value: string): boolean | null {
  if (/^(KERNEL|KERNELS|NAME)$/.test(key)) return names.some((n) => globMatches(value, n));
  if (/^(DRIVER|DRIVERS|ENV\{ID_NET_DRIVER\})$/.test(key)) return driver !== null && globMatches(moduleName(value), driver);
  if (key === 'ATTR{address}') return pf.mac !== null && globMatches(value.toLowerCase(), pf.mac);
  if (key === 'ATTRS{vendor}' || key === 'ATTR{vendor}') return value.toLowerCase() === pf.vendor;
  if (key === 'ATTRS{device}' || key === 'ATTR{device}') return value.toLowerCase() === pf.product;
  return null;
}

/**
 * Whether a udev rule line that names sriov_numvfs sets it: one that only tests it sets nothing; one that
 * tests it before setting it (a guard against a second event) sets it, as one that writes it from a RUN+=
 * command does.
 */
export function udevSetsNumVfs(content: string): boolean {
  return !/sriov_numvfs}\s*==/.test(content) || udevNumVfs(content) !== null;
}

/** What a udev rule assigns to sriov_numvfs (`ATTR{device/sriov_numvfs}="7"`, `:=`); null when it does not assign it. */
export function udevNumVfs(content: string): number | null {
  const m = /sriov_numvfs\}\s*:?=\s*"\s*(\d+)\s*"/.exec(content);
  return m ? parseInt(m[1], 10) : null;
}

/**
 * The rule runs on a PCI device's add event and not on its bind event (`ACTION=="add", SUBSYSTEM=="pci"`):
 * at add the device has no driver yet, and the kernel refuses sriov_numvfs without one ("no driver bound
 * to device; cannot configure SR-IOV"). A rule on the bind event (Linux 4.14+), or on the PF's net
 * device, runs once the driver is there.
 */
export function udevBeforeDriver(content: string): boolean {
  let pci = false;
  let add = true;
  let bind = true;
  for (const m of content.matchAll(/\b(SUBSYSTEM|ACTION)\s*(==|!=)\s*"([^"]*)"/g)) {
    const equal = m[2] === '==';
    if (m[1] === 'SUBSYSTEM') pci ||= equal && globMatches(m[3], 'pci');
    else {
      add &&= globMatches(m[3], 'add') === equal;
      bind &&= globMatches(m[3], 'bind') === equal;
    }
  }
  return pci && add && !bind;
}
