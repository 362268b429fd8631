// The CLI as a pipeline or a user's shell sees it, run in-process: main() with its two output
// streams captured and its exit code returned.
import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `libvirt-hostdev ...argv`; `io` overrides the working directory, stdin or environment. */
export async function runCli(argv: string[], io: Partial<CliIO> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    ...io,
  });
  return { code, stdout, stderr };
}
