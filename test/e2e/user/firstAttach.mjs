// The launcher's third pass (LIBVIRT_HOSTDEV_E2E_MODE=user): a user's first attach, then that guest's definition
// opened from the host, edited and defined again, driven only through
// the browser as a person would (keyboard and mouse), with no extension test hooks. VS Code refuses modal
// dialogs to extension tests (DialogService.skipDialogs), so this pass loads the extension without
// extensionTestsPath: the host key modal and the "device has errors" modal are the real ones.
// Checked from outside: what the page shows, the extension's log file, and `virsh dumpxml` of the guest.
import * as fs from 'node:fs';
import { GUESTS, HOST_NAME, virshAsVmtest } from '../offline/workspace.mjs';

const GUEST = GUESTS.target;
const GOOD_MAC = '52:54:00:e2:e0:01';
const BAD_MAC = '01:00:5e:00:00:01';

function check(ok, what) {
  if (!ok) throw new Error(what);
}

/** Polls `get` until it returns something truthy; no fixed sleeps. */
async function until(what, get, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await get();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100)); // poll interval
  }
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name, { delay: 5 });
  // the FOCUSED row, the one Enter opens: a row naming the file is on screen while the list still shows
  // the results of a shorter query, whose first row may be another file (lhd-e2e-net.xml for 'lhd-e2e-')
  await page.waitForSelector(`.quick-input-widget .monaco-list-row.focused:has-text("${name}")`, { state: 'visible' });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab.active:has-text("${name}")`, { state: 'visible' });
}

const LENS_ENTRIES = '.monaco-editor .codelens-decoration > a, .monaco-editor .codelens-decoration > span';

/** Every CodeLens entry on screen: its text, whether it is a link (a lens with a command; a label or a
 *  placeholder is a span) and where it is. Widgets of lines outside the viewport stay in the DOM, hidden
 *  and not yet updated: left out. */
async function lensEntries(page) {
  const all = await page.$$eval(LENS_ENTRIES, (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return {
        text: (e.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        link: e.tagName === 'A',
        y: r.y,
        centre: { x: r.x + r.width / 2, y: r.y + r.height / 2 },
        visible: getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length > 0,
      };
    }),
  );
  return all.filter((e) => e.visible && e.text !== '|');
}

/** The CodeLens entries with exactly this title, top to bottom. */
async function lensesTitled(page, title) {
  return (await lensEntries(page)).filter((e) => e.text === title).sort((a, b) => a.y - b.y);
}

/**
 * Clicks the `index`th of `count` "title" lenses, top to bottom, until the click lands on that lens's
 * link. VS Code renders the lenses again whenever a CodeLens provider registers (built-in extensions do so
 * while the workbench starts), first as placeholders without commands taken from its cache: a click then
 * lands on a label and runs nothing. What the mouse-down hit is recorded in the page before the editor
 * handles it, so a click that ran a command is never repeated.
 */
async function clickLens({ page, say }, title, index, count) {
  await until(`a click on the link of "${title}" lens ${index + 1} of ${count}`, async () => {
    const links = (await lensesTitled(page, title)).filter((e) => e.link);
    if (links.length !== count) return false;
    await page.evaluate(() => {
      window.lhdLensDown = undefined;
      window.addEventListener(
        'mousedown',
        (ev) => {
          const link = ev.target instanceof Element ? ev.target.closest('.codelens-decoration > a') : null;
          window.lhdLensDown = {
            link: !!link,
            text: (link?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
            y: link?.getBoundingClientRect().y,
          };
        },
        { capture: true, once: true },
      );
    });
    const target = links[index];
    await page.mouse.click(target.centre.x, target.centre.y);
    const down = await page.evaluate(() => window.lhdLensDown);
    if (!down?.link) {
      say(`user: the click on "${title}" hit no lens link (${down ? 'a placeholder' : 'nothing'}); nothing ran, clicking again`);
      return false;
    }
    // another lens's command ran (the lenses are a device apart, hundreds of pixels): a repeated click could not undo it
    check(
      down.text === title && Math.abs(down.y - target.y) < 10,
      `the click meant for "${title}" at y=${target.y} ran ${JSON.stringify(down)}`,
    );
    return true;
  });
}

/**
 * @param {{ page: import('playwright-core').Page, env: NodeJS.ProcessEnv, logFiles: () => string[], hostLogFiles: () => string[], say: (...a: unknown[]) => void }} o
 */
export async function run({ page, env, logFiles, hostLogFiles, say }) {
  const log = () =>
    logFiles()
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
  const dumpxml = () => virshAsVmtest(env, ['dumpxml', GUEST, '--inactive']);
  await page.waitForSelector('.monaco-workbench', { state: 'visible', timeout: 60000 });

  // 1. A domain XML of a guest the host does not have: the host key is asked (a real modal; Enter is
  //    "Accept once"), then the lens says why nothing can be attached instead of offering it.
  await openFile(page, 'guest-bad.xml');
  await page.waitForSelector('.monaco-dialog-box:has-text("authenticity of host")', { state: 'visible', timeout: 60000 });
  say('user: host key modal shown; Enter');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.monaco-dialog-box', { state: 'hidden' });
  await until('the answer to the host key in the extension log', () => /host key of [^\n]* accepted/.test(log()));
  const keyLines = log().match(/unknown host key (of|for) /g) ?? [];
  check(keyLines.length === 1, `the unknown host key is logged once (${keyLines.length} lines)`);
  const why = `'app02' is not defined on '${HOST_NAME}': no attach/detach`;
  await until(`the lens "${why}"`, async () => (await lensesTitled(page, why)).length > 0, 60000).catch(async (e) => {
    const html = await page.$$eval('.codelens-decoration', (els) => els.map((e) => e.outerHTML));
    throw new Error(`${e.message}; lenses on screen: ${JSON.stringify(html)}`);
  });
  const shown = (await lensEntries(page)).map((e) => e.text);
  check(!shown.includes("Attach to 'app02'"), `no "Attach to 'app02'" lens for a guest the host does not have: ${JSON.stringify(shown)}`);
  check((await lensesTitled(page, "Detach from 'app02'")).length === 0, `no "Detach from 'app02'" lens`);
  say('user: no attach lens for app02, the lens says why');

  // 2. The guest's own XML: one lens per device names the real guest.
  await openFile(page, `${GUEST}.xml`);
  const before = dumpxml();
  check(!before.includes(BAD_MAC) && !before.includes(GOOD_MAC), `${GUEST} starts without the devices`);
  const attachTitle = `Attach to '${GUEST}'`;
  await until(`two "${attachTitle}" lenses`, async () => (await lensesTitled(page, attachTitle)).filter((e) => e.link).length === 2);
  // the multicast MAC is underlined: the attach flow sees the error
  await page.waitForSelector('.monaco-editor .squiggly-error', { state: 'attached', timeout: 30000 });

  // 3. The device with errors: the modal's default button is the safe one; Enter attaches nothing.
  await clickLens({ page, say }, attachTitle, 1, 2);
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'Attach it anyway?' });
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  check(focused === "Don't Attach", `the focused (default) button is "Don't Attach", not ${JSON.stringify(focused)}`);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await until('the refusal in the extension log', () => /attach refused: the device has problems \(mac-multicast\) in '/.test(log()));
  check(dumpxml() === before, `Enter attached nothing: ${GUEST}'s definition is unchanged`);
  check(!log().includes('attach-device'), 'virsh attach-device never ran');
  say('user: Enter on the errors modal refused the attach; virsh dumpxml unchanged');

  // 4. The good device: attached with --config to qemu:///session, seen in virsh dumpxml.
  await clickLens({ page, say }, attachTitle, 0, 2);
  const line = await until(
    'the attach in the extension log',
    () => /virsh -c qemu:\/\/\/session attach-device [^\n]*→ ok[^\n]*/.exec(log())?.[0],
  );
  check(line.includes('--config') && !line.includes('--live') && line.includes(GUEST), `--config to ${GUEST}: ${line}`);
  const after = dumpxml();
  check(after.includes(GOOD_MAC) && /bus='0x0b' slot='0x10' function='0x2'/.test(after), `virsh dumpxml shows the device:\n${after}`);
  check(!after.includes(BAD_MAC), 'the refused device is still not there');
  await until(
    `a "Detach from '${GUEST}'" lens`,
    async () => (await lensesTitled(page, `Detach from '${GUEST}'`)).filter((e) => e.link).length === 1,
    60000,
  );
  say(`user: the lens attached with --config (${line.trim()}); virsh dumpxml shows it; the lens now offers Detach`);

  // 5. The guest's definition as the host keeps it, from the palette and the guest picker; a line typed into
  //    it, then its Redefine lens: virsh define on the host, seen in the log and in virsh dumpxml.
  await page.keyboard.press('Control+Shift+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('libvirt: Open Guest Definition', { delay: 5 });
  await page.waitForSelector('.quick-input-widget .monaco-list-row.focused:has-text("Open Guest Definition from Host")', {
    state: 'visible',
  });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.quick-input-widget .monaco-list-row:has-text("${GUEST}")`, { state: 'visible', timeout: 30000 });
  await page.keyboard.type(GUEST, { delay: 5 });
  await page.waitForSelector(`.quick-input-widget .monaco-list-row.focused:has-text("${GUEST}")`, { state: 'visible' });
  await page.keyboard.press('Enter');
  // titled as the workspace's file of that guest, which stays open beside it: a second tab of that name, active
  await until(
    'the definition in a second tab of that name',
    async () => (await page.locator(`.tab:has-text("${GUEST}.xml")`).count()) === 2 || undefined,
  );
  await page.waitForSelector(`.tab.active:has-text("${GUEST}.xml")`, { state: 'visible', timeout: 30000 });
  const redefine = `Redefine '${GUEST}' on '${HOST_NAME}'`;
  await until(`the lens "${redefine}"`, async () => (await lensesTitled(page, redefine)).some((e) => e.link), 60000);
  // at the end of the first line (<domain …>), a new line with a title, typed
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('<title>typed by a user</title>', { delay: 5 });
  await clickLens({ page, say }, redefine, 0, 1);
  const defined = await until(
    'the define in the extension log',
    () => /virsh -c qemu:\/\/\/session define --validate --file \/dev\/stdin → ok: [^\n]*/.exec(log())?.[0],
  );
  const redefined = dumpxml();
  check(/<title>typed by a user<\/title>/.test(redefined), `virsh dumpxml shows the typed title:\n${redefined}`);
  check(redefined.includes(GOOD_MAC), 'the attached VF is still in the definition');
  say(`user: Open Guest Definition, a typed <title>, the Redefine lens (${defined.trim()}); virsh dumpxml shows it`);

  // 5b. The same from the palette, with the keyboard only: another line typed, then Define Guest on Host.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('<description>defined from the palette</description>', { delay: 5 });
  const definesBefore = log().match(/define --validate --file \/dev\/stdin → ok/g)?.length ?? 0;
  await page.keyboard.press('Control+Shift+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('libvirt: Define Guest on Host', { delay: 5 });
  await page.waitForSelector('.quick-input-widget .monaco-list-row.focused:has-text("Define Guest on Host")', { state: 'visible' });
  await page.keyboard.press('Enter');
  await until('a second define in the extension log', () =>
    (log().match(/define --validate --file \/dev\/stdin → ok/g)?.length ?? 0) > definesBefore ? true : undefined,
  );
  check(/<description>defined from the palette<\/description>/.test(dumpxml()), 'virsh dumpxml shows the line defined from the palette');
  say('user: Define Guest on Host from the palette defines the edited document; virsh dumpxml shows it');

  // 5c. The <uuid> line deleted (found with Ctrl+F), Define Guest on Host again: the server asks about the
  //     document's error (uuid-taken: the name is the host guest's, so libvirt would refuse a new one), the
  //     user defines anyway, libvirt refuses in those words, and the error notification's Show Output
  //     opens the log at the refused virsh command.
  await page.keyboard.press('Control+f');
  await page.waitForSelector('.find-widget.visible textarea, .find-widget.visible input', { state: 'visible' });
  await page.keyboard.type('<uuid>', { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+K');
  await page.keyboard.press('Control+Shift+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('libvirt: Define Guest on Host', { delay: 5 });
  await page.waitForSelector('.quick-input-widget .monaco-list-row.focused:has-text("Define Guest on Host")', { state: 'visible' });
  await page.keyboard.press('Enter');
  // headless, the page has no window focus and VS Code keeps the toasts in the notification centre: opened there
  await page.keyboard.press('Control+Shift+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('Notifications: Show Notifications', { delay: 5 });
  await page.waitForSelector('.quick-input-widget .monaco-list-row.focused:has-text("Show Notifications")', { state: 'visible' });
  await page.keyboard.press('Enter');
  const question = page.locator('.notifications-center .notification-list-item', { hasText: 'No <uuid>, and the host has a guest' });
  await question.waitFor({ state: 'visible', timeout: 60000 });
  await question.locator('.monaco-button', { hasText: 'Define anyway' }).click();
  await until("libvirt's refusal in the define log", () =>
    /define --validate --file \/dev\/stdin → failed: [^\n]*already exists with uuid/.test(log()),
  );
  const item = page.locator('.notifications-center .notification-list-item', { hasText: 'already exists with uuid' });
  await item.waitFor({ state: 'visible', timeout: 20000 });
  check((await item.innerText()).includes('<uuid>'), `the refusal names the <uuid> to give: ${await item.innerText()}`);
  await item.locator('.monaco-button', { hasText: 'Show Output' }).click();
  await page.waitForSelector('.part.panel .view-lines:has-text("define --validate")', { state: 'visible', timeout: 20000 });
  check(dumpxml().includes('defined from the palette'), 'the refused define changed nothing on the host');
  say(
    "user: without <uuid> the define is asked about (uuid-taken); libvirt's refusal is an error notification whose Show Output opens the log",
  );

  // 6. Reading our settings left no warning in VS Code's log: every read names a scope (null: any resource)
  const hostLogs = hostLogFiles();
  check(hostLogs.length > 0, 'the extension host log is there to read');
  const unscoped = hostLogs
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .filter((l) => l.includes('without providing a resource') && l.includes('libvirtHostdev.'));
  check(unscoped.length === 0, `settings read without a scope:\n${unscoped.slice(0, 3).join('\n')}`);
  say('user: no "resource scoped configuration without providing a resource" warning for libvirtHostdev settings');
  return 0;
}
