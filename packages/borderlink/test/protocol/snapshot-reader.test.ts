// The snapshot reader alone, over bodies split every way: what it gives for a sound answer, and the typed error for
// each way an answer can break (naming the line, never its content), with memory bounded by one line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, ProtocolError } from 'borderlink';
import { readSnapshot, type SnapshotReadOptions } from '../../src/protocol/snapshot';
import { contentHash, deltaAnswer, failure, fullAnswer, ndjson, readAll, sltdRecord, sltdUpsert } from '../helpers/snapshots';

/** A body of these parts, as a transport hands it over; `pulled` counts the parts taken so far. */
function body(parts: readonly (string | Uint8Array)[]): AsyncIterable<string | Uint8Array> & { readonly pulledParts: number } {
  let pulled = 0;
  return {
    async *[Symbol.asyncIterator]() {
      for (const part of parts) {
        pulled++;
        yield part;
      }
    },
    get pulledParts() {
      return pulled;
    },
  };
}

/** The bytes of `text` cut at these offsets, each part a Uint8Array or (when `strings`) text. */
function split(text: string, cuts: number[], strings: boolean): (string | Uint8Array)[] {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(from, p));
    from = p;
  }
  // A text part must not cut a character in two; byte parts may.
  return strings ? [text] : parts.map((p) => new Uint8Array(p));
}

const read = (text: string | (string | Uint8Array)[], options: Partial<SnapshotReadOptions> = {}) =>
  readAll(readSnapshot(body(typeof text === 'string' ? [text] : text), { source: 'SLTD', ...options }));

const refusal = async (text: string | (string | Uint8Array)[], options: Partial<SnapshotReadOptions> = {}): Promise<ProtocolError> => {
  const err = await failure(read(text, options));
  expect(err).toBeInstanceOf(ProtocolError);
  return err as ProtocolError;
};

const PLANTED_NUMBER = 'QZ7766554';
const PLANTED_NAME = 'VANDERPLANT';
/** Asserts an error says nothing of what the answer held. */
function holdsNothingOfTheAnswer(err: ProtocolError): void {
  const all = `${err.message} ${JSON.stringify(err)} ${JSON.stringify(err.issues)}`;
  expect(all).not.toContain(PLANTED_NUMBER);
  expect(all).not.toContain(PLANTED_NAME);
}

describe('readSnapshot: a sound answer', () => {
  it('reads a full snapshot whatever the split of its bytes, a name of any script cut mid-character included', async () => {
    const changes = [sltdUpsert(1), { op: 'upsert', record: { ...sltdRecord(2), actionToBeTaken: 'ΚΑΤΆΣΧΕΣΗ_ÉTÉ_ЦОЙ' } }, sltdUpsert(3)];
    const text = fullAnswer('SLTD', changes);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 30 }), fc.boolean(), async (cuts, strings) => {
        const lines = await read(split(text, cuts, strings));
        expect(lines.slice(0, 3)).toEqual(changes);
        expect(lines[3]).toMatchObject({ op: 'end', full: true, changes: 3, recordCount: 3 });
        expect(lines).toHaveLength(4);
      }),
      { numRuns: 150 },
    );
  });

  it('reads a body cut into one-byte parts', async () => {
    const text = fullAnswer('SLTD', [sltdUpsert(1), sltdUpsert(2)]);
    const bytes = Buffer.from(text);
    expect(await read([...bytes].map((b) => new Uint8Array([b])))).toHaveLength(3);
  });

  it('takes an end line without its newline, and lines ending in \\r\\n (hashed as sent)', async () => {
    const text = fullAnswer('SLTD', [sltdUpsert(1)]);
    expect(await read(text.slice(0, -1))).toHaveLength(2);
    const lines = `${JSON.stringify(sltdUpsert(1))}\r\n`;
    const end = { op: 'end', source: 'SLTD', cursor: 'c', dataAsOf: '2026-12-01T06:00:00+01:00', full: true, changes: 1, recordCount: 1, contentHash: contentHash(lines) };
    expect(await read(`${lines}${JSON.stringify(end)}\r\n`)).toEqual([sltdUpsert(1), end]);
  });

  it('reads a delta: upserts and deletes, no hash needed, and a full answer to a delta request', async () => {
    const changes = [sltdUpsert(1), { op: 'delete', source: 'SLTD', recordId: 'SLTD-UTO-9' }];
    expect(await read(deltaAnswer('SLTD', changes), { since: 'cursor-1' })).toEqual([
      ...changes,
      { op: 'end', source: 'SLTD', cursor: 'cursor-2', dataAsOf: '2026-12-01T06:00:00Z', full: false, changes: 2, recordCount: 7 },
    ]);
    expect(await read(fullAnswer('SLTD', [sltdUpsert(1)]), { since: 'cursor-1' })).toHaveLength(2);
    expect(await read(deltaAnswer('SLTD', []), { since: 'cursor-1' })).toEqual([expect.objectContaining({ op: 'end', changes: 0 })]);
  });

  it('leaves out a descriptive field it cannot read and keeps the record', async () => {
    const record = { ...sltdRecord(1), ownerCountry: 42, document: { ...sltdRecord(1).document, status: ['STOLEN'], extra: 'ignored' } };
    const [line] = await read(fullAnswer('SLTD', [{ op: 'upsert', record }]));
    expect(line).toEqual({ op: 'upsert', record: { source: 'SLTD', recordId: 'SLTD-UTO-1', document: { documentNumber: 'X0000001', issuingState: 'UTO', documentType: 'PASSPORT' } } });
  });

  it('gives each line before it reads the next part, and takes no part before its reader asks', async () => {
    const parts = [ndjson([sltdUpsert(1)]), ndjson([sltdUpsert(2)]), ndjson([sltdUpsert(3)])];
    const text = fullAnswer('SLTD', [sltdUpsert(1), sltdUpsert(2), sltdUpsert(3)]);
    const the = body([...parts, text.slice(parts.join('').length)]);
    const iterator = readSnapshot(the, { source: 'SLTD' })[Symbol.asyncIterator]();
    await iterator.next();
    expect(the.pulledParts).toBe(1);
    await iterator.next();
    expect(the.pulledParts).toBe(2);
    await iterator.return?.();
  });
});

