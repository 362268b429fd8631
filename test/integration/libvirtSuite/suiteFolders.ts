// Which of libvirt's test folders hold domain XML, and which test driver says what of each file.
// The folder list is libvirt's own: virschematest.c validates these folders against domain.rng
// (schemaDomain[]), plus the device XMLs qemuhotplugtest.c attaches (testDevice[]). Each folder
// here names the C file that reads it and how its files are classified:
//  - 'named': the driver's DO_TEST-family calls name the files (PREFIX + name + '.xml'); a failure
//    macro marks a refusal, anything else an acceptance; a file no call names is unclassified;
//  - 'output': libvirt's own formatting of a domain it accepted (xml2xml / native2xml results);
//  - 'whole': every file is read as a valid domain (or device) by the driver; its failing cases are
//    about the action tested (a live update, a CPU hotplug), never about parsing the XML;
//  - 'schema': only virschematest.c reads it, and it expects every file to be valid.
// qemuxml2argvdata and genericxml2xmlindata have their own readers in classify.ts (several drivers,
// capability sets, expected-message files).

export type FolderKind = 'named' | 'output' | 'whole' | 'schema' | 'qemu' | 'generic';

export interface SuiteFolder {
  dir: string;
  /** the test driver(s) that read the folder */
  drivers: string[];
  kind: FolderKind;
  /** for 'named': the file name is PREFIX + the name the DO_TEST call gives + '.xml' */
  prefix?: string;
  /** for 'named': macros that expect a refusal, with the stage libvirt refuses at */
  failures?: Record<string, 'parse' | 'command-line'>;
}

export const SUITE_FOLDERS: SuiteFolder[] = [
  { dir: 'qemuxml2argvdata', drivers: ['qemuxml2argvtest.c', 'qemuxml2xmltest.c'], kind: 'qemu' },
  { dir: 'qemuxml2xmloutdata', drivers: ['qemuxml2xmltest.c'], kind: 'output' },
  { dir: 'genericxml2xmlindata', drivers: ['genericxml2xmltest.c'], kind: 'generic' },
  { dir: 'genericxml2xmloutdata', drivers: ['genericxml2xmltest.c'], kind: 'output' },
  { dir: 'domainschemadata', drivers: ['virschematest.c'], kind: 'schema' },
  {
    dir: 'bhyvexml2argvdata',
    drivers: ['bhyvexml2argvtest.c', 'bhyvexml2xmltest.c'],
    kind: 'named',
    prefix: 'bhyvexml2argv-',
    // FAILURE: the bhyve command line cannot be built; PREPARE_ERROR: the firmware cannot be set up
    failures: { DO_TEST_FAILURE: 'command-line', DO_TEST_PREPARE_ERROR: 'command-line', DO_TEST_PARSE_ERROR: 'parse' },
  },
  { dir: 'bhyvexml2xmloutdata', drivers: ['bhyvexml2xmltest.c'], kind: 'output' },
  { dir: 'bhyveargv2xmldata', drivers: ['bhyveargv2xmltest.c'], kind: 'output' },
  { dir: 'lxcxml2xmldata', drivers: ['lxcxml2xmltest.c'], kind: 'named', prefix: 'lxc-' },
  { dir: 'lxcxml2xmloutdata', drivers: ['lxcxml2xmltest.c'], kind: 'output' },
  { dir: 'lxcconf2xmldata', drivers: ['lxcconf2xmltest.c'], kind: 'output' },
  { dir: 'libxlxml2domconfigdata', drivers: ['libxlxml2domconfigtest.c'], kind: 'named', prefix: '' },
  { dir: 'xlconfigdata', drivers: ['xlconfigtest.c'], kind: 'named', prefix: 'test-' },
  { dir: 'xmconfigdata', drivers: ['xmconfigtest.c'], kind: 'named', prefix: 'test-' },
  { dir: 'vmx2xmldata', drivers: ['vmx2xmltest.c'], kind: 'output' },
  { dir: 'xml2vmxdata', drivers: ['xml2vmxtest.c'], kind: 'named', prefix: 'xml2vmx-' },
  { dir: 'qemuhotplugtestdomains', drivers: ['qemuhotplugtest.c'], kind: 'whole' },
  { dir: 'qemuhotplugtestcpus', drivers: ['qemuhotplugtest.c'], kind: 'whole' },
  { dir: 'qemuhotplugtestdevices', drivers: ['qemuhotplugtest.c'], kind: 'whole' },
  { dir: 'qemumemlockdata', drivers: ['qemumemlocktest.c'], kind: 'named', prefix: 'qemumemlock-' },
  { dir: 'securityselinuxlabeldata', drivers: ['securityselinuxlabeltest.c'], kind: 'named', prefix: '' },
  { dir: 'domainconfdata', drivers: ['domainconftest.c'], kind: 'whole' },
  { dir: 'qemuagentdata', drivers: ['qemuagenttest.c'], kind: 'whole' },
];

/** The tests/ folders virschematest.c validates as domain XML (schemaDomain[]) and device XML (testDevice[]). */
export function schemaFolders(virschematest: string): { domain: string[]; device: string[] } {
  const entries = (table: string): string[] => {
    const body = new RegExp(`testSchemaEntry\\s+${table}\\[\\]\\s*=\\s*\\{([\\s\\S]*?)\\n\\};`).exec(virschematest)?.[1] ?? '';
    return [...body.matchAll(/\.dir\s*=\s*"tests\/([^"/]+)"/g)].map((m) => m[1]);
  };
  return { domain: entries('schemaDomain'), device: entries('testDevice') };
}
