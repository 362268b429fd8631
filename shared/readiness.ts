// The host readiness checks (the SR-IOV guide's steps 1-8), as `libvirt-hostdev readiness` prints them
// and the editor's "Check Host Readiness" shows them. Imports nothing, so every layer may use it.

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface ReadinessCheck {
  /** the guide's step */
  step: number;
  id: string;
  title: string;
  status: CheckStatus;
  /** one line per fact or fix */
  details: string[];
}