describe('readSnapshot: a broken answer is a ProtocolError naming the line, never what it held', () => {
  const cases: [name: string, text: () => string, line: number, path: string, retryable?: boolean, options?: Partial<SnapshotReadOptions>][] = [
    ['a line that is not JSON', () => fullAnswer('SLTD', [sltdUpsert(1)]).replace('\n', `\n{${PLANTED_NUMBER}\n`), 2, ''],
    ['a line that is not an object', () => `[${JSON.stringify(PLANTED_NAME)}]\n`, 1, ''],
    ['an unknown op', () => `{"op":"${PLANTED_NAME}"}\n`, 1, 'op'],
    ['a record of another source', () => fullAnswer('SLTD', [sltdUpsert(1), { op: 'upsert', record: { ...sltdRecord(2, PLANTED_NUMBER), source: 'TDAWN', notice: {} } }]), 2, 'record.source'],
    ['a delete of another source', () => deltaAnswer('SLTD', [{ op: 'delete', source: 'SMV', recordId: PLANTED_NUMBER }]), 1, 'source', false, { since: 'c' }],
    ['an end line of another source', () => fullAnswer('SLTD', [sltdUpsert(1)], { source: 'NOMINAL' }), 2, 'source'],
    ['a document number that is not a string', () => fullAnswer('SLTD', [{ op: 'upsert', record: { ...sltdRecord(1), document: { documentNumber: 7766554, issuingState: PLANTED_NAME } } }]), 1, 'record.document.documentNumber'],
    ['a missing issuing state', () => fullAnswer('SLTD', [{ op: 'upsert', record: { ...sltdRecord(1, PLANTED_NUMBER), document: { documentNumber: PLANTED_NUMBER } } }]), 1, 'record.document.issuingState'],
    ['a record id too long to keep', () => fullAnswer('SLTD', [{ op: 'upsert', record: { ...sltdRecord(1), recordId: PLANTED_NUMBER.repeat(200) } }]), 1, 'record.recordId'],
    ['given names that are not a list', () => fullAnswer('NOMINAL', [{ op: 'upsert', record: { source: 'NOMINAL', recordId: 'N-1', ownerCountry: 'UTO', person: { surname: PLANTED_NAME, givenNames: PLANTED_NAME, dateOfBirth: '1970-01-01', nationalities: [] }, notice: {} } }]), 1, 'record.person.givenNames', false, { source: 'NOMINAL' }],
    ['a changes count that is not the lines read', () => fullAnswer('SLTD', [sltdUpsert(1), sltdUpsert(2)], { changes: 3, recordCount: 3 }), 3, 'changes'],
    ['a full snapshot holding a delete', () => fullAnswer('SLTD', [sltdUpsert(1), { op: 'delete', source: 'SLTD', recordId: 'x' }], { recordCount: 1 }), 3, 'full'],
    ['a full snapshot whose record count is not its lines', () => fullAnswer('SLTD', [sltdUpsert(1)], { recordCount: 2 }), 2, 'recordCount'],
    ['a delta answering a full request', () => deltaAnswer('SLTD', [sltdUpsert(1)]), 2, 'full'],
    ['a full snapshot without a content hash', () => fullAnswer('SLTD', [sltdUpsert(1)], { contentHash: undefined }), 2, 'contentHash'],
    ['a content hash of other lines', () => fullAnswer('SLTD', [sltdUpsert(1)], { contentHash: `sha256:${'0'.repeat(64)}` }), 2, 'contentHash'],
    ['a delta whose content hash does not match', () => deltaAnswer('SLTD', [sltdUpsert(1)], { contentHash: `sha256:${'a'.repeat(64)}` }), 2, 'contentHash', false, { since: 'c' }],
    ['a cursor with a space', () => fullAnswer('SLTD', [sltdUpsert(1)], { cursor: `${PLANTED_NUMBER} x` }), 2, 'cursor'],
    ['a dataAsOf that is not a time', () => fullAnswer('SLTD', [sltdUpsert(1)], { dataAsOf: PLANTED_NAME }), 2, 'dataAsOf'],
    ['a dataAsOf without a time of day', () => fullAnswer('SLTD', [sltdUpsert(1)], { dataAsOf: '2026-12-01' }), 2, 'dataAsOf'],
    ['a second end line', () => fullAnswer('SLTD', [sltdUpsert(1)]).replace(/(\{"op":"end".*\n)$/, '$1$1'), 3, ''],
    ['a line after the end line', () => `${fullAnswer('SLTD', [sltdUpsert(1)])}${JSON.stringify(sltdUpsert(2))}\n`, 3, ''],
    ['bytes after the end line', () => `${fullAnswer('SLTD', [sltdUpsert(1)])}${PLANTED_NUMBER}`, 3, ''],
    ['a blank line after the end line', () => `${fullAnswer('SLTD', [sltdUpsert(1)])}\n`, 3, ''],
    ['no end line', () => ndjson([sltdUpsert(1), sltdUpsert(2)]), 3, '', true],
    ['an empty body', () => '', 1, '', true],
    ['a last line the answer ended inside', () => ndjson([sltdUpsert(1)]) + JSON.stringify(sltdUpsert(2)).slice(0, 40), 2, '', true],
  ];
  for (const [name, text, line, path, retryable = false, options = {}] of cases) {
    it(`refuses ${name} (line ${line}${path === '' ? '' : `, ${path}`})`, async () => {
      const err = await refusal(text(), options);
      expect(err.issues).toEqual([{ path: path === '' ? `lines.${line}` : `lines.${line}.${path}`, message: expect.any(String) }]);
      expect(err.message).toContain(`line ${line}`);
      expect(err.retryable).toBe(retryable);
      holdsNothingOfTheAnswer(err);
    });
  }

  it('never gives the end line of an answer with anything wrong after it', async () => {
    const given: unknown[] = [];
    await expect(
      (async () => {
        for await (const line of readSnapshot(body([`${fullAnswer('SLTD', [sltdUpsert(1)])}{}`]), { source: 'SLTD' })) given.push(line);
      })(),
    ).rejects.toThrow(ProtocolError);
    expect(given).toEqual([sltdUpsert(1)]);
  });

  it('refuses a line longer than the limit as soon as it is, without holding more of it', async () => {
    const limit = 1024;
    const long = `{"op":"upsert","record":{"recordId":"${PLANTED_NUMBER.repeat(1000)}"}}\n`;
    const parts = [ndjson([sltdUpsert(1)]), ...Array.from({ length: 100 }, (_, i) => long.slice(i * 100, (i + 1) * 100))];
    const the = body(parts);
    const err = await failure(readAll(readSnapshot(the, { source: 'SLTD', maxLineBytes: limit })));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).issues).toEqual([{ path: 'lines.2', message: 'is longer than the line limit' }]);
    holdsNothingOfTheAnswer(err as ProtocolError);
    // The line crossed the limit in the 12th part of it: the rest was never taken.
    expect(the.pulledParts).toBeLessThanOrEqual(1 + Math.ceil(limit / 100) + 1);
  });

  it('refuses a long line that comes whole in one part', async () => {
    const err = await refusal(fullAnswer('SLTD', [{ op: 'upsert', record: { ...sltdRecord(1), actionToBeTaken: 'x'.repeat(2000) } }]), { maxLineBytes: 1000 });
    expect(err.issues[0]?.path).toBe('lines.1');
  });

  it('puts the request id and status on its errors', async () => {
    const err = await refusal('', { requestId: 'req-1', status: 200 });
    expect(err).toMatchObject({ requestId: 'req-1', status: 200 });
  });
});

