// A guest's persistent definition before and after a change, as the unified diff `attach --print-diff`
// and `define --print-diff` print (`after` names what the second text is when it is not the host's).
import { createTwoFilesPatch } from 'diff';

export function definitionDiff(guest: string, before: string, after: string, afterLabel = 'after'): string {
  return createTwoFilesPatch(`${guest} (before)`, `${guest} (${afterLabel})`, before, after, undefined, undefined, { context: 3 });
}
