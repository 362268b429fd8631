// `lspci -D -mm` → product names from pci.ids. One line per function:
//   0000:0b:10.0 "Ethernet controller" "Intel Corporation" "82576 Virtual Function" -r01 "Intel Corporation" "Device 0000"
// (slot, class, vendor, device, then options and the subsystem). Absent lspci is fine: no names.
import { formatPciAddress, parseCanonicalAddress } from '../service/pci';

export function parseLspciMachine(text: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const a = parseCanonicalAddress(m[1]);
    if (!a) continue;
    const quoted = [...m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((q) => q[1]);
    const product = quoted[2];
    if (product) names.set(formatPciAddress(a), product);
  }
  return names;
}
