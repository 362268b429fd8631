// A guest's persistent definition before and after a change, as the unified diff `attach --print-diff`
// and `define --print-diff` print (`after` names what the second text is when it is not the host's).
import { createTwoFilesPatch } from 'diff';
import { inertControls, inertLine } from '../../../shared/inertControls';

export function definitionDiff(guest: string, before: string, after: string, afterLabel = 'after'): string {
  // the host's definition and the guest's name are the host's words: their terminal controls are shown inert
  return inertControls(
    createTwoFilesPatch(`${inertLine(guest)} (before)`, `${inertLine(guest)} (${afterLabel})`, before, after, undefined, undefined, {
      context: 3,
    }),
  );
}
