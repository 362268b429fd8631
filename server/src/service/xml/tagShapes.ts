// What the ordinary start tags of a document looked like so far, to read the next ones with less
// work. A large document repeats a few tag shapes thousands of times: <address type='pci'
// domain='0x0000' bus=… slot=… function=…/> after <source>, <mac address=…/> after <interface>. The
// tree builder compares the text with the name and attributes expected there, one call each, where
// looking each string up in the string table is several: the first parse of a document runs before V8
// optimizes anything, when every call and property access costs.
import type { StringTable } from './strings';

export class TagShape {
  /** the shape of the ordinary start tag that followed one of this shape last time (null: none yet) */
  next: TagShape | null = null;
  /**
   * The attributes of the last start tag of this name, in order: name, then value (undefined when it
   * needed decoding: only a value written exactly as it is read can be expected as written).
   */
  readonly attributes: (string | undefined)[] = [];

  constructor(readonly name: string) {}
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
      if (last !== null) last.next = shape;
    }
    this.last = shape;
    return shape;
  }
}
