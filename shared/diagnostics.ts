// The `source` of every diagnostic the server publishes: the client tells ours from other
// extensions' by it (attach refuses a device with our errors). Imports nothing.
export const DIAGNOSTIC_SOURCE = 'libvirt-hostdev';

/**
 * The line the server adds when a document has more problems than it sends the editor
 * (lsp/diagnosticBudget.ts): the client's attach then knows that a device's errors may be among those
 * not shown.
 */
export function notShownMessage(notShown: number, budget: number, total: number): string {
  const n = (count: number): string => count.toLocaleString('en-US');
  return `${n(notShown)} more ${notShown === 1 ? 'problem is' : 'problems are'} not shown: the editor gets ${n(budget)} lines per document, this one and the first problems, errors first; \`libvirt-hostdev check\` lists all ${n(total)}`;
}

/** whether a diagnostic's message is notShownMessage()'s */
export function isNotShownMessage(message: string): boolean {
  return /^[\d,]+ more problems? (is|are) not shown: the editor gets [\d,]+ lines per document/.test(message);
}
