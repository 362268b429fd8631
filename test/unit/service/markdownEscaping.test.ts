// Host, snapshot and document strings in hover and completion Markdown are shown as written, never as
// markup: rendered with `marked` (the Markdown renderer VS Code's hovers use), a hostile guest name
// makes no link and no emphasis, and backticks in a value do not break its code span.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, hover } from '../../../server/src/service/index';
import { markdownAsPlainText, mdCode, mdText } from '../../../server/src/service/markdown';
import { context82576, cursor, hostdevInterface } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { marked } = require('marked') as { marked: { parse(md: string, options?: { async: false }): string } };

const GUEST = 'web_01_`x`_[a](http://e) **b** <img src=x> &lt; www.example.com a@b.c';
const DRIVER = 'igb``vf`';
const NETDEV = 'enp11s0f0\n# heading';
const HOST = 'kvm1 [host](http://evil)';
const POOL = 'pool_`x`_*y*';

function render(md: string): string {
  return marked.parse(md, { async: false });
}

/** what a reader sees: the rendered HTML without tags, entities decoded */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function hostileContext() {
  const ctx = context82576();
  const inv = ctx.inventory!;
  inv.host = HOST;
  const web01 = inv.guests.find((g) => g.name === 'web01')!;
  web01.name = GUEST;
  const vf = inv.devices.find((d) => d.address === '0000:0b:10.0')!;
  vf.driver = DRIVER;
  inv.devices.find((d) => d.address === '0000:0b:00.0')!.netdev = NETDEV;
  inv.networks![0].name = POOL;
  return ctx;
}

test('markdown: a hostile guest, driver, netdev, host and pool name render as text in the address hover', () => {
  const { text, offset } = cursor(hostdevInterface("<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x|0'/>"));
  const result = hover(text, offset, hostileContext());
  assert.ok(result);
  const html = render(result.contents);
  assert.doesNotMatch(html, /<a |<img|<h\d|<del>/, html);
  assert.equal(html.match(/<em>/g)?.length, 1, 'only the footer is in italics');
  const shown = visible(html);
  for (const s of [GUEST, DRIVER, HOST]) assert.ok(shown.includes(s), `${JSON.stringify(s)} shown as written in:\n${shown}`);
  assert.ok(shown.includes('enp11s0f0\\n# heading'), 'a newline in a name is shown as \\n, the name stays on its line');
  assert.match(html, new RegExp(`<code>${DRIVER.replace(/`/g, '`')}</code>`), 'the driver is one code span');
});

test("markdown: a hostile guest, host and pool name render as text in a VF pool's <pf dev> hover", () => {
  const ctx = hostileContext();
  ctx.inventory!.devices.find((d) => d.address === '0000:0b:00.0')!.netdev = 'enp11s0f0';
  // another pool on the same PF: the hover names it
  ctx.inventory!.networks![1].pfDevs = ['enp11s0f0'];
  ctx.inventory!.networks![1].name = POOL;
  const { text, offset } = cursor(
    "<network>\n  <name>p</name>\n  <forward mode='hostdev'>\n    <pf dev='enp11s0|f0'/>\n  </forward>\n</network>\n",
  );
  const result = hover(text, offset, ctx);
  assert.ok(result);
  const html = render(result.contents);
  assert.doesNotMatch(html, /<a |<img|<h\d|<del>/, html);
  assert.equal(html.match(/<em>/g)?.length, 1, 'only the footer is in italics');
  const shown = visible(html);
  for (const s of [GUEST, HOST, POOL]) assert.ok(shown.includes(s), `${JSON.stringify(s)} shown as written in:\n${shown}`);
});

test('markdown: a hostile guest, host and pool name render as text in a network <portgroup> hover', () => {
  const ctx = hostileContext();
  ctx.inventory!.guests.find((g) => g.name === GUEST)!.networks = [POOL];
  const { text, offset } = cursor(`<network>\n  <name>${POOL}</name>\n  <portgroup name='${POOL}|'/>\n</network>\n`);
  const result = hover(text, offset, ctx);
  assert.ok(result);
  const html = render(result.contents);
  assert.doesNotMatch(html, /<a |<img|<h\d|<del>/, html);
  assert.equal(html.match(/<em>/g)?.length, 1, 'only the footer is in italics');
  const shown = visible(html);
  for (const s of [GUEST, HOST, POOL]) assert.ok(shown.includes(s), `${JSON.stringify(s)} shown as written in:\n${shown}`);
});

test('markdown: other guests with the MAC are named as text in the MAC hover', () => {
  const ctx = hostileContext();
  const { text, offset } = cursor(`<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:a|a:00:01'/>\n</interface>\n`);
  const result = hover(text, offset, ctx);
  assert.ok(result);
  const html = render(result.contents);
  assert.doesNotMatch(html, /<a |<img|<em>/, html);
  assert.ok(visible(html).includes(GUEST));
});

