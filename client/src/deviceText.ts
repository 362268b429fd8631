// Small text helpers of the client. The real XML understanding lives in the server (deviceAt,
// diagnostics); these are the fallbacks the client needs when it has only text: find the device
// element around the cursor, the domain's own name, a fresh MAC, and the interface XML to insert.
// No vscode import, so they stay testable in plain node.

export interface TextSpan {
  start: number;
  end: number;
}

const OPEN = /<(interface|hostdev)\b[^>]*?(\/?)>/g;

/** Is this opening tag a device attach can send: `<interface type='hostdev'>` or any `<hostdev>`? */
function isDevice(tag: string, name: string): boolean {
  return name === 'hostdev' || /\btype\s*=\s*(['"])hostdev\1/.test(tag);
}

/** Every device element (hostdev interface or <hostdev>) with its span, in document order. */
export function deviceSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const m of text.matchAll(OPEN)) {
    const [tag, name, selfClosing] = m;
    if (!isDevice(tag, name) || m.index === undefined) continue;
    if (selfClosing) {
      spans.push({ start: m.index, end: m.index + tag.length });
      continue;
    }
    const close = text.indexOf(`</${name}>`, m.index + tag.length);
    if (close >= 0) spans.push({ start: m.index, end: close + name.length + 3 });
  }
  return spans;
}

/** The device containing `offset`, else the only device of the document; null when ambiguous or none. */
export function findDevice(text: string, offset: number | null): TextSpan | null {
  const spans = deviceSpans(text);
  if (offset !== null) {
    const around = spans.filter((s) => s.start <= offset && offset <= s.end);
    // innermost: a <hostdev> never nests, but be safe against odd documents
    if (around.length > 0) return around.reduce((a, b) => (b.start >= a.start ? b : a));
  }
  return spans.length === 1 ? spans[0] : null;
}

/** `<domain>…<name>X</name>`: the guest this document defines, if it is a domain XML. */
export function domainName(text: string): string | null {
  const m = /<domain\b[^>]*>[\s\S]*?<name>\s*([^<]+?)\s*<\/name>/.exec(text);
  return m ? m[1] : null;
}

export const MAC_PATTERN = /\b([0-9a-f]{2}(?::[0-9a-f]{2}){5})\b/gi;

/** A 52:54:00:xx:xx:xx MAC (QEMU's prefix, unicast, as libvirt generates) not in `used`. */
export function freshMac(used: Iterable<string>, random: () => number = Math.random): string {
  const taken = new Set([...used].map((m) => m.toLowerCase()));
  for (let i = 0; i < 10000; i++) {
    const bytes = [0, 1, 2].map(() => Math.floor(random() * 256).toString(16).padStart(2, '0'));
    const mac = `52:54:00:${bytes.join(':')}`;
    if (!taken.has(mac)) return mac;
  }
  throw new Error('no free MAC found in 52:54:00:xx:xx:xx');
}

/** DDDD:BB:SS.F → the libvirt <address> attributes. */
export function pciAddressXml(address: string): string {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(address);
  if (!m) throw new Error(`not a PCI address: ${address}`);
  return `<address type='pci' domain='0x${m[1]}' bus='0x${m[2]}' slot='0x${m[3]}' function='0x${m[4]}'/>`;
}

/** A full hostdev interface for one VF, indented with `indent` (the cursor line's indentation). */
export function interfaceXml(address: string, mac: string, indent = '', unit = '  '): string {
  return [
    `<interface type='hostdev' managed='yes'>`,
    `${unit}<mac address='${mac}'/>`,
    `${unit}<source>`,
    `${unit}${unit}${pciAddressXml(address)}`,
    `${unit}</source>`,
    `</interface>`,
  ].join(`\n${indent}`);
}
