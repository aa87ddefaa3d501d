// A streaming UN/EDIFACT tokenizer (ISO 9735 syntax 3 and 4): text in, segments out, fed in chunks of any size.
// Zero dependencies. The fast path is the common case (a segment without a release character): native indexOf and
// split do the scanning, which is what keeps parsing within a small factor of JSON.parse.
import { ConfigError } from 'borderlink';
import { EdifactError, issue } from './errors';
import { refuseUnknownOptions } from './options';

/** The characters an interchange is written with: from its UNA, or the defaults `:+.? '`. */
export interface EdifactSeparators {
  /** Between the components of a composite data element. @default ':' */
  readonly component: string;
  /** Between data elements. @default '+' */
  readonly element: string;
  /** The decimal mark. @default '.' */
  readonly decimal: string;
  /**
   * Makes the next character literal (`?+` is a plus in a value). A space is syntax 3's "not used": the interchange
   * has no release character.
   * @default '?'
   */
  readonly release: string;
  /**
   * The repetition separator of syntax 4 (a space, "reserved", in syntax 3). PAXLST repeats no data element, so it
   * is kept as written, never split on.
   * @default ' '
   */
  readonly repetition: string;
  /** Ends a segment. @default "'" */
  readonly segment: string;
}

/** The separators of an interchange without a UNA. */
export const DEFAULT_SEPARATORS: EdifactSeparators = Object.freeze({
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  repetition: ' ',
  segment: "'",
});

/** One segment as read: its tag and its data elements, each a list of components with released characters unescaped. */
export interface EdifactSegment {
  /** Three capital letters or digits, e.g. `NAD`. */
  tag: string;
  /** The data elements after the tag (element 1 first), each its components. An empty element is `['']`. */
  elements: string[][];
  /** Position in the interchange, from 1; a UNA counts. */
  position: number;
  /** The line the segment's tag is on, from 1. */
  line: number;
}

/**
 * A segment as a reader of the tokenizer sees it, its components taken out of the text only when asked for: a
 * message of thousands of segments then makes no array per segment and no string for a component nobody reads. Valid
 * only during the call it is handed to (the tokenizer reuses it for the next segment). @internal
 */
export interface SegmentFields {
  readonly tag: string;
  readonly position: number;
  readonly line: number;
  /** How many data elements follow the tag. */
  readonly count: number;
  /** How many components element `element` has (0 for an element not there). */
  components(element: number): number;
  /** Component `component` of data element `element` (0 = the first after the tag), unescaped; `''` when absent. */
  get(element: number, component?: number): string;
}

/** A segment read in place: the bounds of its components in the tokenizer's buffer. Reused segment after segment. */
class SegmentInPlace implements SegmentFields {
  tag = '';
  position = 0;
  line = 0;
  count = 0;
  text = '';
  // Component k runs from starts[k] to ends[k]; element e's components are firsts[e] to firsts[e + 1] - 1.
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  firsts = new Int32Array(65);

  components(element: number): number {
    return element < this.count ? this.firsts[element + 1]! - this.firsts[element]! : 0;
  }

  get(element: number, component = 0): string {
    if (element >= this.count) return '';
    const k = this.firsts[element]! + component;
    return k < this.firsts[element + 1]! ? this.text.slice(this.starts[k]!, this.ends[k]!) : '';
  }

  /** Twice the room for components, those read so far kept (a segment of many components is rare). */
  grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const firsts = new Int32Array(size + 1);
    starts.set(this.starts);
    ends.set(this.ends);
    firsts.set(this.firsts);
    this.starts = starts;
    this.ends = ends;
    this.firsts = firsts;
  }

  /** The segment as the public tokenizer hands it out: its elements as arrays. */
  toSegment(): EdifactSegment {
    const elements = new Array<string[]>(this.count);
    for (let e = 0; e < this.count; e++) {
      const from = this.firsts[e]!;
      const components = new Array<string>(this.firsts[e + 1]! - from);
      for (let c = 0; c < components.length; c++) components[c] = this.text.slice(this.starts[from + c]!, this.ends[from + c]!);
      elements[e] = components;
    }
    return { tag: this.tag, elements, position: this.position, line: this.line };
  }
}

