// Small helpers shared by the CLI commands.
import { inertControls } from '../../../shared/inertControls';

/**
 * True when `value` carries `brand`. The CLI's entry (dist/cli.js) and each command bundle (dist/cli/*.js)
 * hold their own copy of the classes below, so an error made by one copy and tested by another is
 * recognised by a brand in the global symbol registry, not by its prototype.
 */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

const USAGE_ERROR = Symbol.for('libvirt-hostdev.cli.UsageError');

/** Bad command line: main prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  readonly [USAGE_ERROR] = true;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, USAGE_ERROR);
  }
}

export { plural } from '../../../shared/plural';

/**
 * An error as one line (exit-2 reasons are one line by contract), its terminal controls inert: it may
 * quote a file's name, a config's key or a host's stderr, and an ESC would reach the terminal.
 */
export function oneLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return inertControls(message.replace(/\s*\r?\n\s*/g, ' ').trim()) || 'unknown error';
}