test('markdown: a document value with backticks and a link stays inside its code span', () => {
  const value = '0x`0b`[a](http://e)';
  const { text, offset } = cursor(hostdevInterface(`<address type='pci' domain='0' bus='${value}' slot='0x1|0' function='0'/>`));
  const result = hover(text, offset, hostileContext());
  assert.ok(result);
  const html = render(result.contents);
  assert.doesNotMatch(html, /<a /, html);
  assert.ok(html.includes(`<code>bus=&#39;${value}&#39;</code>`), html);
});

test('markdown: completion documentation is one code span', () => {
  const { text, offset } = cursor(hostdevInterface('|'));
  const items = complete(text, offset, hostileContext()).filter((c) => c.documentation !== undefined);
  assert.ok(items.length > 0);
  for (const item of items) assert.doesNotMatch(render(item.documentation!), /<a |<em>|<strong>/);
});

test('markdown: mdCode and mdText keep any value literal', () => {
  for (const value of ['`', '``a`', ' ` ', 'a\nb', '[x](y)', '*_~|<b>&amp;', 'http://e', '', '\\`']) {
    const code = render(mdCode(value));
    assert.equal(visible(code).replace(/\n$/, ''), value.replace(/\n/g, '\\n'), `code ${JSON.stringify(value)} → ${code}`);
    const text = render(mdText(value));
    assert.equal(visible(text).trim(), value.replace(/\n/g, '\\n').trim(), `text ${JSON.stringify(value)} → ${text}`);
    assert.doesNotMatch(text, /<a |<em>|<strong>|<code>|<b>/);
  }
});

test('markdown: mdText keeps every value literal where it stands: alone, at a line start under a paragraph, between words', () => {
  const marks = [...'\\`*_{}[]()#+-.!|<>~&:@"\'=$%^,;?/'];
  const values = ['1.', '2) x', '10. x', '# h', '- x', '+ x', '===', '---', '> q', 'www.example.com', 'WWW.x.org', 'xwww.e.com', 'a@b.c'];
  for (const a of marks) for (const b of marks) values.push(`${a}${b}x`, `x${a}${b}`, `${a}x${b}`, `ftp${a}${b}/e.com`);
  for (const value of values)
    for (const [before, after] of [
      ['', ''],
      ['para\n', ''],
      ['word ', ' word'],
      ['a', 'b'],
    ]) {
      const html = render(`${before}${mdText(value)}${after}`);
      assert.equal(visible(html).trim(), `${before}${value}${after}`.trim(), `${JSON.stringify(value)} → ${html}`);
      assert.doesNotMatch(html, /<(?!p>|\/p>)/, `${JSON.stringify(value)} → ${html}`);
    }
});

test('markdown: host text that is no markup is not escaped, so clients that show the escapes (Neovim 0.7 to 0.9) read it', () => {
  for (const value of [
    "'kvm-82576.example.com'",
    '/etc/modprobe.d/igb.conf: options igb max_vfs=7',
    "'web01' (running; config)",
    'sriov-pool',
    '0000:0b:10.0',
  ])
    assert.equal(mdText(value), value);
  assert.equal(mdText('_x_ a_b *y* https://e www.e'), '\\_x\\_ a_b \\*y\\* https\\://e www\\.e');
});

