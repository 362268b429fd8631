// What the unknown-host-key prompt says (prompts.ts). No vscode import: unit-tested in plain node.
import { hostAddress } from '../../shared/hostAddress';
import type { ConfirmHostKeyParams } from '../../shared/protocol';

export function hostKeyPromptText(p: ConfirmHostKeyParams): { message: string; detail: string } {
  const where = hostAddress(p.host, p.port);
  // ssh(1) warns the same way: a host that suddenly shows a key of a new type may be an impostor
  // that has no key of the known type to show.
  const other = p.otherKnownTypes?.length
    ? `, but keys of different type (${p.otherKnownTypes.join(', ')}) are already known for this host`
    : '';
  return {
    message: `The authenticity of host '${where}' can't be established${other}.`,
    detail: `${p.keyType} key fingerprint is ${p.fingerprint}.\nCompare it with what "ssh-keygen -lf" prints on the host before accepting.`,
  };
}
