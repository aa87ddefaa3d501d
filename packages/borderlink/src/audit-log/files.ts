// Reading log files as bytes: a record's hash is over the bytes on disk, so lines are split on the byte 0x0A and
// never decoded and encoded again before hashing.
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFileName } from './record';

const NEWLINE = 0x0a;
/** How much of a file is read at a time. */
const CHUNK = 1 << 20;

/**
 * The longest line a log holds, in bytes: the writer records an event longer than this as a gap, and a reader stops at
 * a longer line rather than hold it (a file given to the verifier may be anything, gigabytes without a line break).
 */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * One line of a file. `complete` is false for bytes after the last line break: a line whose writing was cut off.
 * `overlong` marks a line longer than {@link MAX_LINE_BYTES}: its bytes are not read, and nothing after it is.
 */
export interface FileLine {
  bytes: Buffer;
  /** Where the line starts in the file. */
  offset: number;
  complete: boolean;
  overlong?: true;
}

/** The lines of a file, in order, read a chunk at a time. */
export async function* fileLines(path: string): AsyncGenerator<FileLine> {
  const handle = await open(path, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    let carryAt = 0;
    let position = 0;
    const chunk = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, position);
      if (bytesRead === 0) break;
      const data = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      const dataAt = carry.length === 0 ? position : carryAt;
      position += bytesRead;
      let start = 0;
      for (let i = data.indexOf(NEWLINE); i !== -1; i = data.indexOf(NEWLINE, start)) {
        if (i - start > MAX_LINE_BYTES) {
          yield { bytes: Buffer.alloc(0), offset: dataAt + start, complete: true, overlong: true };
          return;
        }
        yield { bytes: Buffer.from(data.subarray(start, i)), offset: dataAt + start, complete: true };
        start = i + 1;
      }
      if (data.length - start > MAX_LINE_BYTES) {
        yield { bytes: Buffer.alloc(0), offset: dataAt + start, complete: true, overlong: true };
        return;
      }
      carry = Buffer.from(data.subarray(start));
      carryAt = dataAt + start;
    }
    if (carry.length > 0) yield { bytes: carry, offset: carryAt, complete: false };
  } finally {
    await handle.close();
  }
}

/** The end of a file: its last complete line (if any), and whether bytes follow it without a line break. */
export interface FileTail {
  last?: { bytes: Buffer; offset: number; line: number } | undefined;
  /** Bytes after the last line break: a line cut off. */
  tornBytes: number;
  size: number;
}

/**
 * The last complete line of a file, read backwards from its end, and how many bytes follow it. `line` is not known
 * when reading backwards: it is counted only by {@link countLines}.
 */
export function readTail(path: string): FileTail {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let end = size;
    let tornBytes = -1;
    let lastEnd = -1;
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, size)));
    // Find the last line break (the end of the last complete line), then the one before it (its start).
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      for (let i = n - 1; i >= 0; i--) {
        if (chunk[i] !== NEWLINE) continue;
        const at = start + i;
        if (lastEnd === -1) {
          lastEnd = at;
          tornBytes = size - at - 1;
        } else {
          return { last: { bytes: readRange(fd, at + 1, lastEnd), offset: at + 1, line: -1 }, tornBytes, size };
        }
      }
      end = start;
    }
    if (lastEnd === -1) return { tornBytes: size, size };
    return { last: { bytes: readRange(fd, 0, lastEnd), offset: 0, line: -1 }, tornBytes, size };
  } finally {
    closeSync(fd);
  }
}

function readRange(fd: number, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe(to - from);
  let done = 0;
  while (done < out.length) {
    const n = readSync(fd, out, done, out.length - done, from + done);
    if (n === 0) break;
    done += n;
  }
  return out.subarray(0, done);
}

/** The first complete line of a file, or undefined when it has none (or it is longer than {@link MAX_LINE_BYTES}). */
export function readHead(path: string): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const parts: Buffer[] = [];
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let position = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) return undefined;
      const i = chunk.subarray(0, n).indexOf(NEWLINE);
      if (i !== -1) {
        parts.push(Buffer.from(chunk.subarray(0, i)));
        return Buffer.concat(parts);
      }
      parts.push(Buffer.from(chunk.subarray(0, n)));
      position += n;
      if (position > MAX_LINE_BYTES) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}

/** A log file in a folder, with what its name says. */
export interface LogFile {
  name: string;
  path: string;
  firstSeq: number;
  n: number;
}

/** The files of the log `prefix` in `dir`, oldest first (by the seq their names start at). */
export function logFiles(dir: string, prefix: string): LogFile[] {
  const files: LogFile[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseFileName(name);
    if (parsed === undefined || parsed.prefix !== prefix) continue;
    files.push({ name, path: join(dir, name), firstSeq: parsed.firstSeq, n: parsed.n });
  }
  return files.sort((a, b) => a.firstSeq - b.firstSeq || a.n - b.n);
}
