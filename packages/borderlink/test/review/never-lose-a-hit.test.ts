// Never lose a hit: an answer whose descriptive fields are odd keeps its HIT, with a warning, in a single check and
// in a batch (where the other rows are unaffected); an answer whose verdict fields are broken is never read as clear.
// Over real sockets, against a gateway that sends exactly the answer written here.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, ProtocolError, type BatchOutcome, type BorderlinkClient, type CheckResult } from 'borderlink';
import { answerEach, context, craftedGateway, hits, item, linkedPassport, passport, vehicle, type CraftedAnswer, type CraftedRequest, type Json } from '../protocol/answers';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function clientFor(answer: (request: CraftedRequest) => CraftedAnswer): Promise<BorderlinkClient> {
  const gateway = await craftedGateway(answer);
  const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, retry: false, breaker: false });
  open.push(client, gateway);
  return client;
}

interface Example {
  name: string;
  check: (c: BorderlinkClient) => Promise<CheckResult>;
  subjects: Json[];
  sources: string[];
  hit: () => Json;
  path: string;
  /** What the kept hit reads at the odd field. */
  read: (hit: Json) => unknown;
  expected: unknown;
}

const examples: Example[] = [
  {
    name: 'keeps a HIT whose document status the enum does not list (CANCELLED)',
    check: (c) => c.checkDocument(passport),
    subjects: [{ kind: 'document', ...passport }],
    sources: ['SLTD', 'TDAWN'],
    hit: () => {
      const h = hits.document();
      h.document.status = 'CANCELLED';
      return h;
    },
    path: 'hits.0.document.status',
    read: (h) => h.document.status,
    expected: 'CANCELLED',
  },
  {
    name: 'keeps a TDAWN HIT whose document has no status',
    check: (c) => c.checkDocument(linkedPassport),
    subjects: [{ kind: 'document', ...linkedPassport }],
    sources: ['SLTD', 'TDAWN'],
    hit: () => {
      const h = hits.linked();
      delete h.document.status;
      return h;
    },
    path: 'hits.0.document.status',
    read: (h) => h.document.status,
    expected: undefined,
  },
  {
    name: 'keeps a HIT whose notice type the enum does not list',
    check: (c) => c.checkDocument(linkedPassport),
    subjects: [{ kind: 'document', ...linkedPassport }],
    sources: ['SLTD', 'TDAWN'],
    hit: () => {
      const h = hits.linked();
      h.notice.type = 'SILVER';
      return h;
    },
    path: 'hits.0.notice.type',
    read: (h) => h.notice.type,
    expected: 'SILVER',
  },
  {
    name: 'keeps a HIT whose confirmation state is DISPUTED',
    check: (c) => c.checkDocument(passport),
    subjects: [{ kind: 'document', ...passport }],
    sources: ['SLTD', 'TDAWN'],
    hit: () => {
      const h = hits.document();
      h.confirmation.state = 'DISPUTED';
      return h;
    },
    path: 'hits.0.confirmation.state',
    read: (h) => h.confirmation.state,
    expected: 'DISPUTED',
  },
  {
    name: 'keeps a HIT whose vehicle record has no plate',
    check: (c) => c.checkVehicle(vehicle),
    subjects: [{ kind: 'vehicle', ...vehicle }],
    sources: ['SMV'],
    hit: () => {
      const h = hits.vehicle();
      delete h.vehicle.plate;
      return h;
    },
    path: 'hits.0.vehicle.plate',
    read: (h) => h.vehicle.plate,
    expected: undefined,
  },
];

