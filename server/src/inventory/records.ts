// Splits the inventory script's output (inventory/script.ts) into records and raw blocks.
// A line is a record only when it starts with the run's boundary token and a space; every other
// line belongs to the raw body of the record before it. The token is random per run, so data
// (guest names, XML, file contents) cannot forge a record.

export interface OutputRecord {
  /** first word after the token: dev, vendor, begin, live, … */
  tag: string;
  /** words after the tag (split on single spaces; sysfs values and ifnames never hold spaces) */
  args: string[];
  /** raw lines that followed this record, up to the next record */
  body: string[];
}

export function splitRecords(stdout: string, boundary: string): OutputRecord[] {
  const prefix = boundary + ' ';
  const records: OutputRecord[] = [];
  let current: OutputRecord | null = null;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(prefix)) {
      const words = line.slice(prefix.length).replace(/\r$/, '').split(' ');
      current = { tag: words[0], args: words.slice(1), body: [] };
      records.push(current);
    } else if (current) {
      current.body.push(line);
    }
    // Lines before the first record (a login banner from the remote shell rc files) are noise.
  }
  return records;
}

/** The raw text of a record's body (trailing blank lines dropped). */
export function bodyText(record: OutputRecord): string {
  const lines = record.body.slice();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.join('\n');
}
