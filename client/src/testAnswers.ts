// Scripted answers for the end-to-end suite. Modal dialogs cannot be clicked from an extension test,
// so each prompt first looks here. Only reachable when VS Code runs the extension in test mode
// (extensionTestsPath set → ExtensionMode.Test): activate() returns `{ testing }` only then.
// In normal use every queue stays empty and the real UI is shown.
import type { HostKeyDecision } from '../../shared/protocol';

export interface AnswerKinds {
  /** ConfirmHostKeyRequest */
  hostKey: HostKeyDecision;
  /** AskSecretRequest (null = cancel) */
  secret: string | null;
  /** "the device has errors": true = Attach anyway */
  attachAnyway: boolean;
  /** guest quick pick (a guest name, or null = cancel) */
  guest: string | null;
  /** running guest: true = --config --live */
  live: boolean;
  /** free-VF quick pick of Insert Interface (a PCI address) */
  vf: string;
  /** the diagnostic code quick pick of Show Diagnostic Code Documentation */
  code: string;
}

export type AnswerKind = keyof AnswerKinds;

/** A prompt that was answered from the script, for the suite to assert on (e.g. "the modal appeared"). */
export interface AnsweredPrompt {
  kind: AnswerKind;
  message: string;
  /** a modal's body, under its message */
  detail?: string;
}

export class TestAnswers {
  private readonly queues = new Map<AnswerKind, unknown[]>();
  readonly asked: AnsweredPrompt[] = [];

  push<K extends AnswerKind>(kind: K, ...answers: AnswerKinds[K][]): void {
    this.queues.set(kind, [...(this.queues.get(kind) ?? []), ...answers]);
  }

  clear(): void {
    this.queues.clear();
    this.asked.length = 0;
  }

  /** The next scripted answer, or `undefined` when the real UI must be shown. */
  take<K extends AnswerKind>(kind: K, message: string, detail?: string): { answer: AnswerKinds[K] } | undefined {
    const queue = this.queues.get(kind);
    if (!queue || queue.length === 0) return undefined;
    this.asked.push(detail === undefined ? { kind, message } : { kind, message, detail });
    return { answer: queue.shift() as AnswerKinds[K] };
  }
}
