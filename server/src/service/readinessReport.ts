// The readiness checks as text, laid out like virt-host-validate's report: `libvirt-hostdev readiness`
// prints it and the editor's "Check Host Readiness" shows it.
import { inertLine } from '../../../shared/inertControls';
import { quotedName } from '../../../shared/quotedName';
import type { ReadinessCheck } from '../../../shared/readiness';

export interface ReportLayout {
  /** a line under the title saying when the host was read ("taken 3 min ago") */
  readAt?: string;
  /**
   * each check's status before its title (`PASS  1a. IOMMU enabled`), for an editor, whose window is often
   * narrower than the report; else after it, padded to one column, as virt-host-validate prints
   */
  statusFirst?: boolean;
}

/** The report of `host`'s checks. */
export function readinessReport(host: string, checks: readonly ReadinessCheck[], layout: ReportLayout = {}): string {
  const width = Math.max(...checks.map((c) => c.label.length + c.title.length)) + 7;
  const lines = [`Readiness of ${inertLine(quotedName(host))} for SR-IOV VF assignment:`];
  if (layout.readAt !== undefined) lines.push(`(inventory ${inertLine(layout.readAt)})`);
  if (layout.statusFirst) lines.push('');
  for (const c of checks) {
    const status = c.status.toUpperCase();
    lines.push(layout.statusFirst ? `${status}  ${c.label}. ${c.title}` : `${`  ${c.label}. ${c.title}`.padEnd(width)}: ${status}`);
    for (const d of c.details) lines.push(`${layout.statusFirst ? '         ' : '       '}${inertLine(d)}`);
  }
  return lines.join('\n') + '\n';
}
