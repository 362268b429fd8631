// What libvirt's own test suite expects of each domain XML in its tests/ folder, read from the test
// drivers themselves (the C files that run the data):
//  - qemuxml2argvtest.c: DO_TEST / DO_TEST_CAPS_* / DO_TEST_NOCAPS / DO_TEST_GIC / DO_TEST_MACOS
//    build a command line (accepted); *_PARSE_ERROR* (FLAG_EXPECT_PARSE_ERROR) is refused when the
//    XML is parsed and validated, *_FAILURE* (FLAG_EXPECT_FAILURE) when QEMU's command line is built.
//    The expected message is in NAME[.ARCH-VERSION].err next to the XML. The same name under
//    several capability sets may be accepted by one and refused by another: that depends on the
//    QEMU binary, so the file counts as accepted (some QEMU takes it).
//  - qemuxml2xmltest.c and the qemuxml2xmloutdata/ folder: accepted (the outputs are libvirt's own
//    formatting of accepted input).
//  - genericxml2xmltest.c: DO_TEST / DO_TEST_DIFFERENT accepted, DO_TEST_FAIL_ACTIVE/INACTIVE
//    refused at parse (no message file); genericxml2xmloutdata/ accepted.
//  - the other folders virschematest.c validates as domain or device XML (bhyve, LXC, Xen, VMware,
//    hotplug, memlock, SELinux labelling …): as suiteFolders.ts describes, from their own drivers.
// A data file no driver names is left out (counted as unclassified).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SUITE_FOLDERS, schemaFolders, type SuiteFolder } from './suiteFolders';

export type Expectation = 'accept' | 'reject';

export interface SuiteCase {
  /** path relative to libvirt's tests/ folder, e.g. qemuxml2argvdata/net-hostdev.xml */
  file: string;
  expectation: Expectation;
  /** for a rejection: when libvirt refuses it */
  stage?: 'parse' | 'command-line';
  /** libvirt's expected error text (first line of the .err file), when it ships one */
  message?: string;
}

export interface Classification {
  cases: SuiteCase[];
  /** data files no test driver names */
  unclassified: string[];
  /** the folders virschematest.c validates as domain or device XML (those in this tarball) */
  schemaFolders: string[];
  /** of those, folders this classification does not read (SUITE_FOLDERS is missing them) */
  unread: string[];
}

type Outcome = 'accept' | 'parse' | 'command-line';

interface Invocation {
  macro: string;
  name: string;
  /** the whole argument text, up to the closing parenthesis */
  args: string;
}

/** Every `MACRO("name", …)` call of a DO_TEST family in a C file (macro definitions take no string literal). */
export function invocations(source: string, macroPrefix: string): Invocation[] {
  const result: Invocation[] = [];
  const pattern = new RegExp(`\\b(${macroPrefix}[A-Z0-9_]*)\\s*\\(\\s*"([^"]+)"`, 'g');
  for (let m = pattern.exec(source); m; m = pattern.exec(source)) {
    // the arguments run to the matching parenthesis (capability lists span lines)
    let depth = 0;
    let end = m.index + m[0].indexOf('(');
    for (; end < source.length; end++) {
      const c = source[end];
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    result.push({ macro: m[1], name: m[2], args: source.slice(m.index, end + 1) });
  }
  return result;
}

function qemuOutcome(inv: Invocation): Outcome {
  if (/PARSE_ERROR/.test(inv.macro) || /FLAG_EXPECT_PARSE_ERROR/.test(inv.args)) return 'parse';
  if (/FAILURE/.test(inv.macro) || /FLAG_EXPECT_FAILURE/.test(inv.args)) return 'command-line';
  return 'accept';
}

function readIfExists(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

function xmlFiles(tests: string, dir: string): string[] {
  const full = path.join(tests, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** The first line of NAME.err or NAME.<arch>-<version>.err (the expected message of a refused file). */
function expectedMessage(tests: string, dir: string, name: string, errFiles: string[]): string | undefined {
  const candidates = errFiles.filter(
    (f) => f === `${name}.err` || (f.startsWith(`${name}.`) && /^\.[a-z0-9_]+-[a-z0-9.]+\.err$/.test(f.slice(name.length))),
  );
  if (candidates.length === 0) return undefined;
  const text = fs.readFileSync(path.join(tests, dir, candidates.sort()[0]), 'utf8');
  return text.split('\n')[0].trim();
}

/** What each folder's test drivers say of its files, by the folder's kind (suiteFolders.ts). */
function noteFolder(tests: string, folder: SuiteFolder, note: (file: string, outcome: Outcome) => void): void {
  const source = (driver: string): string => readIfExists(path.join(tests, driver));
  switch (folder.kind) {
    case 'qemu': {
      for (const inv of invocations(source('qemuxml2argvtest.c'), 'DO_TEST')) note(`${folder.dir}/${inv.name}.xml`, qemuOutcome(inv));
      for (const inv of invocations(source('qemuxml2xmltest.c'), 'DO_TEST')) note(`${folder.dir}/${inv.name}.xml`, 'accept');
      return;
    }
    case 'generic': {
      for (const inv of invocations(source('genericxml2xmltest.c'), 'DO_TEST')) {
        if (inv.macro.startsWith('DO_TEST_BACKUP')) continue; // backup XML, another folder
        note(`${folder.dir}/${inv.name}.xml`, inv.macro.startsWith('DO_TEST_FAIL') ? 'parse' : 'accept');
      }
      return;
    }
    case 'named': {
      for (const driver of folder.drivers) {
        for (const inv of invocations(source(driver), 'DO_TEST')) {
          note(`${folder.dir}/${folder.prefix ?? ''}${inv.name}.xml`, folder.failures?.[inv.macro] ?? 'accept');
        }
      }
      return;
    }
    case 'output':
    case 'whole':
    case 'schema':
      for (const file of xmlFiles(tests, folder.dir)) note(file, 'accept');
      return;
  }
}

export function classify(tests: string): Classification {
  const outcomes = new Map<string, Set<Outcome>>();
  const note = (file: string, outcome: Outcome): void => {
    let set = outcomes.get(file);
    if (!set) outcomes.set(file, (set = new Set()));
    set.add(outcome);
  };
  const schema = schemaFolders(readIfExists(path.join(tests, 'virschematest.c')));
  const present = [...schema.domain, ...schema.device].filter((dir) => fs.existsSync(path.join(tests, dir)));
  const known = new Set(SUITE_FOLDERS.map((f) => f.dir));
  const unread = present.filter((dir) => !known.has(dir));
  for (const folder of SUITE_FOLDERS) noteFolder(tests, folder, note);

  const errFiles = fs.readdirSync(path.join(tests, 'qemuxml2argvdata')).filter((f) => f.endsWith('.err'));
  const cases: SuiteCase[] = [];
  for (const [file, set] of [...outcomes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!fs.existsSync(path.join(tests, file))) continue; // named with an arch/version suffix only, or a generated name
    if (set.has('accept')) {
      cases.push({ file, expectation: 'accept' });
      continue;
    }
    const dir = path.dirname(file);
    const name = path.basename(file, '.xml');
    const message = dir === 'qemuxml2argvdata' ? expectedMessage(tests, dir, name, errFiles) : undefined;
    cases.push({ file, expectation: 'reject', stage: set.has('parse') ? 'parse' : 'command-line', ...(message ? { message } : {}) });
  }
  const classified = new Set(cases.map((c) => c.file));
  const unclassified = SUITE_FOLDERS.flatMap((f) => xmlFiles(tests, f.dir)).filter((f) => !classified.has(f));
  return { cases, unclassified, schemaFolders: present, unread };
}
