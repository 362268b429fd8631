// Every input has a budget: what a document (or an inventory) repeats, the output must not repeat
// once per device, and no walk of the tree may cost its depth per device or overflow the call stack.
// Sizes and counts are asserted, not times (npm run bench measures speed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeActions, complete, createLanguageService, validate } from '../../../server/src/service/index';
import { buildDocumentModel } from '../../../server/src/service/model';
import { validateModel } from '../../../server/src/service/validate';
import { documentMacs } from '../../../server/src/service/featureSupport';
import { MAX_PROBLEMS_PER_REQUEST } from '../../../server/src/service/codeActions';
import { StartTags } from '../../../server/src/service/quickFix';
import type { DocumentModel } from '../../../server/src/service/modelTypes';
import type { Problem } from '../../../server/src/service/types';
import { elementAt, rootOf, walk } from '../../../server/src/service/xml/query';
import type { XmlElement } from '../../../server/src/service/xml/types';
import { context82576, corpusTexts, sequence } from './helpers';

const VF = `<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x1'/></source></interface>`;

const totalLength = (problems: readonly { message: string }[]): number => problems.reduce((sum, p) => sum + p.message.length, 0);
const longest = (problems: readonly { message: string }[]): number => Math.max(0, ...problems.map((p) => p.message.length));

