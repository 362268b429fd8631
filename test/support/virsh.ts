// Real virsh as the oracle: define a domain file with libvirt's test driver and read its verdict.
import { execFile } from 'node:child_process';

export interface VirshVerdict {
  accepted: boolean;
  /** what virsh printed, stdout then stderr */
  output: string;
}

/** `virsh -c URI define FILE` (the test driver by default: nothing is written outside virsh's process). */
export function virshDefine(file: string, uri = 'test:///default'): Promise<VirshVerdict> {
  return new Promise((resolve, reject) => {
    execFile('virsh', ['-c', uri, 'define', file], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new Error(
            "virsh not found: this test needs the real virsh (Debian package 'libvirt-clients'; " +
              'test/run.sh installs it, or run: apt-get install -y libvirt-clients)',
          ),
        );
      } else {
        resolve({ accepted: !error, output: `${stdout}${stderr}`.trim() });
      }
    });
  });
}

/**
 * The XML parse error libvirt (libxml2) prints for FILE, or null when libvirt parsed the XML.
 * libvirt names the document in most of them ("(domain_definition):7: Detected an entity reference
 * loop"), but an error libxml2 finds while it parses an entity's replacement text, such as a loop met
 * in element content, comes without it ("at line 1: Detected an entity reference loop").
 */
export async function libvirtXmlError(file: string): Promise<string | null> {
  const verdict = await virshDefine(file);
  if (verdict.accepted) return null;
  return /\(domain_definition\):\d+: [^\n]*|^error: at line \d+: [^\n]*/m.exec(verdict.output)?.[0] ?? null;
}