/** A segment read by the general path (release characters, line breaks inside), seen as fields. */
class SegmentOfArrays implements SegmentFields {
  readonly tag: string;
  readonly position: number;
  readonly line: number;
  readonly count: number;
  readonly #elements: string[][];

  constructor(segment: EdifactSegment) {
    this.tag = segment.tag;
    this.position = segment.position;
    this.line = segment.line;
    this.count = segment.elements.length;
    this.#elements = segment.elements;
  }

  components(element: number): number {
    return this.#elements[element]?.length ?? 0;
  }

  get(element: number, component = 0): string {
    return this.#elements[element]?.[component] ?? '';
  }
}

/**
 * {@link EdifactTokenizer#write}, each segment handed out in place (valid only during the call): for this package's
 * own readers, not exported from the entry point. @internal
 */
export let writeInPlace: (tokenizer: EdifactTokenizer, text: string, onSegment: (segment: SegmentFields) => void) => void;
/** {@link EdifactTokenizer#end}, as {@link writeInPlace} hands out segments. @internal */
export let endInPlace: (tokenizer: EdifactTokenizer, onSegment: (segment: SegmentFields) => void) => void;

/** Where the tokenizer hands its segments: as public segments, or as fields. */
type Sink = { readonly fields: false; readonly to: (segment: EdifactSegment) => void } | { readonly fields: true; readonly to: (segment: SegmentFields) => void };

/** Options of {@link EdifactTokenizer}. */
export interface EdifactTokenizerOptions {
  /**
   * The longest segment read, in characters: a longer one is a `SEGMENT_TOO_LONG` error, so a file without
   * terminators is refused without being held whole. A PAXLST segment is well under 200 characters.
   * @default 4096
   */
  maxSegmentLength?: number | undefined;
}

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const BOM = 0xfeff;

