// Manifest lines, read from a byte stream without ever holding a whole line: readline buffers each line entire, so one
// line of a few hundred megabytes (a corrupt export, no line breaks) was read into memory before anything could refuse
// it. Here a line comes in pieces of at most one chunk, and the readers above keep at most MAX_LINE_BYTES of one.
import { StringDecoder } from 'node:string_decoder';

/**
 * The longest manifest line the screen reads, in UTF-8 bytes without its line break; for a CSV record whose quoted
 * fields run over several lines, the whole record. A longer one is a row error, and its bytes are dropped as they
 * come. A manifest row needs a few hundred bytes; this leaves room for long names and an MRZ.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** Part of a line: `text` holds no line break; `end` marks the last piece of its line. */
export interface LinePiece {
  text: string;
  /** UTF-8 bytes of `text` as read. */
  bytes: number;
  end: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The lines of `input` in pieces, each no longer than the chunk it came in. Line breaks are LF, CRLF or a lone CR, as
 * readline reads them; a last line without a break ends too. UTF-8 characters split between chunks are joined.
 */
export async function* linePieces(input: AsyncIterable<Buffer | string>): AsyncGenerator<LinePiece> {
  const decoder = new StringDecoder('utf8');
  // The previous chunk ended with CR: an LF at the start of this one is the rest of the same CRLF.
  let afterCr = false;
  // Part of a line was given without its end.
  let open = false;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = afterCr && buffer[0] === LF ? 1 : 0;
    afterCr = false;
    for (let i = start; i < buffer.length; i++) {
      const byte = buffer[i];
      if (byte !== LF && byte !== CR) continue;
      yield { text: decoder.write(buffer.subarray(start, i)) + decoder.end(), bytes: i - start, end: true };
      open = false;
      if (byte === CR) {
        if (i + 1 === buffer.length) afterCr = true;
        else if (buffer[i + 1] === LF) i++;
      }
      start = i + 1;
    }
    if (start < buffer.length) {
      yield { text: decoder.write(buffer.subarray(start)), bytes: buffer.length - start, end: false };
      open = true;
    }
  }
  if (open) yield { text: decoder.end(), bytes: 0, end: true };
}

/** What a {@link LineAssembler} gives for a line longer than its bound. */
export const OVER_LONG: unique symbol = Symbol('over-long line');

/** Joins the pieces of one line into its text, keeping at most `maxBytes`: a longer line is {@link OVER_LONG}. */
export class LineAssembler {
  #text = '';
  #bytes = 0;
  constructor(readonly maxBytes: number = MAX_LINE_BYTES) {}

  /** Adds a piece; at the end of its line, returns the line (or OVER_LONG) and starts the next. */
  add(piece: LinePiece): string | typeof OVER_LONG | undefined {
    this.#bytes += piece.bytes;
    this.#text = this.#bytes <= this.maxBytes ? this.#text + piece.text : '';
    if (!piece.end) return undefined;
    const line = this.#bytes <= this.maxBytes ? this.#text : OVER_LONG;
    this.#text = '';
    this.#bytes = 0;
    return line;
  }
}
