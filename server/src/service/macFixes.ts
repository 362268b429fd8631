// Quick fixes for MACs: a fresh one in place of a value libvirt would refuse, or a <mac> where the
// device has none. Fresh MACs avoid those the host's guests and this document already use, and those
// earlier fixes of the same request handed out.
import { freshMac } from './mac';
import { lineEnding, lineIndent, quoteOf } from './featureSupport';
import { attributeEdit, innermost, type FixEnv, type QuickFix } from './quickFix';
import type { DeviceModel } from './modelTypes';
import type { Problem, TextEdit } from './types';

function nextMac(env: FixEnv): string {
  const mac = freshMac(env.macs, env.ctx.random);
  env.macs.add(mac);
  return mac;
}

export function replaceMac(problem: Problem, device: DeviceModel | null, env: FixEnv): QuickFix[] {
  const mac = innermost(env, problem, 'mac') ?? device?.mac ?? null;
  if (!mac) return [];
  const fresh = nextMac(env);
  return [{ title: `Use fresh MAC ${fresh}`, edits: [attributeEdit(mac, 'address', fresh)], isPreferred: true }];
}

/** Inserts <mac address='…'/> as the device's first child, indented like its siblings. */
export function insertMac(_problem: Problem, device: DeviceModel | null, env: FixEnv): QuickFix[] {
  if (!device || device.element.selfClosing) return [];
  const { text } = env;
  const element = device.element;
  const q = quoteOf(element);
  const fresh = nextMac(env);
  // <mac type='static'/> without an address: complete it (a second <mac> would leave this one behind)
  if (device.mac)
    return [{ title: `Add address='${fresh}' to <mac>`, edits: [attributeEdit(device.mac, 'address', fresh)], isPreferred: true }];
  const mac = `<mac address=${q}${fresh}${q}/>`;
  const first = element.children[0];
  const firstIndent = first ? lineIndent(text, first.start) : null;
  const eol = lineEnding(text);
  let edit: TextEdit;
  if (first && firstIndent !== null) {
    const lineStart = first.start - firstIndent.length;
    edit = { span: { start: lineStart, end: lineStart }, newText: `${firstIndent}${mac}${eol}` };
  } else if (!first && element.endTagStart !== null && lineIndent(text, element.endTagStart) !== null) {
    const outer = lineIndent(text, element.start) ?? '';
    edit = { span: { start: element.startTagEnd, end: element.startTagEnd }, newText: `${eol}${outer}  ${mac}` };
  } else {
    edit = { span: { start: element.startTagEnd, end: element.startTagEnd }, newText: mac };
  }
  return [{ title: `Add <mac address='${fresh}'/>`, edits: [edit], isPreferred: true }];
}
