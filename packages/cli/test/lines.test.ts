// The bounded line splitter screen reads manifests with, in-process: line breaks and characters split between chunks.
import { describe, expect, it } from 'vitest';
import { LineAssembler, OVER_LONG, linePieces } from '../src/lines';

async function linesOf(chunks: (string | Buffer)[], max = 1 << 16): Promise<(string | typeof OVER_LONG)[]> {
  const assembler = new LineAssembler(max);
  const lines: (string | typeof OVER_LONG)[] = [];
  for await (const piece of linePieces((async function* () {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
  })())) {
    const line = assembler.add(piece);
    if (line !== undefined) lines.push(line);
  }
  return lines;
}

describe('linePieces and LineAssembler', () => {
  it('splits on LF, CRLF and a lone CR, and ends a last line without a break', async () => {
    expect(await linesOf(['a\nb\r\nc\rd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(await linesOf(['a\n\nb\n'])).toEqual(['a', '', 'b']);
    expect(await linesOf([''])).toEqual([]);
  });

  it('keeps a CRLF split between two chunks one line break', async () => {
    expect(await linesOf(['a\r', '\nb\r', '\r\nc'])).toEqual(['a', 'b', '', 'c']);
  });

  it('joins a UTF-8 character split between two chunks', async () => {
    const bytes = Buffer.from('ØRSTED\nJÖRG\n');
    expect(await linesOf([bytes.subarray(0, 1), bytes.subarray(1, 9), bytes.subarray(9)])).toEqual(['ØRSTED', 'JÖRG']);
  });

  it('gives OVER_LONG for a line past the bound, in however many chunks, and reads on after it', async () => {
    expect(await linesOf(['12345', '678\nok\n'], 7)).toEqual([OVER_LONG, 'ok']);
    expect(await linesOf(['1234567\n'], 7)).toEqual(['1234567']);
    // The bound is in bytes: Ø is two.
    expect(await linesOf(['ØØØØ\n'], 7)).toEqual([OVER_LONG]);
  });
});