/** Whether the three characters of `text` from `at` are a tag. */
function isTagAt(text: string, at: number): boolean {
  for (let i = at; i < at + 3; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

function isTag(text: string): boolean {
  return text.length === 3 && isTagAt(text, 0);
}

/**
 * Reads EDIFACT text fed in chunks of any size and hands each complete segment to a callback. CR and LF are not
 * data: segments may be one a line, all on one line, or wrapped at any column (as Type B messaging does), and a
 * segment terminator may or may not be followed by a line break. A UNA, when the text starts with one, sets the
 * separators; otherwise they are {@link DEFAULT_SEPARATORS}.
 * @example
 * ```ts
 * const tokenizer = new EdifactTokenizer();
 * const tags: string[] = [];
 * tokenizer.write("UNB+UNOA:4+AIRLINE+STATE+240101:1200+1'UNH+1+PAXLST:D:05B:UN:IATA'", (s) => tags.push(s.tag));
 * tokenizer.end((s) => tags.push(s.tag)); // ['UNB', 'UNH']
 * ```
 */
export class EdifactTokenizer {
  readonly #max: number;
  #sep: EdifactSeparators | undefined;
  // The release character in force: none when the UNA gives a space (syntax 3: "if not used, insert space").
  #release: string | undefined;
  #buffer = '';
  // Where the next segment starts in #buffer, and how far a terminator has been looked for (a long segment fed in
  // many small chunks is then scanned once, not once per chunk).
  #start = 0;
  #scanned = 0;
  #position = 0;
  #line = 1;
  // CR and LF are skipped, unless one of them is the segment terminator itself.
  #skipCr = true;
  #skipLf = true;
  readonly #view = new SegmentInPlace();

  constructor(options: EdifactTokenizerOptions = {}) {
    refuseUnknownOptions('EdifactTokenizer', options, ['maxSegmentLength']);
    const max = options.maxSegmentLength ?? 4096;
    if (!(Number.isInteger(max) && max >= 64 && max <= 1_048_576)) throw new ConfigError('EdifactTokenizer: option `maxSegmentLength` must be an integer from 64 to 1048576');
    this.#max = max;
  }

  /** The separators in use: `undefined` until the start of the text has been read (a UNA, or the first segment). */
  get separators(): EdifactSeparators | undefined {
    return this.#sep;
  }

  /** Segments read so far. */
  get segments(): number {
    return this.#position;
  }

  /** Feeds the next piece of text; each segment it completes goes to `onSegment`, in order. */
  write(text: string, onSegment: (segment: EdifactSegment) => void): void {
    if (typeof text !== 'string') throw new ConfigError('EdifactTokenizer: write takes text (a string)');
    if (typeof onSegment !== 'function') throw new ConfigError('EdifactTokenizer: write takes a function to call with each segment');
    this.#write(text, { fields: false, to: onSegment });
  }

  /** Ends the text: an unterminated segment left over is an `UNTERMINATED_SEGMENT` error. */
  end(onSegment: (segment: EdifactSegment) => void): void {
    this.#end({ fields: false, to: onSegment });
  }

  static {
    writeInPlace = (tokenizer, text, onSegment) => tokenizer.#write(text, { fields: true, to: onSegment });
    endInPlace = (tokenizer, onSegment) => tokenizer.#end({ fields: true, to: onSegment });
  }

  #write(text: string, sink: Sink): void {
    this.#buffer = this.#start === 0 ? this.#buffer + text : this.#buffer.slice(this.#start) + text;
    this.#scanned -= this.#start;
    this.#start = 0;
    if (this.#sep === undefined && !this.#begin(false, sink)) return;
    this.#drain(sink);
  }

  #end(sink: Sink): void {
    if (this.#sep === undefined && !this.#begin(true, sink)) return;
    this.#drain(sink);
    const rest = this.#buffer.slice(this.#start);
    let i = 0;
    let line = this.#line;
    while (i < rest.length && this.#isSpace(rest.charCodeAt(i))) if (rest.charCodeAt(i++) === LF) line++;
    if (i < rest.length) {
      const tag = rest.slice(i, i + 3);
      throw new EdifactError([
        issue('UNTERMINATED_SEGMENT', { position: this.#position + 1, line, tag }, 'the text ends inside this segment: its terminator is missing (a file cut short?)'),
      ]);
    }
    this.#buffer = '';
    this.#start = 0;
    this.#scanned = 0;
  }

  #isSpace(c: number): boolean {
    return (c === LF && this.#skipLf) || (c === CR && this.#skipCr) || c === SPACE || c === TAB || c === BOM;
  }

  /** Reads the UNA, or settles on the defaults; false while more text is needed to tell. */
  #begin(final: boolean, sink: Sink): boolean {
    const b = this.#buffer;
    let i = 0;
    while (i < b.length) {
      const c = b.charCodeAt(i);
      if (c === LF) this.#line++;
      else if (c !== CR && c !== SPACE && c !== TAB && c !== BOM) break;
      i++;
    }
    this.#buffer = b.slice(i);
    const head = this.#buffer;
    if (head.length < 9 && !final && 'UNA'.startsWith(head.slice(0, 3))) return false;
    if (head.startsWith('UNA')) {
      const at = { position: 1, line: this.#line, tag: 'UNA' };
      if (head.length < 9) throw new EdifactError([issue('BAD_UNA', at, 'the service string advice is cut off: it needs its six characters')]);
      const [component, element, decimal, release, repetition, segment] = [...head.slice(3, 9)] as [string, string, string, string, string, string];
      const roles = release === ' ' ? [component, element, segment] : [component, element, release, segment];
      if (new Set(roles).size !== roles.length || roles.some((r) => /[A-Za-z0-9]/.test(r))) {
        throw new EdifactError([issue('BAD_UNA', at, 'the service string advice gives one character two roles, or a letter or digit a role')]);
      }
      // Line breaks are not data (a segment may be wrapped at any column) and blanks are part of names: neither can
      // separate, though a line break may end a segment.
      if ([component, element, release].some((r) => r === '\r' || r === '\n' || r === '\t' || r === '\uFEFF') || component === ' ' || element === ' ' || segment === ' ' || segment === '\t') {
        throw new EdifactError([issue('BAD_UNA', at, 'the service string advice gives a line break or a blank the role of a separator')]);
      }
      this.#sep = Object.freeze({ component, element, decimal, release, repetition, segment });
      this.#position = 1;
      this.#start = 9;
      this.#scanned = 9;
      this.#emit(sink, { tag: 'UNA', elements: [[component, element, decimal, release, repetition, segment]], position: 1, line: this.#line });
    } else {
      this.#sep = DEFAULT_SEPARATORS;
      this.#start = 0;
      this.#scanned = 0;
    }
    this.#release = this.#sep.release === ' ' ? undefined : this.#sep.release;
    this.#skipCr = this.#sep.segment !== '\r';
    this.#skipLf = this.#sep.segment !== '\n';
    return true;
  }

  #emit(sink: Sink, segment: EdifactSegment): void {
    if (sink.fields) sink.to(new SegmentOfArrays(segment));
    else sink.to(segment);
  }

  #drain(sink: Sink): void {
    const sep = this.#sep!;
    const b = this.#buffer;
    const terminator = sep.segment;
    const release = this.#release;
    let start = this.#start;
    let from = Math.max(this.#scanned, start);
    for (;;) {
      const end = b.indexOf(terminator, from);
      if (end === -1) {
        this.#scanned = b.length;
        // Blanks between segments belong to none: a run of them longer than a segment may be (a file padded to its
        // block size) is passed over, not taken for a segment without its terminator.
        if (b.length - start > this.#max) start = this.#skipBlanks(b, start, b.length);
        if (b.length - start > this.#max) this.#tooLong(b, start);
        break;
      }
      // A terminator after an odd run of release characters is itself released (line breaks, not data, between).
      let releases = 0;
      for (let k = end - 1; release !== undefined && k >= start; k--) {
        const c = b.charCodeAt(k);
        if ((c === LF && this.#skipLf) || (c === CR && this.#skipCr)) continue;
        if (b[k] !== release) break;
        releases++;
      }
      if (releases % 2 === 1) {
        from = end + 1;
        continue;
      }
      start = this.#skipBlanks(b, start, end);
      if (end - start > this.#max) this.#tooLong(b, start);
      const line = this.#line;
      this.#position++;
      const fast = this.#fast(b, start, end, line);
      const general = fast === undefined ? this.#general(b.slice(start, end), line) : undefined;
      start = end + terminator.length;
      from = start;
      if (fast === undefined) this.#emit(sink, general!);
      else if (sink.fields) sink.to(fast);
      else sink.to(fast.toSegment());
    }
    this.#start = start;
  }

  /** The general path: a segment with release characters or line breaks inside, read from a copy of its text. */
  #general(text: string, line: number): EdifactSegment {
    if (this.#skipLf && text.indexOf('\n') !== -1) {
      for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === LF) this.#line++;
      text = text.replace(/\n/g, '');
    }
    if (this.#skipCr && text.indexOf('\r') !== -1) text = text.replace(/\r/g, '');
    return this.#segment(text, line);
  }

  /** Past the line breaks and blanks from `start`, which belong to no segment: they only move the line count. */
  #skipBlanks(b: string, start: number, end: number): number {
    while (start < end) {
      const c = b.charCodeAt(start);
      if (c === LF && this.#skipLf) this.#line++;
      else if (!((c === CR && this.#skipCr) || c === SPACE || c === TAB)) break;
      start++;
    }
    return start;
  }

  #tooLong(b: string, start: number): never {
    throw new EdifactError([
      issue('SEGMENT_TOO_LONG', { position: this.#position + 1, line: this.#line, tag: b.slice(start, start + 3) }, `the segment runs over ${this.#max} characters without a terminator`),
    ]);
  }

  /**
   * The common case, read in one pass over the buffer with no copy of the segment: no release character and no line
   * break inside. Fills the tokenizer's one {@link SegmentInPlace}; `undefined` sends the segment to the general path.
   */
  #fast(b: string, start: number, end: number, line: number): SegmentInPlace | undefined {
    const sep = this.#sep!;
    const element = sep.element.charCodeAt(0);
    const component = sep.component.charCodeAt(0);
    const release = this.#release === undefined ? -1 : this.#release.charCodeAt(0);
    const tagEnd = start + 3;
    if (end < tagEnd || !isTagAt(b, start)) return undefined;
    const after = tagEnd < end ? b.charCodeAt(tagEnd) : element;
    if (after !== element) return undefined;
    const view = this.#view;
    let { starts, ends, firsts } = view;
    // Room for one component more than the separators seen so far, the last one's included.
    let room = starts.length - 1;
    let n = 0;
    let elements = 0;
    let from = tagEnd + 1;
    for (let i = from; i < end; i++) {
      const c = b.charCodeAt(i);
      if ((c === element || c === component) && n === room) {
        view.grow();
        ({ starts, ends, firsts } = view);
        room = starts.length - 1;
      }
      if (c === element) {
        starts[n] = from;
        ends[n++] = i;
        firsts[++elements] = n;
        from = i + 1;
      } else if (c === component) {
        starts[n] = from;
        ends[n++] = i;
        from = i + 1;
      } else if (c === release || c === LF || c === CR) {
        return undefined;
      }
    }
    if (tagEnd < end) {
      starts[n] = from;
      ends[n++] = end;
      firsts[++elements] = n;
    }
    view.text = b;
    view.tag = b.slice(start, tagEnd);
    view.position = this.#position;
    view.line = line;
    view.count = elements;
    return view;
  }

  #segment(text: string, line: number): EdifactSegment {
    const sep = this.#sep!;
    const position = this.#position;
    let parts: string[][];
    if (this.#release === undefined || text.indexOf(this.#release) === -1) {
      const raw = text.split(sep.element);
      parts = new Array<string[]>(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const part = raw[i]!;
        parts[i] = part.indexOf(sep.component) === -1 ? [part] : part.split(sep.component);
      }
    } else {
      parts = this.#released(text);
    }
    const tagElement = parts[0]!;
    const tag = tagElement[0]!;
    if (!isTag(tag)) {
      throw new EdifactError([
        issue('BAD_TAG', { position, line, tag: '' }, 'the segment does not start with a tag (a separator in the value before it that was not released with the release character?)'),
      ]);
    }
    parts.shift();
    return { tag, elements: parts, position, line };
  }

  /** The slow path: a segment with release characters, read one character at a time. */
  #released(text: string): string[][] {
    const { element, component } = this.#sep!;
    const release = this.#release;
    const parts: string[][] = [];
    let components: string[] = [];
    let value = '';
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === release && i + 1 < text.length) {
        value += text[++i];
      } else if (ch === element) {
        components.push(value);
        parts.push(components);
        components = [];
        value = '';
      } else if (ch === component) {
        components.push(value);
        value = '';
      } else {
        value += ch;
      }
    }
    components.push(value);
    parts.push(components);
    return parts;
  }
}

/**
 * Every segment of a whole EDIFACT text, as {@link EdifactTokenizer} reads them.
 * @example
 * ```ts
 * tokenizeEdifact("UNA:+.? 'UNB+UNOA:4+A+B+240101:1200+1'").map((s) => s.tag); // ['UNA', 'UNB']
 * ```
 */
export function tokenizeEdifact(text: string, options: EdifactTokenizerOptions = {}): EdifactSegment[] {
  const segments: EdifactSegment[] = [];
  const tokenizer = new EdifactTokenizer(options);
  const push = (s: EdifactSegment) => void segments.push(s);
  tokenizer.write(text, push);
  tokenizer.end(push);
  return segments;
}

// The character set each syntax level of UNB (S001/0001) declares. Levels A and B are subsets of ASCII, where
// UTF-8 reads the same and also reads the UTF-8 a sender wrote under the wrong label.
const SYNTAX_CHARSETS: Readonly<Record<string, string>> = {
  UNOC: 'latin1',
  UNOD: 'iso-8859-2',
  UNOE: 'iso-8859-5',
  UNOF: 'iso-8859-7',
  UNOG: 'iso-8859-3',
  UNOH: 'iso-8859-4',
  UNOI: 'iso-8859-6',
  UNOJ: 'iso-8859-8',
  UNOK: 'iso-8859-9',
};

type Decoder = { decode(input?: Uint8Array, options?: { stream?: boolean }): string };

// WHATWG's TextDecoder reads "latin1" as Windows-1252 and "iso-8859-9" as Windows-1254, where 0x80–0x9F are
// letters and marks: "›" (U+203A) for 0x9B, which an ISO 8859-1 writer then cuts to 0x3A, a separator. The ISO sets
// these two levels declare are decoded byte for byte instead.
const ISO_8859_9: Readonly<Record<number, string>> = { 0xd0: 'Ğ', 0xdd: 'İ', 0xde: 'Ş', 0xf0: 'ğ', 0xfd: 'ı', 0xfe: 'ş' };

function decoderFor(charset = 'utf-8'): Decoder {
  if (charset !== 'latin1' && charset !== 'iso-8859-9') return new TextDecoder(charset);
  const turkish = charset === 'iso-8859-9';
  return {
    decode(input?: Uint8Array): string {
      if (input === undefined) return '';
      const text = Buffer.from(input.buffer, input.byteOffset, input.length).toString('latin1');
      return turkish ? text.replace(/[\xd0\xdd\xde\xf0\xfd\xfe]/g, (c) => ISO_8859_9[c.charCodeAt(0)]!) : text;
    },
  };
}

/**
 * The text of an EDIFACT byte stream, decoded by the character set its UNB declares (UNOC as ISO 8859-1, UNOD–UNOK
 * as ISO 8859-2 to -9; UNOA, UNOB, UNOW, UNOY and anything else as UTF-8). Strings pass through as they are.
 * @internal
 */
export async function* decodeEdifact(input: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): AsyncGenerator<string> {
  // The global TextDecoder: a `node:util` import would be rewritten to a bare `util` by the bundler.
  let decoder: Decoder | undefined;
  let head: Uint8Array[] = [];
  let headBytes = 0;
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    if (decoder !== undefined) {
      const text = decoder.decode(chunk, { stream: true });
      if (text !== '') yield text;
      continue;
    }
    head.push(chunk);
    headBytes += chunk.length;
    const joined = Buffer.concat(head);
    const charset = charsetOf(joined.toString('latin1'), headBytes >= 1024);
    if (charset === undefined) continue;
    decoder = decoderFor(charset);
    head = [];
    const text = decoder.decode(joined, { stream: true });
    if (text !== '') yield text;
  }
  if (decoder === undefined && head.length > 0) {
    decoder = decoderFor(charsetOf(Buffer.concat(head).toString('latin1'), true));
    const text = decoder.decode(Buffer.concat(head), { stream: true });
    if (text !== '') yield text;
  }
  if (decoder !== undefined) {
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  }
}

function charsetOf(head: string, final: boolean): string | undefined {
  const una = head.replace(/^[\uFEFF\s]+/, '');
  const element = una.startsWith('UNA') && una.length >= 5 ? una[4]! : '+';
  const at = una.indexOf(`UNB${element}`);
  if (at === -1 || una.length < at + 8) return final ? 'utf-8' : undefined;
  return SYNTAX_CHARSETS[una.slice(at + 4, at + 8)] ?? 'utf-8';
}

/** Bytes of a whole interchange as text, decoded as {@link decodeEdifact} decodes a stream. @internal */
export function decodeEdifactBytes(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  return decoderFor(charsetOf(head, true)).decode(bytes);
}