test('a guest name of 200,000 characters is not repeated in the message of each of 300 devices that share its VF', () => {
  const text = `<domain type='kvm'><name>${'A'.repeat(200_000)}</name><devices>${VF}</devices></domain>\n<domain type='kvm'><name>b</name><devices>${VF.repeat(300)}</devices></domain>`;
  const problems = validate(text).filter((p) => p.code === 'vf-in-use');
  assert.equal(problems.length, 301);
  // each of the 300 named the whole name once, and libvirt's quoted words once more: 120 MB
  assert.ok(longest(problems) < 1000, `the longest message has ${longest(problems)} characters`);
  assert.match(problems[1].message, /also assigned to guest 'A{100}…' \(200000 characters\) in this file/);
  assert.match(problems[1].message, /in use by driver QEMU, domain A{100}…"/);
});

test('5,000 guests on one VF: each message names a few of the others and counts the rest', () => {
  let text = '';
  for (let i = 0; i < 5000; i++) text += `<domain type='kvm'><name>guest${i}</name><devices>${VF}</devices></domain>\n`;
  const problems = validate(text).filter((p) => p.code === 'vf-in-use');
  assert.equal(problems.length, 5000);
  assert.match(problems[0].message, /also assigned to guest 'guest1', guest 'guest2', guest 'guest3' and 4996 more in this file/);
  // every message listed the 4,999 others: 5,000 times 80 kB
  assert.ok(totalLength(problems) < 5000 * 1000, `${totalLength(problems)} characters in all`);
});

test("a snapshot's guest and host names of a megabyte are shortened in each device's message", () => {
  const ctx = context82576();
  const name = 'G'.repeat(1_000_000);
  ctx.inventory!.host = 'H'.repeat(1_000_000);
  for (const guest of ctx.inventory!.guests) guest.name = `${name}${guest.name}`;
  const device = VF.replace("function='0x1'", "function='0x0'");
  const problems = validate(`<domain type='kvm'><name>mine</name><devices>${device.repeat(50)}</devices></domain>`, ctx);
  assert.ok(problems.some((p) => p.code === 'vf-in-use' && p.message.includes("held live by 'GGG")));
  assert.ok(longest(problems) < 2000, `the longest message has ${longest(problems)} characters`);
});

test('a name the document repeats in libvirt’s own words (a network, an open element) is shortened there too', () => {
  const big = 'N'.repeat(1_000_000);
  const network = `<network><name>${big}</name><forward mode='hostdev'/>${"<portgroup name='p' default='yes'/>".repeat(300)}</network>`;
  const endTags = `<domain type='kvm'><${big}>${'</b>'.repeat(300)}`;
  for (const text of [network, endTags]) {
    const problems = validate(text);
    assert.ok(problems.length >= 300);
    // a message about the element or network itself may quote its name; the 300 about others shorten it
    assert.ok(totalLength(problems) < 3 * big.length, `${totalLength(problems)} characters in all`);
  }
});

/** Counts reads of `parent` on every element of the model from now on. */
function countParentReads(model: DocumentModel): () => number {
  let reads = 0;
  walk(model.xml, (e) => {
    const parent = e.parent;
    Object.defineProperty(e, 'parent', {
      get: () => {
        reads++;
        return parent;
      },
      configurable: true,
    });
  });
  return () => reads;
}

test('devices nested in each other: checking them and their lenses takes no walk up to the root per device', () => {
  const nested = 3000;
  const text = `<domain type='kvm'><name>d</name><devices>${"<interface type='hostdev'>".repeat(nested)}`;
  const model = buildDocumentModel(text);
  assert.equal(model.devices.length, nested);
  const reads = countParentReads(model);
  assert.ok(validateModel(model).length > nested);
  // a walk to the root for every device is 4.5 million steps here
  assert.ok(reads() < 20 * nested, `${reads()} parent steps for ${nested} devices`);
  const service = createLanguageService();
  const document = service.parseDocument(text);
  const lensReads = countParentReads(document);
  assert.ok(service.codeLenses(document).length >= nested);
  assert.ok(lensReads() < 20 * nested, `${lensReads()} parent steps for the lenses of ${nested} devices`);
});

test('rootOf finds by offset the root the parents lead to, in recovered and several-root documents', () => {
  const texts = [
    `<domain type='kvm'><name>a</name><devices>${VF}<interface type='hostdev'><source></devices></domain><domain><devices>${VF}`,
    `${VF}\n${VF}<hostdev mode='subsystem' type='pci'><source><address bus='0x0b'/></source></hostdev>`,
    `<domain><devices><interface type='hostdev' <mac address='x'/></interface></devices></domain>text<b/><c><d></c>`,
    `<a><b></a><c/><d><e><f/></e>`,
  ];
  for (const text of texts) {
    const model = buildDocumentModel(text);
    walk(model.xml, (e) => {
      let top: XmlElement = e;
      while (top.parent) top = top.parent;
      assert.equal(rootOf(model.xml.roots, e), top, `<${e.name}> at ${e.start} of ${JSON.stringify(text)}`);
    });
  }
});

test('the start tag at an offset, looked up, is the one a search down from the root finds', () => {
  const texts = [
    ...corpusTexts(['reject']).slice(0, 20),
    `<domain><devices><interface type='hostdev'\n  managed='yes'><source\n<address bus='0x0b'/></interface><mac address='x' <b/>`,
    `<a x='1'><b y='<'/><c z="2"></a>text<d`,
  ];
  for (const text of texts) {
    const model = buildDocumentModel(text);
    const startTags = new StartTags(model);
    for (let offset = 0; offset <= text.length; offset++) {
      const around = elementAt(model.xml.roots, offset);
      const inside = around && offset > around.start && offset < around.startTagEnd ? around : null;
      assert.equal(startTags.holding(offset), inside, `offset ${offset} of ${JSON.stringify(text.slice(0, 80))}`);
    }
  }
});

test('an element 100,000 deep: MAC completion, code actions and a new interface answer (a recursive walk overflowed the stack)', () => {
  const text = `<domain type='kvm'><name>d</name><devices><interface type='hostdev'><mac address='01:00:5e:00:00:01'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x1'/></source></interface>${'<a>'.repeat(100_000)}<mac address='52:54:00:12:34:56'/>`;
  const model = buildDocumentModel(text);
  assert.ok(documentMacs(model).has('52:54:00:12:34:56'), 'the deepest MAC is taken');
  const problems = validate(text);
  const multicast = problems.find((p) => p.code === 'mac-multicast')!;
  const fixes = codeActions(text, multicast.span, problems).filter((a) => a.fixes.includes('mac-multicast') && !a.suppression);
  assert.equal(fixes.length, 1, 'a fresh unicast MAC');
  const at = text.indexOf("'01:00") + 1;
  assert.ok(complete(text, at).length > 0, 'MAC completion');
  assert.ok(createLanguageService().newInterfaceXml(model, '0000:0b:10.3', context82576()), 'a new interface');
});

test('code actions answer a problem sent a thousand times once, and answer at most MAX_PROBLEMS_PER_REQUEST problems', () => {
  const text = `<domain type='kvm'><name>d</name><devices>${VF.replace('<source>', "<mac address='01:00:5e:00:00:01'/><source>")}</devices></domain>`;
  const problems = validate(text);
  const multicast = problems.find((p) => p.code === 'mac-multicast')!;
  const ctx = () => ({ random: sequence(0.1, 0.2, 0.3) });
  const once = codeActions(text, multicast.span, [multicast], ctx());
  assert.deepEqual(
    once.map((a) => a.suppression ?? false),
    [false, true],
    'a fresh MAC, and the disable comment',
  );
  const repeated = codeActions(
    text,
    multicast.span,
    Array.from({ length: 1000 }, () => ({ ...multicast })),
    ctx(),
  );
  assert.deepEqual(repeated, once);
  // distinct problems (here: one span, other words) past the budget are left unanswered
  const many: Problem[] = Array.from({ length: MAX_PROBLEMS_PER_REQUEST + 50 }, (_, i) => ({
    ...multicast,
    message: `${multicast.message} ${i}`,
  }));
  assert.equal(codeActions(text, multicast.span, many).filter((a) => a.suppression).length, MAX_PROBLEMS_PER_REQUEST);
});

test('code actions for every problem of a deeply nested document cost no walk down from the root per problem', () => {
  const depth = 2000;
  const text = `<domain type='kvm'><name>d</name><devices>\n${"<interface type='hostdev'><model type='virtio'/>\n".repeat(depth)}`;
  const service = createLanguageService();
  const document = service.parseDocument(text);
  const problems = service.validate(document);
  assert.ok(problems.length > 2 * depth);
  const actions = service.codeActions(document, { start: 0, end: text.length }, problems);
  assert.equal(actions.filter((a) => a.title === 'Remove <model>').length, depth, 'each device’s <model> can go');
  const reads = countParentReads(document);
  service.codeActions(document, { start: 0, end: text.length }, problems);
  assert.ok(reads() < 20 * problems.length, `${reads()} parent steps for ${problems.length} problems`);
});

test('3,000 interfaces on one hostdev pool read its listed addresses a few times, not once per interface, and name a few of them', () => {
  const ctx = context82576();
  const listed = Array.from({ length: 2000 }, (_, i) => `0000:3b:${(2 + (i >> 3)).toString(16).padStart(2, '0')}.${i & 7}`);
  let reads = 0;
  const addresses = new Proxy(listed, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  const pool = { name: 'big', active: true, autostart: true, forwardMode: 'hostdev', addresses };
  ctx.inventory!.networks = [pool];
  const device = "<interface type='network'><source network='big'/></interface>";
  const problems = validate(`<domain type='kvm'><name>mine</name><devices>${device.repeat(3000)}</devices></domain>`, ctx).filter(
    (p) => p.code === 'network-pool-exhausted',
  );
  // one finding for the pool, however many interfaces are on it
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /Take 0000:3b:02\.0, .* and 1990 more out of the pool/);
  // the pool's demand worked out for each interface: 6 million reads
  assert.ok(reads < 20 * listed.length, `${reads} reads of the pool's listed addresses`);
  assert.ok(longest(problems) < 2000, `the longest message has ${longest(problems)} characters`);
});

test("40,000 guests' definitions naming one VF: a check tells them once, in linear time", { timeout: 2_000 }, () => {
  const ctx = context82576();
  const guests = Array.from({ length: 40_000 }, (_, i) => ({
    name: `g${i}`,
    state: 'shut off' as const,
    persistent: true,
    devices: [{ address: '0000:0b:10.6', element: 'interface' as const, config: true, live: false, mac: null }],
  }));
  ctx.inventory!.guests.push(...guests);
  const device =
    "<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'/></source></interface>";
  const problems = validate(`<domain type='kvm'><name>mine</name><devices>${device}</devices></domain>`, ctx).filter(
    (p) => p.code === 'vf-in-use',
  );
  assert.equal(problems.length, 1);
  // the first guests by name, the rest counted (a comparison per pair of guests took 5 s here)
  assert.match(problems[0].message, /'g0' \(shut off\), 'g1' \(shut off\), 'g2' \(shut off\) and 39997 more/);
});
