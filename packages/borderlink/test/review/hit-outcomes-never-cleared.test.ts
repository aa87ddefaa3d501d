// A source's HIT outcome is a lead whatever else the answer says: reported twice (once as a failure) it still reads
// POSSIBLE_HIT, and reported for a source the request did not name it still forbids NO_HIT. Over real sockets,
// against a gateway that sends exactly the answer written here.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, isClear, type BorderlinkClient } from 'borderlink';
import { answerEach, context, craftedGateway, passport, type Json } from '../protocol/answers';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function clientAnswering(each: () => Json): Promise<BorderlinkClient> {
  const gateway = await craftedGateway(answerEach(each));
  const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, retry: false, breaker: false });
  open.push(client, gateway);
  return client;
}

describe('a HIT outcome is never lost', () => {
  it('keeps a source HIT that the gateway also reported as ERROR before it (POSSIBLE_HIT, not INCOMPLETE)', async () => {
    const client = await clientAnswering(() => ({
      outcomes: [
        { source: 'SLTD', status: 'ERROR' },
        { source: 'SLTD', status: 'HIT' },
        { source: 'TDAWN', status: 'NO_HIT' },
      ],
      hits: [],
    }));
    const result = await client.checkDocument(passport);
    // The same answer with the two SLTD outcomes the other way round reads POSSIBLE_HIT: order must not matter.
    expect(result.outcomes.find((o) => o.source === 'SLTD')?.status).toBe('HIT');
    expect(result.verdict).toBe('POSSIBLE_HIT');
  });

  it('never reads NO_HIT when the answer holds a HIT outcome for a source the request did not name', async () => {
    const client = await clientAnswering(() => ({
      outcomes: [
        { source: 'SLTD', status: 'NO_HIT' },
        { source: 'TDAWN', status: 'NO_HIT' },
        { source: 'NOMINAL', status: 'HIT' },
      ],
      hits: [],
    }));
    const result = await client.checkDocument(passport);
    // A hit from a source nobody asked still counts; a HIT outcome from one is the same lead without its record.
    expect(isClear(result)).toBe(false);
  });
});
