// How many open elements (the tree's current element and its ancestors) have each name. TreeBuilder
// keeps it from the first end tag that does not close the current element on: a stray end tag is then
// rejected without walking the ancestors, which would be quadratic for deep documents. Only from then
// on: nearly every document closes each element with its own end tag, and two map updates per element
// were a measurable share of a first parse.
import type { XmlElement } from './types';

export class OpenNames {
  private readonly counts = new Map<string, number>();

  /** counted from `current` and its ancestors */
  constructor(current: XmlElement | null) {
    for (let el = current; el; el = el.parent) this.opened(el.name);
  }

  opened(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  closed(name: string): void {
    this.counts.set(name, this.counts.get(name)! - 1);
  }

  has(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 0;
  }
}
