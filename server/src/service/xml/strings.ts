// Short strings cut out of the document (element and attribute names, short values such as 'pci',
// '0x0000', 'yes'), shared instead of allocated again. A 15,000-line domain repeats a few dozen
// names and values tens of thousands of times; the parsed tree is kept (one per open document), so
// every copy would be carried through the garbage collector's young generation, which was the
// largest single cost of validating a large document. A table belongs to one language service.

/** Direct-mapped: a colliding string simply replaces the older one; never grows. */
const TABLE_SIZE = 4096;
const NAME_TABLE_SIZE = 1024;
/**
 * V8 copies substrings shorter than 13 characters; longer ones are slices that keep the whole
 * document alive, which a table must not do (it outlives the document).
 */
const MAX_SHARED_LENGTH = 12;
/** internalizing costs about a microsecond: only for names that keep coming back */
const INTERNALIZE_AT = 4;

/**
 * A few characters make a good enough slot (`size` is a power of two): a collision only costs a
 * fresh substring. Hashing or comparing every character by hand cost more than the allocation it saves.
 */
function slotOf(text: string, start: number, end: number, size: number): number {
  const len = end - start;
  return (len * 7919 + text.charCodeAt(start) * 131 + text.charCodeAt(start + (len >> 1)) * 31 + text.charCodeAt(end - 1)) & (size - 1);
}

export class StringTable {
  private readonly values: string[] = new Array<string>(TABLE_SIZE).fill('');
  private readonly names: string[] = new Array<string>(NAME_TABLE_SIZE).fill('');
  /** how often names[slot] was asked for, counted up to INTERNALIZE_AT */
  private readonly sightings = new Uint8Array(NAME_TABLE_SIZE);

  /** text.substring(start, end), returning an earlier equal string when the table has one. */
  substring(text: string, start: number, end: number): string {
    const len = end - start;
    if (len > MAX_SHARED_LENGTH || len <= 0) return text.substring(start, end);
    const slot = slotOf(text, start, end, TABLE_SIZE);
    const cached = this.values[slot];
    if (cached.length === len && text.startsWith(cached, start)) return cached;
    const s = text.substring(start, end);
    this.values[slot] = s;
    return s;
  }

  /**
   * substring() for element and attribute names, which the model and the rules compare with
   * constants ('interface', 'address', 'bus', ...) tens of thousands of times per large document.
   * A name seen a few times is internalized (put in V8's table of unique strings, as property keys
   * are), and two internalized strings compare by pointer instead of character by character. Names
   * seen once or twice (a unique element's start and end tag) are not worth it.
   */
  name(text: string, start: number, end: number): string {
    return this.sharedName(text, start, end, 1);
  }

  /**
   * name() for a name that will be handed out many times without the table (the attribute names a
   * start tag is expected to repeat, xml/treeBuilder.ts): internalized from its first sighting.
   */
  keptName(text: string, start: number, end: number): string {
    return this.sharedName(text, start, end, INTERNALIZE_AT);
  }

  /** name() and keptName(): a sighting counts `weight` towards INTERNALIZE_AT */
  private sharedName(text: string, start: number, end: number, weight: number): string {
    const len = end - start;
    if (len > MAX_SHARED_LENGTH || len <= 0) return text.substring(start, end);
    const slot = slotOf(text, start, end, NAME_TABLE_SIZE);
    const names = this.names;
    const sightings = this.sightings;
    const cached = names[slot];
    if (cached.length === len && text.startsWith(cached, start)) {
      const seen = sightings[slot];
      if (seen < INTERNALIZE_AT) {
        const now = Math.min(INTERNALIZE_AT, seen + weight);
        sightings[slot] = now;
        if (now === INTERNALIZE_AT) names[slot] = internalized(cached);
      }
      return names[slot];
    }
    const s = text.substring(start, end);
    sightings[slot] = Math.min(INTERNALIZE_AT, weight);
    return (names[slot] = weight >= INTERNALIZE_AT ? internalized(s) : s);
  }
}

/** Property keys are internalized strings, and Object.keys hands back that very key. */
function internalized(s: string): string {
  return Object.keys({ [s]: true })[0];
}
