// Error-tolerant XML tokenizer: a state machine over the document string that yields
// offset/length tokens (in the manner of vscode-html-languageservice's htmlScanner).
// It never throws and never looks back: every scan() consumes at least one character
// or returns EOS, so a whole document is tokenized in linear time. Comments, CDATA,
// processing instructions and DOCTYPE are single tokens, so markup inside them is never
// seen as elements. Malformed input yields a token with getTokenError() set; the parser
// turns those into 'xml-syntax' problems.
import { BANG, DQ, EQ, GT, LBRACKET, LT, QM, RBRACKET, SLASH, SQ, isWhitespace } from './chars';

export enum TokenType {
  /** '<' that starts a start tag (always followed by a StartTag name token) */
  StartTagOpen,
  /** element name in a start tag */
  StartTag,
  AttributeName,
  /** '=' between an attribute name and its value */
  DelimiterAssign,
  /** attribute value including its quotes (quotes may be missing: see getTokenError) */
  AttributeValue,
  /** '>' of a start tag */
  StartTagClose,
  /** '/>' of a start tag */
  StartTagSelfClose,
  /** '</' */
  EndTagOpen,
  /** element name in an end tag */
  EndTag,
  /** '>' of an end tag */
  EndTagClose,
  /** character data between markup, up to the next '<' */
  Content,
  /** whole '<!-- ... -->' */
  Comment,
  /** whole '<![CDATA[ ... ]]>' */
  CData,
  /** whole '<? ... ?>' */
  ProcessingInstruction,
  /** whole '<!DOCTYPE ...>' (or another '<!' declaration) */
  Doctype,
  /** whitespace inside a tag */
  Whitespace,
  /** characters that fit nowhere; always carries an error */
  Unknown,
  EOS,
}

export enum ScannerState {
  WithinContent,
  AfterOpeningStartTag,
  WithinTag,
  AfterAttributeName,
  BeforeAttributeValue,
  AfterOpeningEndTag,
  WithinEndTag,
}

export interface Scanner {
  scan(): TokenType;
  getTokenType(): TokenType;
  getTokenOffset(): number;
  getTokenLength(): number;
  getTokenEnd(): number;
  /** human-readable reason when the token is malformed */
  getTokenError(): string | undefined;
  getScannerState(): ScannerState;
  /** goes on in content at `offset`: the text before it was read by someone else */
  resumeContentAt(offset: number): void;
}

/** XML NameStartChar, simplified: ASCII letters, '_', ':' and everything from U+00C0 up. */
export function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0;
}

/** XML NameChar, simplified: NameStartChar plus digits, '-', '.', U+00B7. */
export function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;
}

/**
 * isNameStart and isNameChar as regular-expression character classes (UTF-16 code units, no u flag),
 * for reading a whole name with one native call.
 */
export const NAME_START_CLASS = '[:A-Z_a-z\\u00c0-\\uffff]';
export const NAME_CHAR_CLASS = '[-.0-9:A-Z_a-z\\u00b7\\u00c0-\\uffff]';

/**
 * A class rather than closures: its methods are single functions shared by every scanner, so V8
 * optimizes and inlines them once (a closure-based scanner got fresh functions per document).
 */
class XmlScanner implements Scanner {
  private readonly len: number;
  private pos: number;
  private state: ScannerState;
  private tokenOffset = 0;
  private tokenType = TokenType.Unknown;
  private tokenError: string | undefined = undefined;
  /** whitespace was skipped after '=', so a following bare word is the next attribute, not a value */
  private spaceAfterAssign = false;

  constructor(
    private readonly text: string,
    initialOffset: number,
    initialState: ScannerState,
  ) {
    this.len = text.length;
    this.pos = initialOffset;
    this.state = initialState;
  }

  scan(): TokenType {
    this.tokenOffset = this.pos;
    return this.internalScan();
  }

  getTokenType(): TokenType {
    return this.tokenType;
  }

  getTokenOffset(): number {
    return this.tokenOffset;
  }

  getTokenLength(): number {
    return this.pos - this.tokenOffset;
  }

  getTokenEnd(): number {
    return this.pos;
  }

  getTokenError(): string | undefined {
    return this.tokenError;
  }

  getScannerState(): ScannerState {
    return this.state;
  }

  resumeContentAt(offset: number): void {
    this.pos = offset;
    this.state = ScannerState.WithinContent;
  }

  private code(i: number): number {
    return i < this.len ? this.text.charCodeAt(i) : -1;
  }

  private finish(type: TokenType, end: number, error?: string): TokenType {
    this.pos = end;
    this.tokenType = type;
    this.tokenError = error;
    return type;
  }

  private skipName(i: number): number {
    while (i < this.len && isNameChar(this.text.charCodeAt(i))) i++;
    return i;
  }

  private skipWhitespace(i: number): number {
    while (i < this.len && isWhitespace(this.text.charCodeAt(i))) i++;
    return i;
  }