describe('a descriptive field the gateway got wrong costs no hit', () => {
  for (const ex of examples) {
    it(`${ex.name}, with a warning`, async () => {
      const client = await clientFor(answerEach((asked) => item(asked.itemId, asked.sources, [ex.hit()])));
      const result = await ex.check(client);
      expect(result.verdict).toBe('HIT');
      expect(result.hits).toHaveLength(1);
      expect(ex.read(result.hits[0])).toBe(ex.expected);
      expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: ex.path }]);
    });

    it(`${ex.name}, in checkMany, and the other rows are unaffected`, async () => {
      // Row 0 carries the odd hit; row 1 a clean hit; row 2 nothing.
      const client = await clientFor(
        answerEach((asked, i) => item(asked.itemId, asked.sources, i === 0 ? [ex.hit()] : i === 1 ? [hits.document()] : [])),
      );
      const rows: BatchOutcome[] = [];
      const input = ['odd', 'clean-hit', 'clear'].map((id) => ({ id, subjects: ex.subjects, sources: ex.sources as never }));
      for await (const row of client.checkMany(input, { ordered: true })) rows.push(row);
      expect(rows.map((r) => [r.id, r.error?.code, r.result?.verdict])).toEqual([
        ['odd', undefined, 'HIT'],
        ['clean-hit', undefined, 'HIT'],
        ['clear', undefined, 'NO_HIT'],
      ]);
      expect(ex.read(rows[0]!.result!.hits[0])).toBe(ex.expected);
      expect(rows[0]!.result!.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: ex.path }]);
      // A hit of a source nobody asked is a warning of that row alone (row 1's SLTD hit when only SMV was asked).
      expect(rows[1]!.result!.warnings).toEqual(ex.sources.includes('SLTD') ? [] : [{ code: 'GATEWAY_DEVIATION', path: 'hits.0.source' }]);
      expect(rows[2]!.result!.warnings).toEqual([]);
    });
  }

  it('keeps a HIT whose descriptive strings are numbers or longer than 1,000 characters: those fields are undefined', async () => {
    const odd = hits.document();
    odd.ownerCountry = 42;
    odd.actionToBeTaken = 'X'.repeat(1001);
    odd.document.documentNumber = { nested: 'L898902C3' };
    odd.match.matchedFields = ['documentNumber', 7];
    const client = await clientFor(answerEach((asked) => item(asked.itemId, asked.sources, [odd])));
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('HIT');
    const hit = result.hits[0]!;
    expect(hit.ownerCountry).toBeUndefined();
    expect(hit.actionToBeTaken).toBeUndefined();
    expect(hit.kind === 'document' && hit.document?.documentNumber).toBeUndefined();
    expect(hit.match.matchedFields).toEqual(['documentNumber']);
    expect(result.warnings.map((w) => w.path).sort()).toEqual(
      ['hits.0.actionToBeTaken', 'hits.0.document.documentNumber', 'hits.0.match.matchedFields.1', 'hits.0.ownerCountry'].sort(),
    );
  });
});