describe('readSnapshot: what the body throws, and the signal', () => {
  it('throws what the body throws (a broken connection), with the request id', async () => {
    const broken: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        yield Buffer.from(ndjson([sltdUpsert(1)]));
        throw new ConnectionError('connection reset');
      },
    };
    const given: unknown[] = [];
    const err = await failure((async () => {
      for await (const line of readSnapshot(broken, { source: 'SLTD', requestId: 'req-2' })) given.push(line);
    })());
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).requestId).toBe('req-2');
    expect(given).toEqual([sltdUpsert(1)]);
  });

  it('stops at the signal with an AbortError, and leaves the body', async () => {
    const controller = new AbortController();
    let left = false;
    const endless: AsyncIterable<string> = {
      [Symbol.asyncIterator]() {
        let i = 0;
        return {
          next: async () => ({ value: ndjson([sltdUpsert(i++)]), done: false }),
          return: async () => {
            left = true;
            return { value: undefined, done: true };
          },
        };
      },
    };
    const err = await failure((async () => {
      let n = 0;
      for await (const _ of readSnapshot(endless, { source: 'SLTD', signal: controller.signal })) if (++n === 3) controller.abort();
    })());
    expect(err).toBeInstanceOf(AbortError);
    expect(left).toBe(true);
  });
});
