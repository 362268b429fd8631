// The FILE of attach, detach and the net-* commands: read and decoded, or refused before anything
// reaches the host, with the reason on stderr.
import { FileTooLarge, readBoundedFileSync } from '../../../shared/boundedFile';
import { documentSizeProblem } from '../service/index';
import { formatProblem } from './hostCommands';
import { MAX_SOURCE_BYTES, overLimit } from './inputs';
import { cannotRead, type CliIO } from './io';
import { decodeText } from './sourceBytes';

/**
 * The text of `file`, or the exit code of a refusal. A sequence that is not UTF-8 is refused even with
 * --force: libvirt refuses the file as written, and the text here has U+FFFD in its place, so what
 * would be sent is not the file.
 */
export function readDocumentFile(file: string, io: CliIO): { text: string } | { exitCode: number } {
  let bytes: Buffer;
  try {
    bytes = readBoundedFileSync(file, MAX_SOURCE_BYTES);
  } catch (e) {
    if (e instanceof FileTooLarge) {
      // check's document-size error, and its exit code for a file it does not read
      io.stderr(formatProblem(file, '', documentSizeProblem(e.size, { start: 0, end: 0 })));
      io.stderr(`libvirt-hostdev: ${file}: ${overLimit(e.size)}: nothing sent to libvirt\n`);
    } else io.stderr(`libvirt-hostdev: ${cannotRead(file, e)}\n`);
    return { exitCode: 2 };
  }
  const { text, binaryAt, encodingError } = decodeText(bytes);
  if (binaryAt !== null) {
    io.stderr(`libvirt-hostdev: ${file} is not a text file (NUL byte at offset ${binaryAt})\n`);
    return { exitCode: 2 };
  }
  if (encodingError) {
    io.stderr(formatProblem(file, text, encodingError));
    io.stderr(`libvirt-hostdev: ${file} is not UTF-8; nothing sent to libvirt, even with --force (save the file as UTF-8)\n`);
    return { exitCode: 1 };
  }
  return { text };
}