  /** end of a construct closed by `terminator` (e.g. '-->'), or EOF with an error */
  private untilTerminator(type: TokenType, from: number, terminator: string, what: string): TokenType {
    const at = this.text.indexOf(terminator, from);
    if (at < 0) return this.finish(type, this.len, `Unterminated ${what}: '${terminator}' expected`);
    return this.finish(type, at + terminator.length);
  }

  /** '<!DOCTYPE ...>' with an optional internal subset '[...]'; quotes may hide '>' and brackets */
  private scanDoctype(from: number): TokenType {
    let depth = 0;
    let quote = -1;
    for (let i = from; i < this.len; i++) {
      const c = this.text.charCodeAt(i);
      if (quote >= 0) {
        if (c === quote) quote = -1;
      } else if (c === DQ || c === SQ) {
        quote = c;
      } else if (c === LBRACKET) {
        depth++;
      } else if (c === RBRACKET) {
        if (depth > 0) depth--;
      } else if (c === GT && depth === 0) {
        return this.finish(TokenType.Doctype, i + 1);
      }
    }
    return this.finish(TokenType.Doctype, this.len, "Unterminated declaration: '>' expected");
  }

  private scanContent(): TokenType {
    const c = this.text.charCodeAt(this.pos);
    if (c === LT) {
      const next = this.code(this.pos + 1);
      if (next === BANG) {
        if (this.text.startsWith('<!--', this.pos)) return this.untilTerminator(TokenType.Comment, this.pos + 4, '-->', 'comment');
        if (this.text.startsWith('<![CDATA[', this.pos)) return this.untilTerminator(TokenType.CData, this.pos + 9, ']]>', 'CDATA section');
        const type = this.scanDoctype(this.pos + 2);
        if (!this.tokenError && !this.text.startsWith('<!DOCTYPE', this.tokenOffset))
          this.tokenError = "Unknown declaration: only '<!--', '<![CDATA[' or '<!DOCTYPE' may follow '<!'";
        return type;
      }
      if (next === QM) return this.untilTerminator(TokenType.ProcessingInstruction, this.pos + 2, '?>', 'processing instruction');
      if (next === SLASH) {
        this.state = ScannerState.AfterOpeningEndTag;
        return this.finish(TokenType.EndTagOpen, this.pos + 2);
      }
      if (next >= 0 && isNameStart(next)) {
        this.state = ScannerState.AfterOpeningStartTag;
        return this.finish(TokenType.StartTagOpen, this.pos + 1);
      }
      return this.finish(TokenType.Unknown, this.pos + 1, "'<' must start a tag: write &lt; for a literal '<'");
    }
    const lt = this.text.indexOf('<', this.pos);
    return this.finish(TokenType.Content, lt < 0 ? this.len : lt);
  }

  /** a run of characters that cannot appear here, up to something the tag grammar knows */
  private scanJunk(what: string): TokenType {
    let i = this.pos + 1;
    while (i < this.len) {
      const c = this.text.charCodeAt(i);
      if (isWhitespace(c) || c === GT || c === LT || c === SLASH || c === DQ || c === SQ || c === EQ || isNameStart(c)) break;
      i++;
    }
    return this.finish(TokenType.Unknown, i, `Unexpected '${this.text.substring(this.pos, Math.min(i, this.pos + 20))}' ${what}`);
  }

  private scanWithinTag(): TokenType {
    const c = this.text.charCodeAt(this.pos);
    if (isWhitespace(c)) return this.finish(TokenType.Whitespace, this.skipWhitespace(this.pos + 1));
    if (isNameStart(c)) {
      this.state = ScannerState.AfterAttributeName;
      return this.finish(TokenType.AttributeName, this.skipName(this.pos + 1));
    }
    if (c === GT) {
      this.state = ScannerState.WithinContent;
      return this.finish(TokenType.StartTagClose, this.pos + 1);
    }
    if (c === SLASH && this.code(this.pos + 1) === GT) {
      this.state = ScannerState.WithinContent;
      return this.finish(TokenType.StartTagSelfClose, this.pos + 2);
    }
    if (c === LT) {
      // unclosed start tag: the parser ends the element here; rescan '<' as content
      this.state = ScannerState.WithinContent;
      return this.scanContent();
    }
    return this.scanJunk("in a start tag: attribute name, '>' or '/>' expected");
  }

  /** quoted value; when the closing quote is missing before the next '<', stop at whitespace or tag end */
  private scanQuotedValue(quote: number): TokenType {
    const q = quote === DQ ? '"' : "'";
    for (let i = this.pos + 1; i < this.len; i++) {
      const c = this.text.charCodeAt(i);
      if (c === quote) {
        const cut = this.missedQuoteCut(i);
        if (cut >= 0) return this.finish(TokenType.AttributeValue, cut, `Missing closing quote (${q}) of attribute value`);
        return this.finish(TokenType.AttributeValue, i + 1);
      }
      if (c === LT) break;
    }
    let i = this.pos + 1;
    while (i < this.len) {
      const c = this.text.charCodeAt(i);
      if (isWhitespace(c) || c === LT || c === GT || (c === SLASH && this.code(i + 1) === GT)) break;
      i++;
    }
    return this.finish(TokenType.AttributeValue, i, `Missing closing quote (${q}) of attribute value`);
  }

