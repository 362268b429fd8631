// Error-tolerant XML tokenizer: a state machine over the document string that yields
// offset/length tokens (in the manner of vscode-html-languageservice's htmlScanner).
// It never throws and never looks back: every scan() consumes at least one character
// or returns EOS, so a whole document is tokenized in linear time. Comments, CDATA,
// processing instructions and DOCTYPE are single tokens, so markup inside them is never
// seen as elements. Malformed input yields a token with getTokenError() set; the parser
// turns those into 'xml-syntax' problems.

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
}

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f; // /
const EQ = 0x3d; // =
const DQ = 0x22; // "
const SQ = 0x27; // '
const BANG = 0x21; // !
const QM = 0x3f; // ?
const LBRACKET = 0x5b; // [
const RBRACKET = 0x5d; // ]

export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** XML NameStartChar, simplified: ASCII letters, '_', ':' and everything from U+00C0 up. */
export function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0;
}

/** XML NameChar, simplified: NameStartChar plus digits, '-', '.', U+00B7. */
export function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;
}

export function createScanner(text: string, initialOffset = 0, initialState = ScannerState.WithinContent): Scanner {
  const len = text.length;
  let pos = initialOffset;
  let state = initialState;
  let tokenOffset = 0;
  let tokenType = TokenType.Unknown;
  let tokenError: string | undefined;
  /** whitespace was skipped after '=', so a following bare word is the next attribute, not a value */
  let spaceAfterAssign = false;

  const code = (i: number): number => (i < len ? text.charCodeAt(i) : -1);

  function finish(type: TokenType, end: number, error?: string): TokenType {
    pos = end;
    tokenType = type;
    tokenError = error;
    return type;
  }

  function skipName(i: number): number {
    while (i < len && isNameChar(text.charCodeAt(i))) i++;
    return i;
  }

  function skipWhitespace(i: number): number {
    while (i < len && isWhitespace(text.charCodeAt(i))) i++;
    return i;
  }

  /** end of a construct closed by `terminator` (e.g. '-->'), or EOF with an error */
  function untilTerminator(type: TokenType, from: number, terminator: string, what: string): TokenType {
    const at = text.indexOf(terminator, from);
    if (at < 0) return finish(type, len, `Unterminated ${what}: '${terminator}' expected`);
    return finish(type, at + terminator.length);
  }

  /** '<!DOCTYPE ...>' with an optional internal subset '[...]'; quotes may hide '>' and brackets */
  function scanDoctype(from: number): TokenType {
    let depth = 0;
    let quote = -1;
    for (let i = from; i < len; i++) {
      const c = text.charCodeAt(i);
      if (quote >= 0) {
        if (c === quote) quote = -1;
      } else if (c === DQ || c === SQ) {
        quote = c;
      } else if (c === LBRACKET) {
        depth++;
      } else if (c === RBRACKET) {
        if (depth > 0) depth--;
      } else if (c === GT && depth === 0) {
        return finish(TokenType.Doctype, i + 1);
      }
    }
    return finish(TokenType.Doctype, len, "Unterminated declaration: '>' expected");
  }

  function scanContent(): TokenType {
    const c = text.charCodeAt(pos);
    if (c === LT) {
      const next = code(pos + 1);
      if (next === BANG) {
        if (text.startsWith('<!--', pos)) return untilTerminator(TokenType.Comment, pos + 4, '-->', 'comment');
        if (text.startsWith('<![CDATA[', pos)) return untilTerminator(TokenType.CData, pos + 9, ']]>', 'CDATA section');
        const type = scanDoctype(pos + 2);
        if (!tokenError && !text.startsWith('<!DOCTYPE', tokenOffset)) tokenError = "Unknown declaration: only '<!--', '<![CDATA[' or '<!DOCTYPE' may follow '<!'";
        return type;
      }
      if (next === QM) return untilTerminator(TokenType.ProcessingInstruction, pos + 2, '?>', 'processing instruction');
      if (next === SLASH) {
        state = ScannerState.AfterOpeningEndTag;
        return finish(TokenType.EndTagOpen, pos + 2);
      }
      if (next >= 0 && isNameStart(next)) {
        state = ScannerState.AfterOpeningStartTag;
        return finish(TokenType.StartTagOpen, pos + 1);
      }
      return finish(TokenType.Unknown, pos + 1, "'<' must start a tag: write &lt; for a literal '<'");
    }
    const lt = text.indexOf('<', pos);
    return finish(TokenType.Content, lt < 0 ? len : lt);
  }

  /** a run of characters that cannot appear here, up to something the tag grammar knows */
  function scanJunk(what: string): TokenType {
    let i = pos + 1;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (isWhitespace(c) || c === GT || c === LT || c === SLASH || c === DQ || c === SQ || c === EQ || isNameStart(c)) break;
      i++;
    }
    return finish(TokenType.Unknown, i, `Unexpected '${text.substring(pos, Math.min(i, pos + 20))}' ${what}`);
  }

  function scanWithinTag(): TokenType {
    const c = text.charCodeAt(pos);
    if (isWhitespace(c)) return finish(TokenType.Whitespace, skipWhitespace(pos + 1));
    if (isNameStart(c)) {
      state = ScannerState.AfterAttributeName;
      return finish(TokenType.AttributeName, skipName(pos + 1));
    }
    if (c === GT) {
      state = ScannerState.WithinContent;
      return finish(TokenType.StartTagClose, pos + 1);
    }
    if (c === SLASH && code(pos + 1) === GT) {
      state = ScannerState.WithinContent;
      return finish(TokenType.StartTagSelfClose, pos + 2);
    }
    if (c === LT) {
      // unclosed start tag: the parser ends the element here; rescan '<' as content
      state = ScannerState.WithinContent;
      return scanContent();
    }
    return scanJunk('in a start tag: attribute name, \'>\' or \'/>\' expected');
  }

  /** quoted value; when the closing quote is missing before the next '<', stop at whitespace or tag end */
  function scanQuotedValue(quote: number): TokenType {
    const q = quote === DQ ? '"' : "'";
    for (let i = pos + 1; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        const cut = missedQuoteCut(i);
        if (cut >= 0) return finish(TokenType.AttributeValue, cut, `Missing closing quote (${q}) of attribute value`);
        return finish(TokenType.AttributeValue, i + 1);
      }
      if (c === LT) break;
    }
    let i = pos + 1;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (isWhitespace(c) || c === LT || c === GT || (c === SLASH && code(i + 1) === GT)) break;
      i++;
    }
    return finish(TokenType.AttributeValue, i, `Missing closing quote (${q}) of attribute value`);
  }

  /**
   * `bus='0x03 slot='0x10'`: the value seems to end with the next attribute's `slot=` and what
   * follows its "closing" quote is no tag syntax. That is malformed either way; reading it as a
   * missing quote after `0x03` keeps `slot` an attribute. Returns where the value then ends, or -1.
   */
  function missedQuoteCut(closing: number): number {
    const after = code(closing + 1);
    if (after < 0 || isWhitespace(after) || after === GT || after === SLASH) return -1;
    let k = closing - 1;
    if (k <= pos || text.charCodeAt(k) !== EQ) return -1;
    k--;
    while (k > pos && isWhitespace(text.charCodeAt(k))) k--;
    const nameEnd = k + 1;
    while (k > pos && isNameChar(text.charCodeAt(k))) k--;
    if (k === nameEnd - 1 || !isNameStart(text.charCodeAt(k + 1)) || !isWhitespace(text.charCodeAt(k))) return -1;
    while (k > pos + 1 && isWhitespace(text.charCodeAt(k - 1))) k--;
    return k;
  }

  function scanUnquotedValue(): TokenType {
    let i = pos;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (isWhitespace(c) || c === LT || c === GT || c === DQ || c === SQ || (c === SLASH && code(i + 1) === GT)) break;
      i++;
    }
    return finish(TokenType.AttributeValue, i, 'Attribute value must be quoted');
  }

  function internalScan(): TokenType {
    if (pos >= len) return finish(TokenType.EOS, len);
    switch (state) {
      case ScannerState.WithinContent:
        return scanContent();
      case ScannerState.AfterOpeningStartTag: {
        // createScanner callers may start here; the content scanner guarantees a name start
        state = ScannerState.WithinTag;
        if (isNameStart(text.charCodeAt(pos))) return finish(TokenType.StartTag, skipName(pos + 1));
        return scanWithinTag();
      }
      case ScannerState.WithinTag:
        return scanWithinTag();
      case ScannerState.AfterAttributeName: {
        const c = text.charCodeAt(pos);
        if (isWhitespace(c)) return finish(TokenType.Whitespace, skipWhitespace(pos + 1));
        if (c === EQ) {
          state = ScannerState.BeforeAttributeValue;
          spaceAfterAssign = false;
          return finish(TokenType.DelimiterAssign, pos + 1);
        }
        state = ScannerState.WithinTag;
        return scanWithinTag();
      }
      case ScannerState.BeforeAttributeValue: {
        const c = text.charCodeAt(pos);
        if (isWhitespace(c)) {
          spaceAfterAssign = true;
          return finish(TokenType.Whitespace, skipWhitespace(pos + 1));
        }
        state = ScannerState.WithinTag;
        if (c === DQ || c === SQ) return scanQuotedValue(c);
        if (spaceAfterAssign || c === GT || c === LT || (c === SLASH && code(pos + 1) === GT)) return scanWithinTag();
        return scanUnquotedValue();
      }
      case ScannerState.AfterOpeningEndTag: {
        const c = text.charCodeAt(pos);
        state = ScannerState.WithinEndTag;
        if (isNameStart(c)) return finish(TokenType.EndTag, skipName(pos + 1));
        return scanWithinEndTag();
      }
      case ScannerState.WithinEndTag:
        return scanWithinEndTag();
    }
  }

  function scanWithinEndTag(): TokenType {
    const c = text.charCodeAt(pos);
    if (isWhitespace(c)) return finish(TokenType.Whitespace, skipWhitespace(pos + 1));
    if (c === GT) {
      state = ScannerState.WithinContent;
      return finish(TokenType.EndTagClose, pos + 1);
    }
    if (c === LT) {
      state = ScannerState.WithinContent;
      return scanContent();
    }
    let i = pos + 1;
    while (i < len) {
      const d = text.charCodeAt(i);
      if (d === GT || d === LT || isWhitespace(d)) break;
      i++;
    }
    return finish(TokenType.Unknown, i, `Unexpected '${text.substring(pos, Math.min(i, pos + 20))}' in an end tag: '>' expected`);
  }

  return {
    scan(): TokenType {
      tokenOffset = pos;
      return internalScan();
    },
    getTokenType: () => tokenType,
    getTokenOffset: () => tokenOffset,
    getTokenLength: () => pos - tokenOffset,
    getTokenEnd: () => pos,
    getTokenError: () => tokenError,
    getScannerState: () => state,
  };
}
