// Configuration read from ranked directories, where a file hides the files of its name in the
// directories after its own, and an empty file or a link to /dev/null masks the name: kmod's modprobe.d
// (modprobe.d(5)) and systemd's network directories (systemd.link(5)).

/** The script's content for a file that is there and has no line to send (empty, a link to /dev/null or to nothing): it masks its name. */
export const MASKED = 'masked';

/**
 * Of `files` (paths relative to /), the one read under each name (`nameOf`): the one in the first of
 * `dirs` (path prefixes, in their rank). name → file.
 */
export function firstOfEachName(files: Iterable<string>, dirs: readonly string[], nameOf: (file: string) => string): Map<string, string> {
  const rank = (file: string): number => {
    const i = dirs.findIndex((d) => file.startsWith(d));
    return i < 0 ? dirs.length : i;
  };
  const first = new Map<string, string>();
  for (const file of files) {
    const name = nameOf(file);
    const held = first.get(name);
    if (held === undefined || rank(file) < rank(held)) first.set(name, file);
  }
  return first;
}

/** A file's name: what hides it in another directory. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** The order kmod and systemd read the files of several directories in: by name, byte by byte (strcmp). */
export function byName(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
