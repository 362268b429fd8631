// Server → client requests: the server does SSH, the user answers here.
// Host keys the user remembers are written by the server into knownHostsFile (global storage);
// secrets go to SecretStorage only when the user asks, and never into settings or logs.
import * as vscode from 'vscode';
import type { AskSecretParams, AskSecretResult, ConfirmHostKeyParams, HostKeyDecision } from '../../shared/protocol';
import { hostKeyPromptText } from './hostKeyText';
import { storedSecretUsable } from './secretPolicy';
import type { TestAnswers } from './testAnswers';
import { notify, askModal } from './notify';
import { inertIcons } from './inertIcons';
import { inertLinks } from '../../shared/inertLinks';

/** The server has logged the key it asks about (to this output channel too): the answer alone is asked here. */
export async function confirmHostKey(p: ConfirmHostKeyParams, answers: TestAnswers): Promise<HostKeyDecision> {
  const { message, detail } = hostKeyPromptText(p);
  const scripted = answers.take('hostKey', message);
  if (scripted) return scripted.answer;
  const once = 'Accept once';
  const remember = 'Accept and remember';
  const choice = await askModal('warning', message, detail, once, remember);
  if (choice === remember) return 'remember';
  return choice === once ? 'once' : 'cancel';
}

export class SecretPrompter {
  /** keys already answered from SecretStorage in this session: if the server asks again, the stored one was wrong */
  private readonly triedStored = new Set<string>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly answers: TestAnswers,
  ) {}

  async ask(p: AskSecretParams): Promise<AskSecretResult> {
    const scripted = this.answers.take('secret', p.prompt);
    if (scripted) return { value: scripted.answer };
    // Only secrets with a stable key are ever stored (never keyboard-interactive answers).
    const key = p.key === undefined ? null : `libvirtHostdev.${p.kind}:${p.key}`;
    if (key && storedSecretUsable(p, this.triedStored.has(key))) {
      const stored = await this.secrets.get(key);
      if (stored !== undefined) {
        this.triedStored.add(key);
        return { value: stored };
      }
    }
    const value = await vscode.window.showInputBox({
      title: p.kind === 'passphrase' ? 'SSH key passphrase' : 'SSH password',
      // an SSH server's own words (keyboard-interactive name, instructions, prompt): links and icons inert
      prompt: inertIcons(inertLinks(p.prompt)),
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return { value: null };
    if (key) void this.offerToRemember(key, p.kind, value);
    return { value };
  }

  /** Not awaited: the connection goes on while the user decides. */
  private async offerToRemember(key: string, kind: string, value: string): Promise<void> {
    const choice = await notify('information', `Remember this ${kind} in VS Code's Secret Storage?`, 'Remember', 'Not now');
    if (choice === 'Remember') {
      await this.secrets.store(key, value);
      this.triedStored.delete(key);
    } else {
      await this.secrets.delete(key);
    }
  }
}
