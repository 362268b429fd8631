// Quick fixes for the diagnostics the client sends back. Each fixer finds the element the
// problem is about from the problem's span (the rules report the narrowest span: an attribute
// value, an element name) and returns plain text edits. This module picks the fixer for each
// problem's code; each family of fixes has its own *Fixes module.
import { closeStartTag } from './syntaxFixes';
import { deviceContaining, indexOf, overlaps, takenMacs } from './featureSupport';
import { attr, childElements } from './xml/query';
import type { DocumentModel } from './modelTypes';
import type { CodeActionResult, DiagnosticCode, Problem, ServiceContext, Span } from './types';
import { freePoolFixes, isNetworkSource, portgroupFixes, restorePortgroupFixes } from './pools';
import { portgroupsInUse, portgroupVlanChanges } from './rules/networkGuests';
import { StartTags, attributeEdit, elementAtProblem, innermost, type FixEnv, type Fixer, type QuickFix } from './quickFix';
import { CommentSpans, disableForLine, useNearestCode } from './suppressionFixes';
import { LineTable } from './xml/lines';
import { guestOf } from './rules/guests';
import { insertMac, replaceMac } from './macFixes';
import { rewriteHex } from './pciNumberFixes';
import { useFreeVf } from './freeVfFixes';
import { fixDriver, keepFirstTag, removeElement, removeVlanOrVirtualport, toQbh } from './elementFixes';
import { raiseHardLimit, writeWithoutBlanks } from './memoryFixes';
import { giveHostUuid } from './uuidFixes';

/**
 * The most problems one request answers, each once. An editor asks about the cursor's line or a
 * selection, a few problems; a selection of a whole large document has thousands. Past this many the
 * answer (a fix and a disable comment for each) would only grow, whatever a client sends.
 */
export const MAX_PROBLEMS_PER_REQUEST = 10_000;

export function codeActions(model: DocumentModel, range: Span, problems: Problem[], ctx: ServiceContext = {}): CodeActionResult[] {
  const env: FixEnv = { text: model.text, model, ctx, macs: takenMacs(model, ctx), startTags: new StartTags(model) };
  const lines = new LineTable(model.text);
  const comments = new CommentSpans(model.text);
  const results: CodeActionResult[] = [];
  const add = (problem: Problem, fix: QuickFix, suppression = false): void => {
    results.push({
      title: fix.title,
      kind: 'quickfix',
      fixes: [problem.code],
      diagnosticSpan: problem.span,
      edits: fix.edits,
      ...(fix.isPreferred ? { isPreferred: true } : {}),
      ...(suppression ? { suppression: true } : {}),
    });
  };
  const disables: [Problem, QuickFix][] = [];
  for (const problem of answered(problems, range)) {
    const fixer = FIXERS[problem.code];
    if (fixer) for (const fix of fixer(problem, deviceContaining(model, problem.span.start), env)) add(problem, fix);
    const disable = disableForLine(problem, env, lines, comments);
    if (disable) disables.push([problem, disable]);
  }
  // after every fix: taking a problem off the line is the last resort
  for (const [problem, fix] of disables) add(problem, fix, true);
  return results;
}

/** The problems in `range`, each once (a repeated one would repeat its fixes), at most MAX_PROBLEMS_PER_REQUEST. */
function answered(problems: readonly Problem[], range: Span): Problem[] {
  const seen = new Set<string>();
  const kept: Problem[] = [];
  for (const p of problems) {
    if (kept.length >= MAX_PROBLEMS_PER_REQUEST) break;
    if (!overlaps(p.span, range)) continue;
    const key = problemKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(p);
  }
  return kept;
}

/** What tells two problems apart: the code and span, and the message (two findings of one code may share a span). */
function problemKey(p: Problem): string {
  return `${p.code} ${p.span.start} ${p.span.end} ${p.message}`;
}

/** The codes some quick fix answers (the catalog's `fixable` column is checked against it). */
export function fixableCodes(): DiagnosticCode[] {
  return Object.keys(FIXERS) as DiagnosticCode[];
}

/** Another pool for a network name that cannot serve the interface (unknown, inactive, no free VF). */
const useFreePool: Fixer = (p, _d, env) => {
  const index = indexOf(env.ctx);
  const element = elementAtProblem(env, p);
  if (!index || !element) return [];
  return freePoolFixes(index, env.text.slice(p.span.start, p.span.end), guestOf(env.model, element), p.span);
};

/** The network's own portgroups for one it does not define. */
const useKnownPortgroup: Fixer = (p, _d, env) => {
  const source = elementAtProblem(env, p);
  const index = indexOf(env.ctx);
  if (!index || !source || !isNetworkSource(source)) return [];
  const name = attr(source, 'network')?.value ?? null;
  return portgroupFixes(
    index.inventory.networks.find((n) => n.name === name),
    p.span,
  );
};

/** The portgroup a network definition lacks while guests use it, added (or made the default) as the host has it. */
const restorePortgroup: Fixer = (p, _d, env) => {
  const index = indexOf(env.ctx);
  const network = env.model.network;
  if (!index || !network) return [];
  const finding = portgroupsInUse(env.model, index).find((f) => f.message === p.message);
  return finding ? restorePortgroupFixes(finding, network, env.text) : [];
};

/**
 * The host's tag back in a portgroup's own <vlan> that gives guests another one. Not where the tags come
 * from the network's own <vlan>: that one also tags every other port of the network.
 */
const keepHostVlan: Fixer = (p, _d, env) => {
  const index = indexOf(env.ctx);
  if (!index) return [];
  const finding = portgroupVlanChanges(env.model, index).find((f) => f.message === p.message && f.span.start === p.span.start);
  const vlan = finding?.vlan;
  if (!finding || !vlan || vlan.parent?.name !== 'portgroup' || finding.hostTags.length !== 1) return [];
  const tags = childElements(vlan, 'tag');
  if (tags.length !== 1) return [];
  const id = String(finding.hostTags[0]);
  // not preferred: the move may be what the definition is for
  return [{ title: `Keep VLAN ${id}, as the host's network has it`, edits: [attributeEdit(tags[0], 'id', id)] }];
};

const FIXERS: Partial<Record<DiagnosticCode, Fixer>> = {
  'disable-comment': useNearestCode,
  'network-unknown': useFreePool,
  'network-inactive': useFreePool,
  'network-pool-exhausted': useFreePool,
  'network-portgroup': useKnownPortgroup,
  'portgroup-in-use': restorePortgroup,
  'portgroup-vlan-changed': keepHostVlan,
  'memlock-limit': raiseHardLimit,
  'memory-size': writeWithoutBlanks,
  'xml-syntax': (p, _d, env) => closeStartTag(p, env.model, env.startTags),
  'mac-syntax': replaceMac,
  'mac-multicast': replaceMac,
  'mac-zero': replaceMac,
  'mac-missing': insertMac,
  'pci-decimal': rewriteHex,
  'pci-octal': rewriteHex,
  'vlan-virtualport': removeVlanOrVirtualport,
  'vlan-trunk': keepFirstTag,
  'virtualport-type': (p, d, env) => toQbh(d?.virtualport ?? innermost(env, p, 'virtualport'), env.text),
  'driver-name': (p, d, env) => fixDriver(p, d?.driver ?? innermost(env, p, 'driver'), env.text),
  'element-unsupported': removeElement,
  'element-ignored': removeElement,
  'pci-unknown': useFreeVf,
  'pci-duplicate': useFreeVf,
  'pci-not-vf': useFreeVf,
  'vf-in-use': useFreeVf,
  'vf-in-network': useFreeVf,
  'uuid-taken': giveHostUuid,
};
