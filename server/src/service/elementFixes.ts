// Quick fixes that edit the device's elements: set an attribute libvirt needs, turn a virtualport
// into 802.1Qbh, keep one VLAN tag, remove an element QEMU refuses or ignores.
import { attributeRemovalSpan, removalSpan } from './featureSupport';
import { attributeEdit, innermost, type FixEnv, type QuickFix } from './quickFix';
import type { DeviceModel } from './modelTypes';
import type { Problem, TextEdit } from './types';
import { attr, attributeEnd, childElements, elementAt } from './xml/query';
import type { XmlElement } from './xml/types';

function setAttribute(element: XmlElement | null, name: string, value: string): QuickFix[] {
  if (!element) return [];
  return [{ title: `Set ${name}='${value}'`, edits: [attributeEdit(element, name, value)], isPreferred: true }];
}

/**
 * type='802.1Qbh', and off its <parameters> go the ones 802.1Qbh does not take (managerid, typeid,
 * interfaceid, …): virNetDevVPortProfileCheckNoExtras would reject them at define. A profileid stays;
 * when there is none, virtualport-parameters keeps saying one is needed (only the user knows it).
 */
export function toQbh(virtualport: XmlElement | null, text: string): QuickFix[] {
  if (!virtualport) return [];
  const edits = [attributeEdit(virtualport, 'type', '802.1Qbh')];
  for (const parameters of childElements(virtualport, 'parameters')) {
    for (const a of parameters.attributes) {
      if (a.name === 'profileid') continue;
      edits.push({ span: attributeRemovalSpan(text, a), newText: '' });
    }
  }
  const dropped = edits.length > 1 ? ' and drop the parameters it does not take' : '';
  return [{ title: `Set type='802.1Qbh'${dropped}`, edits, isPreferred: true }];
}

// An element without its end tag (closed=false) ends where recovery closed it, which may take the
// following siblings along: removing it would delete text the user did not point at, so no fix.
export function removeVlanOrVirtualport(_problem: Problem, device: DeviceModel | null, env: FixEnv): QuickFix[] {
  if (!device) return [];
  const fixes: QuickFix[] = [];
  if (device.vlan && device.vlan.closed)
    fixes.push({ title: 'Remove <vlan>', edits: [{ span: removalSpan(env.text, device.vlan), newText: '' }] });
  if (device.virtualport && device.virtualport.closed)
    fixes.push({ title: 'Remove <virtualport>', edits: [{ span: removalSpan(env.text, device.virtualport), newText: '' }] });
  return fixes;
}

/** libvirt programs only one tag on a VF (virNetDevSetNetConfig): keep the first, drop the rest and trunk. */
export function keepFirstTag(problem: Problem, device: DeviceModel | null, env: FixEnv): QuickFix[] {
  const vlan = device?.vlan ?? innermost(env, problem, 'vlan');
  if (!vlan) return [];
  const tags = childElements(vlan, 'tag');
  if (tags.slice(1).some((t) => !t.closed)) return [];
  const edits: TextEdit[] = tags.slice(1).map((t) => ({ span: removalSpan(env.text, t), newText: '' }));
  const trunk = attr(vlan, 'trunk');
  if (trunk) edits.push({ span: attributeRemovalSpan(env.text, trunk), newText: '' });
  if (edits.length === 0) return [];
  const id = tags[0] ? attr(tags[0], 'id')?.value : null;
  return [{ title: id ? `Keep only VLAN tag ${id}` : 'Keep only the first VLAN tag', edits, isPreferred: true }];
}

export function removeElement(problem: Problem, device: DeviceModel | null, env: FixEnv): QuickFix[] {
  if (!device) return [];
  // The element to remove is the device's direct child that holds the problem (e.g. <port> for port isolated),
  // looked for from the device down: the device itself may sit thousands of elements deep
  const inner = elementAt(device.element.children, problem.span.start);
  let child = inner;
  while (child && child.parent !== device.element) child = child.parent;
  if (!inner || !child || !child.closed) return [];
  // but <source> holds the VF's address: only what the problem names goes (a host-side <ip> or <route>,
  // writeFiltering), or define fails for want of a source address
  if (child.name === 'source') return removeNamed(problem, inner, env.text);
  return [{ title: `Remove <${child.name}>`, edits: [{ span: removalSpan(env.text, child), newText: '' }], isPreferred: true }];
}

/** Removes the element whose name `problem` points at, or the attribute it points at, in `element` (the innermost at its start). */
function removeNamed(problem: Problem, element: XmlElement, text: string): QuickFix[] {
  if (element.nameSpan.start === problem.span.start && element.closed)
    return [{ title: `Remove <${element.name}>`, edits: [{ span: removalSpan(text, element), newText: '' }], isPreferred: true }];
  const attribute = element.attributes.find((a) => a.nameSpan.start <= problem.span.start && problem.span.end <= attributeEnd(a));
  if (!attribute) return [];
  return [{ title: `Remove ${attribute.name}`, edits: [{ span: attributeRemovalSpan(text, attribute), newText: '' }], isPreferred: true }];
}

/**
 * driver-name: name='vfio' for a driver name QEMU refuses; a virtio option (iommu, ats, packed,
 * page_per_vq) on a VF's <driver> is removed, since no name makes QEMU take it.
 */
export function fixDriver(problem: Problem, driver: XmlElement | null, text: string): QuickFix[] {
  if (!driver) return [];
  const onName = driver.attributes.some(
    (a) => a.name === 'name' && a.nameSpan.start <= problem.span.start && problem.span.end <= attributeEnd(a),
  );
  return onName || problem.span.start === driver.nameSpan.start ? setAttribute(driver, 'name', 'vfio') : removeNamed(problem, driver, text);
}
