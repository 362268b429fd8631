// Where a user's JSON file (a project config, an inventory snapshot) is broken, as FILE:LINE:COLUMN,
// from JSON.parse's error whatever Node's version says. V8 words it three ways:
//   "Expected ',' or '}' after property value in JSON at position 7"               (Node 20)
//   "… in JSON at position 7 (line 2 column 1)"                                    (Node 22, 24)
//   "Unexpected token 'x', "…" is not valid JSON", "Unexpected end of JSON input"  (every version: no position)
// The position is the one number all of them can give, so line and column are computed from it here
// (the same on every version, and as the editor counts lines).
import { LineTable } from './xml/lines';

/** A user's JSON file that JSON.parse refused; the message is jsonSyntaxMessage's line. */
export class JsonSyntaxError extends Error {}

/**
 * A user's JSON file (project config, inventory snapshot) as editors read it: a leading UTF-8
 * byte-order mark, which editors on Windows write, is not part of the JSON. Throws JsonSyntaxError.
 */
export function parseJsonFile(text: string, source: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new JsonSyntaxError(jsonSyntaxMessage(source, json, e));
  }
}

const POSITION = / in JSON at position (\d+)/;
const END_OF_INPUT = 'Unexpected end of JSON input';

/**
 * JSON.parse's complaint about `text` as one line: `source:LINE:COLUMN: bad JSON: reason`, the
 * reason without V8's position and its copy of the text.
 */
export function jsonSyntaxMessage(source: string, text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const { line, character } = new LineTable(text).positionAt(errorOffset(text, message));
  const reason = message
    .replace(/ in JSON at position \d+[^]*$/, '')
    .replace(/, (?:\.\.\.)?"[^]*"(?:\.\.\.)? is not valid JSON$/, '')
    .replace(/\s*\r?\n\s*/g, ' ');
  return `${source}:${line + 1}:${character + 1}: bad JSON: ${reason}`;
}

function errorOffset(text: string, message: string): number {
  const at = POSITION.exec(message);
  if (at) return Number(at[1]);
  // only whitespace follows the last token: point just after it rather than at a blank last line
  if (message.startsWith(END_OF_INPUT)) return text.trimEnd().length;
  return unexpectedTokenOffset(text);
}

/**
 * "Unexpected token" never says where. JSON.parse reads left to right and fails at the first character
 * that cannot continue the text, so a prefix that ends before that character fails only for ending
 * (the end-of-input message, or a position at its end) or parses, and every longer prefix fails
 * before its end: the shortest such prefix ends with the bad character, found in log2(length) parses.
 */
function unexpectedTokenOffset(text: string): number {
  const failsInside = (length: number): boolean => {
    const prefix = text.slice(0, length);
    try {
      JSON.parse(prefix);
      return false;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const at = POSITION.exec(message);
      return at ? Number(at[1]) < length : !message.startsWith(END_OF_INPUT);
    }
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}