describe('a verdict field the gateway got wrong is never read as clear', () => {
  const brokenHits: [string, (h: Json) => void, string][] = [
    ['of an unknown kind', (h) => (h.kind = 'boat'), 'hits.0.kind'],
    ['of an unknown match method', (h) => (h.match.method = 'PHONETIC'), 'hits.0.match.method'],
    ['with a score above 1', (h) => (h.match.score = 1.5), 'hits.0.match.score'],
    ['with a score that is a string', (h) => (h.match.score = '1'), 'hits.0.match.score'],
    ['with an empty hitId', (h) => (h.hitId = ''), 'hits.0.hitId'],
    ['without a recordId', (h) => delete h.recordId, 'hits.0.recordId'],
    ['of an unknown source', (h) => (h.source = 'ASF'), 'hits.0.source'],
    ['that is not an object', (h) => Object.assign(h, { __replace: 'not a hit' }), 'hits.0'],
  ];
  for (const [what, spoil, path] of brokenHits) {
    it(`a hit ${what} is left out with a warning and blocks NO_HIT`, async () => {
      const broken = hits.document();
      spoil(broken);
      const sent = '__replace' in broken ? broken.__replace : broken;
      // Every outcome says NO_HIT: only the broken hit stands between this answer and a clear.
      const client = await clientFor(answerEach((asked) => ({ ...item(asked.itemId, asked.sources), hits: [sent] })));
      const result = await client.checkDocument(passport);
      expect(result.verdict).toBe('INCOMPLETE');
      expect(result.hits).toEqual([]);
      expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path }]);
    });
  }

  it('a broken hit beside a valid EXACT hit still reads HIT, and the valid hit is kept', async () => {
    const broken = hits.document();
    broken.match.score = -1;
    const client = await clientFor(answerEach((asked) => item(asked.itemId, asked.sources, [broken, hits.document()])));
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('HIT');
    expect(result.hits.map((h) => h.hitId)).toEqual(['h-sltd-1']);
    expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'hits.0.match.score' }]);
  });

  it('in checkMany, a broken hit blocks NO_HIT for its own row only', async () => {
    const broken = hits.document();
    broken.kind = 'boat';
    const client = await clientFor(answerEach((asked, i) => ({ ...item(asked.itemId, asked.sources), hits: i === 1 ? [broken] : [] })));
    const rows: BatchOutcome[] = [];
    const subjects = [{ kind: 'document' as const, ...passport }];
    for await (const row of client.checkMany(['a', 'b', 'c'].map((id) => ({ id, subjects })), { ordered: true })) rows.push(row);
    expect(rows.map((r) => r.result?.verdict)).toEqual(['NO_HIT', 'INCOMPLETE', 'NO_HIT']);
    expect(rows.map((r) => r.result?.warnings)).toEqual([[], [{ code: 'GATEWAY_DEVIATION', path: 'hits.0.kind' }], []]);
  });

  it('an outcome of a status protocol v1 does not list makes its source ERROR, whatever a second outcome says', async () => {
    const client = await clientFor(
      answerEach((asked) => ({
        itemId: asked.itemId,
        outcomes: [{ source: 'SLTD', status: 'MAYBE' }, { source: 'SLTD', status: 'NO_HIT' }, { source: 'TDAWN', status: 'NO_HIT' }],
        hits: [],
      })),
    );
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.outcomes).toEqual([{ source: 'SLTD', status: 'ERROR' }, { source: 'TDAWN', status: 'NO_HIT' }]);
    expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'outcomes.0.status' }]);
  });

  it('an outcome that says NOT_ASKED is a broken outcome: the client alone may say a source was not asked', async () => {
    const client = await clientFor(
      answerEach((asked) => ({ itemId: asked.itemId, outcomes: [{ source: 'SLTD', status: 'NOT_ASKED' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [] })),
    );
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.outcomes[0]).toEqual({ source: 'SLTD', status: 'ERROR' });
    expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'outcomes.0.status' }]);
  });

  it('an outcome whose source cannot be read blocks NO_HIT even when every requested source said NO_HIT', async () => {
    const client = await clientFor(
      answerEach((asked) => ({ ...item(asked.itemId, asked.sources), outcomes: [...item(asked.itemId, asked.sources).outcomes, { status: 'HIT' }] })),
    );
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'outcomes.2.source' }]);
  });

  it('an item without a list of hits blocks NO_HIT', async () => {
    const client = await clientFor(answerEach((asked) => ({ itemId: asked.itemId, outcomes: item(asked.itemId, asked.sources).outcomes })));
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('INCOMPLETE');
    expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'hits' }]);
  });
});

describe('answers that read fine alone but not together never read NO_HIT', () => {
  it('a hit from a source that was not asked counts, with a warning', async () => {
    const client = await clientFor(answerEach((asked) => ({ ...item(asked.itemId, asked.sources), hits: [hits.person()] })));
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('HIT');
    expect(result.hits.map((h) => h.source)).toEqual(['NOMINAL']);
    expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'hits.0.source' }]);
  });

  it('an outcome HIT with no hit is POSSIBLE_HIT (a lead, not a failed source), with a warning', async () => {
    const client = await clientFor(answerEach((asked) => ({ ...item(asked.itemId, asked.sources, [hits.document()]), hits: [] })));
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('POSSIBLE_HIT');
    expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'outcomes.0.status' }]);
  });

  it('a hit while every outcome says NO_HIT reads HIT, with a warning', async () => {
    const client = await clientFor(answerEach((asked) => ({ ...item(asked.itemId, asked.sources), hits: [hits.document()] })));
    const result = await client.checkDocument(passport);
    expect(result.verdict).toBe('HIT');
    expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: 'outcomes.0.status' }]);
  });
});

describe('an answer whose shape cannot be read is a ProtocolError', () => {
  const shapes: [string, Json][] = [
    ['not an object', [1, 2]],
    ['items not an array', { requestId: 'r', items: { itemId: '1' } }],
    ['an item that is not an object', { requestId: 'r', items: ['1'] }],
    ['an item without a string itemId', { requestId: 'r', items: [{ itemId: 1, outcomes: [], hits: [] }] }],
  ];
  for (const [what, body] of shapes) {
    it(`${what}: not retried, and no value of the answer in the error`, async () => {
      const client = await clientFor(() => ({ body }));
      const err = await client.checkDocument(passport).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).retryable).toBe(false);
    });
  }
});
