// Quick fixes for memory sizes: a <hard_limit> below what libvirt locks for VFIO, and a size with
// blanks around it.
import { indexOf, removalSpan } from './featureSupport';
import { innermost, type Fixer, type QuickFix } from './quickFix';
import { guestsOf } from './rules/guests';
import { memlockNeed } from './rules/memlockLimit';
import { hostdevPoolNames } from './rules/networkInterface';
import { unitBytes } from './memorySize';
import { sizeWithoutBlanks } from './rules/memorySizes';
import { attr } from './xml/query';

/**
 * <hard_limit> raised to what libvirt locks for the guest's VFIO devices without one, written in the
 * element's own unit and rounded up; or removed, so that libvirt sizes the lock limit itself.
 */
export const raiseHardLimit: Fixer = (p, _d, env) => {
  const element = innermost(env, p, 'hard_limit');
  const domain = element?.parent?.parent ?? null;
  const guest = domain ? guestsOf(env.model).find((g) => g.domain === domain) : undefined;
  const need = guest ? memlockNeed(guest, env.text, hostdevPoolNames(indexOf(env.ctx))) : null;
  const unit = element ? (attr(element, 'unit')?.value ?? null) : null;
  const scale = unitBytes(unit);
  if (!element || !need || scale === null) return [];
  const value = (need.limitKiB * 1024n + scale - 1n) / scale;
  const fixes: QuickFix[] = [
    {
      title: `Raise hard_limit to ${value} ${unit || 'KiB'} (libvirt's figure for VFIO)`,
      edits: [{ span: p.span, newText: `${value}` }],
      isPreferred: true,
    },
  ];
  if (element.closed)
    fixes.push({
      title: 'Remove <hard_limit> (libvirt then sets the lock limit)',
      edits: [{ span: removalSpan(env.text, element), newText: '' }],
    });
  return fixes;
};

/** The size without the blanks around it (rules/memorySizes.ts says when that is its only fault). */
export const writeWithoutBlanks: Fixer = (p, _d, env) => {
  const value = sizeWithoutBlanks(env.text, p.span);
  return value === null ? [] : [{ title: `Write '${value}' without blanks`, edits: [{ span: p.span, newText: value }], isPreferred: true }];
};