  /**
   * `bus='0x03 slot='0x10'`: the value seems to end with the next attribute's `slot=` and what
   * follows its "closing" quote is no tag syntax. That is malformed either way; reading it as a
   * missing quote after `0x03` keeps `slot` an attribute. Returns where the value then ends, or -1.
   */
  private missedQuoteCut(closing: number): number {
    const after = this.code(closing + 1);
    if (after < 0 || isWhitespace(after) || after === GT || after === SLASH) return -1;
    let k = closing - 1;
    if (k <= this.pos || this.text.charCodeAt(k) !== EQ) return -1;
    k--;
    while (k > this.pos && isWhitespace(this.text.charCodeAt(k))) k--;
    const nameEnd = k + 1;
    while (k > this.pos && isNameChar(this.text.charCodeAt(k))) k--;
    if (k === nameEnd - 1 || !isNameStart(this.text.charCodeAt(k + 1)) || !isWhitespace(this.text.charCodeAt(k))) return -1;
    while (k > this.pos + 1 && isWhitespace(this.text.charCodeAt(k - 1))) k--;
    return k;
  }

  private scanUnquotedValue(): TokenType {
    let i = this.pos;
    while (i < this.len) {
      const c = this.text.charCodeAt(i);
      if (isWhitespace(c) || c === LT || c === GT || c === DQ || c === SQ || (c === SLASH && this.code(i + 1) === GT)) break;
      i++;
    }
    return this.finish(TokenType.AttributeValue, i, 'Attribute value must be quoted');
  }

  private internalScan(): TokenType {
    if (this.pos >= this.len) return this.finish(TokenType.EOS, this.len);
    switch (this.state) {
      case ScannerState.WithinContent:
        return this.scanContent();
      case ScannerState.AfterOpeningStartTag: {
        // createScanner callers may start here; the content scanner guarantees a name start
        this.state = ScannerState.WithinTag;
        if (isNameStart(this.text.charCodeAt(this.pos))) return this.finish(TokenType.StartTag, this.skipName(this.pos + 1));
        return this.scanWithinTag();
      }
      case ScannerState.WithinTag:
        return this.scanWithinTag();
      case ScannerState.AfterAttributeName: {
        const c = this.text.charCodeAt(this.pos);
        if (isWhitespace(c)) return this.finish(TokenType.Whitespace, this.skipWhitespace(this.pos + 1));
        if (c === EQ) {
          this.state = ScannerState.BeforeAttributeValue;
          this.spaceAfterAssign = false;
          return this.finish(TokenType.DelimiterAssign, this.pos + 1);
        }
        this.state = ScannerState.WithinTag;
        return this.scanWithinTag();
      }
      case ScannerState.BeforeAttributeValue: {
        const c = this.text.charCodeAt(this.pos);
        if (isWhitespace(c)) {
          this.spaceAfterAssign = true;
          return this.finish(TokenType.Whitespace, this.skipWhitespace(this.pos + 1));
        }
        this.state = ScannerState.WithinTag;
        if (c === DQ || c === SQ) return this.scanQuotedValue(c);
        if (this.spaceAfterAssign || c === GT || c === LT || (c === SLASH && this.code(this.pos + 1) === GT)) return this.scanWithinTag();
        return this.scanUnquotedValue();
      }
      case ScannerState.AfterOpeningEndTag: {
        const c = this.text.charCodeAt(this.pos);
        this.state = ScannerState.WithinEndTag;
        if (isNameStart(c)) return this.finish(TokenType.EndTag, this.skipName(this.pos + 1));
        return this.scanWithinEndTag();
      }
      case ScannerState.WithinEndTag:
        return this.scanWithinEndTag();
    }
  }

  private scanWithinEndTag(): TokenType {
    const c = this.text.charCodeAt(this.pos);
    if (isWhitespace(c)) return this.finish(TokenType.Whitespace, this.skipWhitespace(this.pos + 1));
    if (c === GT) {
      this.state = ScannerState.WithinContent;
      return this.finish(TokenType.EndTagClose, this.pos + 1);
    }
    if (c === LT) {
      this.state = ScannerState.WithinContent;
      return this.scanContent();
    }
    let i = this.pos + 1;
    while (i < this.len) {
      const d = this.text.charCodeAt(i);
      if (d === GT || d === LT || isWhitespace(d)) break;
      i++;
    }
    return this.finish(
      TokenType.Unknown,
      i,
      `Unexpected '${this.text.substring(this.pos, Math.min(i, this.pos + 20))}' in an end tag: '>' expected`,
    );
  }
}

export function createScanner(text: string, initialOffset = 0, initialState = ScannerState.WithinContent): Scanner {
  return new XmlScanner(text, initialOffset, initialState);
}