test("markdown: quoted names stay text: a guest, host or pool name holding a quote or a backtick is shown whole between libvirt's quotes", () => {
  const guest = "it's `web` 01.";
  const host = "kvm'1` (lab)";
  const pool = "pool 'a'`b`";
  const ctx = context82576();
  const inv = ctx.inventory!;
  inv.host = host;
  inv.guests.find((g) => g.name === 'web01')!.name = guest;
  // a pool on the VF the guest holds: the pool hover names the guest in a sentence
  inv.networks = [{ name: pool, active: true, autostart: true, forwardMode: 'hostdev', addresses: ['0000:0b:10.0'] }];
  const { text, offset } = cursor(hostdevInterface("<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x|0'/>"));
  const address = render(hover(text, offset, ctx)!.contents);
  assert.doesNotMatch(address, /<a |<img|<em>[^I]|<code>[^<]*web/, address);
  const shown = visible(address);
  assert.ok(shown.includes(`Used by '${guest}' (running;`), shown);
  assert.ok(shown.includes(`Inventory of '${host}', taken`), shown);
  const doc = `<domain type='kvm'><name>vm9</name><devices><interface type='network'><source network="${pool.replace(/'/g, '&apos;')}"/></interface></devices></domain>`;
  const poolHover = hover(doc, doc.indexOf('pool ') + 2, ctx);
  assert.ok(poolHover);
  const html = render(poolHover.contents);
  assert.doesNotMatch(html, /<a |<img/, html);
  assert.ok(visible(html).includes(`on '${host}': VF pool`), visible(html));
  assert.ok(visible(html).includes(`Also named directly by guests: 0000:0b:10.0 '${guest}' (running, config)`), visible(html));
});

/** the words a reader sees, whatever the layout: list markers and rules dropped, white space folded */
function words(shown: string): string {
  return shown
    .replace(/^\s*(?:- |---$)/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

test('markdown as plain text (a client without Markdown): each hover reads as its rendered Markdown does, hostile names included', () => {
  const ctx = hostileContext();
  const hovers = [
    cursor(hostdevInterface("<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x|0'/>")),
    cursor(hostdevInterface("<address type='pci' domain='0' bus='0x`0b`[a](http://e)' slot='0x1|0' function='0'/>")),
    cursor(`<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:a|a:00:01'/>\n</interface>\n`),
    cursor(`<network>\n  <name>${POOL}</name>\n  <portgroup name='${POOL}|'/>\n</network>\n`),
  ];
  for (const { text, offset } of hovers) {
    const result = hover(text, offset, ctx);
    assert.ok(result, text);
    const plain = markdownAsPlainText(result.contents);
    assert.equal(words(plain), words(visible(render(result.contents))), result.contents);
  }
  const completing = cursor(hostdevInterface('|'));
  for (const item of complete(completing.text, completing.offset, ctx)) {
    if (item.documentation === undefined) continue;
    assert.equal(words(markdownAsPlainText(item.documentation)), words(visible(render(item.documentation))));
  }
});

test('markdown as plain text: mdCode and mdText give back the value as written; our emphasis goes, an underscore inside a word stays', () => {
  for (const value of ['`', '``a`', ' ` ', 'a\nb', '[x](y)', '*_~|<b>&amp;', 'http://e', '\\`', 'web_01_`x`_*y*']) {
    const flat = value.replace(/\n/g, '\\n');
    assert.equal(markdownAsPlainText(mdText(value)), flat, `text ${JSON.stringify(value)}`);
    assert.equal(markdownAsPlainText(mdCode(value)), flat, `code ${JSON.stringify(value)}`);
  }
  assert.equal(markdownAsPlainText('**VF 0** of _the_ pool, sriov_numvfs'), 'VF 0 of the pool, sriov_numvfs');
});
