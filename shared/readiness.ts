// The host readiness checks (the SR-IOV guide's steps 1-8), as `libvirt-hostdev readiness` prints them
// and the editor's "Check Host Readiness" shows them. Imports nothing, so every layer may use it.

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface ReadinessCheck {
  /** the guide's step */
  step: number;
  /**
   * the check's own number in the report: the step ("5"), or the step and a letter ("1a", "1b") when
   * the step has several checks (IOMMU and interrupt remapping, free VFs and VF pools)
   */
  label: string;
  id: string;
  title: string;
  status: CheckStatus;
  /** one line per fact or fix */
  details: string[];
}
