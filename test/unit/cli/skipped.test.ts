// Files `check` reads and skips as another vocabulary (a pom.xml, a <config> root): counted and named in
// every format, never a problem, the exit status what the checked files make it; a skipped file that is
// not UTF-8 is no libvirt failure either, since libvirt never sees it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliRun } from '../../support/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-skipped-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const run = (...argv: string[]): Promise<CliRun> => runCli(argv, { cwd: tmp });

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

const good = write('good.xml', fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'guest-good.xml')));
const pom = write(
  'pom.xml',
  '<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion></project>\n',
);
const foreign = write('ns.xml', "<domain type='kvm' xmlns='http://example.com/x'><name>g</name></domain>\n");
const config = write('config.xml', '<config><a/></config>\n');
const latin1 = write('latin1.xml', Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<config>caf\xe9</config>\n', 'latin1'));
const misspelt = write(
  'misspelt.xml',
  "<domian type='kvm'><devices><interface type='hostdev'><mac address='01:00:5e:00:00:fb'/></interface></devices></domian>\n",
);

const POM = "not libvirt XML: root <project> is in the namespace 'http://maven.apache.org/POM/4.0.0'";
const FOREIGN = "not libvirt XML: root <domain> is in the namespace 'http://example.com/x'";
const CONFIG = 'not libvirt XML: root <config> is no libvirt document or device';

test('text: the summary counts the skipped files, stderr names each with why; exit 0 when the checked ones pass', async () => {
  const r = await run('check', good, pom, foreign, config);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '1 file checked, 3 skipped (not libvirt XML): no problems\n');
  assert.equal(
    r.stderr,
    [`${pom}: skipped, ${POM}`, `${foreign}: skipped, ${FOREIGN}`, `${config}: skipped, ${CONFIG}`]
      .map((l) => `libvirt-hostdev: ${l}\n`)
      .join(''),
  );
  const only = await run('check', pom);
  assert.equal(only.code, 0);
  assert.equal(only.stdout, '0 files checked, 1 skipped (not libvirt XML)\n');
});

test('a skipped file that is not UTF-8 has no xml-syntax error claiming libvirt would fail; a misspelt libvirt root is still checked', async () => {
  const r = await run('check', latin1);
  assert.equal(r.code, 0, r.stdout);
  assert.doesNotMatch(r.stdout, /xml-syntax|UTF-8/);
  assert.equal(r.stderr, `libvirt-hostdev: ${latin1}: skipped, ${CONFIG}\n`);
  const typo = await run('check', misspelt);
  assert.equal(typo.code, 1);
  // libvirt refuses the root itself (virsh define: "XML error: expecting root element of 'domain', not 'domian'")
  assert.match(
    typo.stdout,
    /misspelt\.xml:1:2: error not-libvirt: root <domian> is no libvirt element: did you mean <domain>\? — libvirt: "expecting root element of 'domain', not 'domian'"\n/,
  );
  assert.match(typo.stdout, /misspelt\.xml:1:\d+: error mac-multicast: /);
  const device = await run('check', write('interfce.xml', "<interfce type='hostdev'/>\n"));
  assert.equal(device.code, 1);
  assert.match(
    device.stdout,
    /interfce\.xml:1:2: error not-libvirt: root <interfce> is no libvirt element: did you mean <interface>\? — libvirt knows/,
  );
});

test('json: a skipped file has `skipped` with why, and no diagnostics', async () => {
  const r = await run('check', '--format', 'json', good, pom);
  assert.equal(r.code, 0);
  const files = JSON.parse(r.stdout) as { file: string; diagnostics: unknown[]; skipped?: string }[];
  assert.deepEqual(
    files.map((f) => [f.file, f.diagnostics.length, f.skipped]),
    [
      [good, 0, undefined],
      [pom, 0, POM],
    ],
  );
});

test('sarif: a skipped file is a note among the invocation notifications, the run still successful', async () => {
  const r = await run('check', '--format', 'sarif', good, config);
  assert.equal(r.code, 0);
  const [invocation] = JSON.parse(r.stdout).runs[0].invocations;
  assert.deepEqual(invocation, {
    executionSuccessful: true,
    toolExecutionNotifications: [
      {
        level: 'note',
        message: { text: `${config}: skipped, ${CONFIG}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'config.xml', uriBaseId: '%SRCROOT%' } } }],
      },
    ],
  });
});

test('github: a skipped file is a notice annotation', async () => {
  const r = await run('check', '--format', 'github', config);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `::notice file=${config},title=skipped::${CONFIG}\n`);
});
