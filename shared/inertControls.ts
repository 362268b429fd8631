// Text from a checked file or a host, made safe to print where a terminal (or an editor showing a
// report) would act on control characters. Imports nothing, so every layer may use it.

/**
 * Characters a terminal acts on instead of showing them: C0 controls, DEL and C1 (ESC starts colours,
 * titles, cursor moves). Text from a checked file never reaches the terminal with them raw.
 */
export const TERMINAL_CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/**
 * `text` with its terminal controls written out as `\x1b`, inert and visible; tab and line feed stay
 * (a message's lines are laid out by its format). For messages in the text and github formats.
 */
export function inertControls(text: string): string {
  if (!TERMINAL_CONTROL.test(text)) return text;
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * `text` on one line: its terminal controls inert (inertControls) and its line feeds and tabs written as
 * `\n` and `\t`. For a name from a host or a file inside one line of a report, a label or a menu, where a
 * line feed would forge a line and a tab end a field.
 */
export function inertLine(text: string): string {
  return inertControls(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** inertLine(`text`) cut to at most `max` characters, the cut marked with … (a label, a menu entry) */
export function inertLabel(text: string, max: number): string {
  const line = inertLine(text.trim());
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
