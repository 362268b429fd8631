// Domains that declare internal DTD entities: the shapes of entity loops and amplification.

/** e0 is ten characters, each next level ten references to the one below: level n expands to 10^(n+1) characters */
export function amplification(level: number, references: number): string {
  const entities = ['<!ENTITY e0 "xxxxxxxxxx">'];
  for (let i = 1; i <= 4; i++) entities.push(`<!ENTITY e${i} "${`&e${i - 1};`.repeat(10)}">`);
  const devices = Array.from({ length: references }, () => `    <x a='&e${level};'/>`).join('\n');
  return `<?xml version='1.0'?>\n<!DOCTYPE domain [\n${entities.join('\n')}\n]>\n<domain type='test'>\n  <name>entities</name>\n  <memory>1048576</memory>\n  <os><type>hvm</type></os>\n  <devices>\n${devices}\n  </devices>\n</domain>\n`;
}

/** a test-driver domain with the internal subset `dtd` and `devices` inside <devices> */
export function domainWith(dtd: string, devices: string): string {
  return `<!DOCTYPE domain [${dtd}]>\n<domain type='test'>\n  <name>entities</name>\n  <memory>1048576</memory>\n  <os><type>hvm</type></os>\n  <devices>\n${devices}\n  </devices>\n</domain>\n`;
}
