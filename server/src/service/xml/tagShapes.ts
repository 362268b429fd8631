// What the ordinary start tags of a document looked like so far, to read the next ones with less
// work. A large document repeats a few tag shapes thousands of times: <address type='pci'
// domain='0x0000' bus=… slot=… function=…/> after <source>, <mac address=…/> after <interface>. The
// tree builder compares the text with the name and attributes expected there, one call each, where
// looking each string up in the string table is several: the first parse of a document runs before V8
// optimizes anything, when every call and property access costs.
import type { StringTable } from './strings';
import { GT, SLASH, SPACE } from './chars';

/**
 * One attribute of the last start tag of a name, as written there: at the same position in the next
 * tag of that name it is compared with the text in one call, where reading it costs several.
 */
export class AttributeShape {
  /** the value (undefined when it needed decoding: only a value written exactly as it is read can be expected as written) */
  value: string | undefined = undefined;
  /**
   * The whole attribute as written, from the whitespace before its name to its closing quote, while
   * its value was the same in the last two tags (undefined otherwise: a value that keeps changing,
   * like a bus number, would cost a failed comparison and a fresh string every time).
   */
  whole: string | undefined = undefined;

  constructor(
    /** the name, internalized */
    readonly name: string,
    /** from the whitespace before the name to the opening quote: ` bus='` */
    readonly prefix: string,
    /** AttributeTable flags of the attribute: its quote, closed, COMPACT (nodes.ts) */
    readonly flags: number,
  ) {}
}

export class TagShape {
  /** the shape of the ordinary start tag that followed one of this shape last time (null: none yet) */
  next: TagShape | null = null;
  /**
   * The one that followed before `next` (null: none): an element that ends its parent's children
   * (an <address> in <source>) and one that does not (an <address> in <interface>) share a name.
   */
  nextBefore: TagShape | null = null;
  /** the attributes of the last start tag of this name, in order */
  readonly attributes: AttributeShape[] = [];
  /**
   * How many of `attributes`, from the first, are known to have names that differ from each other: a
   * tag whose attributes all are those of the shape repeats a name only past them.
   */
  distinctNames = 0;

  constructor(readonly name: string) {}

  /** the attribute at `position` of the next tags is expected to be `attribute` */
  setAttribute(position: number, attribute: AttributeShape): void {
    this.attributes[position] = attribute;
    if (position < this.distinctNames) this.distinctNames = position;
  }

  /**
   * Two of the first `count` attributes have the same name. Counted on from distinctNames, as far as
   * `count` only: a tag with few attributes costs as little after one with thousands.
   */
  repeatsName(count: number): boolean {
    const attributes = this.attributes;
    for (let n = this.distinctNames; n < count; n++) {
      const name = attributes[n].name;
      for (let j = 0; j < n; j++) if (attributes[j].name === name) return true;
      this.distinctNames = n + 1;
    }
    return false;
  }
}

/** The shapes of one parse: one per element name. */
export class TagShapes {
  private readonly byName = new Map<string, TagShape>();
  /** the shape of the last ordinary start tag (null after any other start tag) */
  last: TagShape | null = null;

  constructor(
    private readonly text: string,
    private readonly strings: StringTable,
  ) {}

  /** the start tag whose '<' is at `lt` has the name of `shape` (followed by whitespace or the tag's end) */
  isNamed(shape: TagShape, lt: number): boolean {
    const text = this.text;
    if (!text.startsWith(shape.name, lt + 1)) return false;
    const c = text.charCodeAt(lt + 1 + shape.name.length);
    // a longer name, or another whitespace than ' ', is left to the tree builder's reading of names
    return c === SPACE || c === GT || c === SLASH;
  }

  /**
   * The shape of the start tag whose name is text[nameStart, nameEnd), which becomes `last`: the one
   * that followed `last` last time when the name is the same, else the name's own.
   */
  of(nameStart: number, nameEnd: number): TagShape {
    const last = this.last;
    const expected = last === null ? null : last.next;
    const text = this.text;
    let shape: TagShape;
    if (expected !== null && expected.name.length === nameEnd - nameStart && text.startsWith(expected.name, nameStart)) shape = expected;
    else {
      // internalized at once: the name is handed out again for every tag of this shape
      const name = this.strings.keptName(text, nameStart, nameEnd);
      const known = this.byName.get(name);
      if (known === undefined) this.byName.set(name, (shape = new TagShape(name)));
      else shape = known;
      if (last !== null && last.next !== shape) {
        last.nextBefore = last.next;
        last.next = shape;
      }
    }
    this.last = shape;
    return shape;
  }
}
