// A gateway that contradicts itself about a confirmation, over a real socket: an answer the state table refuses is a
// ProtocolError, never applied; a state protocol v1 does not list, or an answer about another request, is refused too;
// the owner's odd words are read around, never cost the answer.
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError, createClient, httpTransport, type BorderlinkClient, type ConfirmationChangeEvent } from 'borderlink';
import { startHostileGateway, type HostileGateway } from '../hostile/server';
import { context } from './helpers';

const hitId = 'H-1';
const status = (over: Record<string, unknown> = {}) => ({
  confirmationId: 'C-1',
  hitId,
  priority: 'URGENT',
  attempt: 1,
  reason: 'Holder held at lane 7',
  locationId: 'UTO-LANE-07',
  state: 'PENDING',
  dueAt: '2999-01-01T00:00:00Z',
  ...over,
});

let open: { gateway: HostileGateway; client: BorderlinkClient } | undefined;
afterEach(async () => {
  await open?.client.close();
  await open?.gateway.close();
  open = undefined;
});

/** A gateway that accepts the request, then answers each look with the next of `looks`. */
async function gatewayAnswering(looks: unknown[]) {
  const gateway = await startHostileGateway();
  let n = 0;
  gateway.answer((req) => {
    if (req.method === 'POST') return { status: 201, body: JSON.stringify({ confirmationId: 'C-1', state: 'PENDING', dueAt: '2999-01-01T00:00:00Z' }) };
    const look = looks[Math.min(n++, looks.length - 1)];
    return { status: 200, body: JSON.stringify(look) };
  });
  const client = createClient({ transport: httpTransport({ baseUrl: gateway.url }), context, retry: { retries: 0 }, confirmations: { pollIntervalMs: 100 } });
  open = { gateway, client };
  const confirmation = await client.requestConfirmation({ hitId }, { priority: 'URGENT', reason: 'Holder held at lane 7' });
  const seen: ConfirmationChangeEvent[] = [];
  confirmation.on('confirmation', (e) => seen.push(e));
  return { confirmation, seen };
}

describe('a gateway that answers an impossible transition', () => {
  for (const [from, to] of [
    ['CONFIRMED', 'PENDING'],
    ['CONFIRMED', 'NOT_CONFIRMED'],
    ['NOT_CONFIRMED', 'CONFIRMED'],
    ['RECORD_NO_LONGER_VALID', 'EXPIRED'],
  ] as const) {
    it(`refuses ${from} → ${to} with a ProtocolError and keeps ${from}`, async () => {
      const { confirmation, seen } = await gatewayAnswering([status({ state: from, respondedAt: '2026-12-01T08:05:00Z', response: { instructions: 'first' } }), status({ state: to })]);
      await expect(confirmation.wait()).resolves.toBe(from);
      const err = await confirmation.refresh().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).message).toBe(`The gateway's answer moves the confirmation from ${from} to ${to}, which cannot happen: the answer is not applied`);
      expect((err as ProtocolError).issues).toEqual([{ path: 'state', message: `${to} cannot follow ${from}` }]);
      expect(confirmation.state).toBe(from);
      expect(confirmation.response).toEqual({ instructions: 'first' });
      expect(seen.map((e) => e.to)).toEqual([from]);
    });
  }

  it('rejects a wait when the gateway says a request it answered is pending again', async () => {
    // A refresh reads CONFIRMED; the wait started before that reads PENDING next, which cannot follow.
    const { confirmation } = await gatewayAnswering([status({ state: 'CONFIRMED' }), status({ state: 'PENDING' })]);
    await confirmation.refresh();
    await expect(confirmation.refresh()).rejects.toBeInstanceOf(ProtocolError);
    await expect(confirmation.wait()).resolves.toBe('CONFIRMED');
  });

  it('refuses a state protocol v1 does not list, and an answer about another request, without guessing', async () => {
    const unknown = await gatewayAnswering([status({ state: 'PROBABLY_CONFIRMED' })]);
    await expect(unknown.confirmation.refresh()).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', issues: [{ path: 'state', message: expect.any(String) }] });
    expect(unknown.confirmation.state).toBe('PENDING');
    await open!.client.close();
    await open!.gateway.close();

    for (const [field, value] of [
      ['confirmationId', 'C-2'],
      ['hitId', 'H-2'],
      ['attempt', 2],
      ['priority', 'ROUTINE'],
    ] as const) {
      const other = await gatewayAnswering([status({ state: 'CONFIRMED', [field]: value })]);
      const err = await other.confirmation.refresh().catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).issues, field).toEqual([{ path: field, message: expect.any(String) }]);
      expect(other.confirmation.state, field).toBe('PENDING');
      await open!.client.close();
      await open!.gateway.close();
      open = undefined;
    }
  });

  it("keeps the owner's answer when its words and times are odd, with a warning each", async () => {
    const { confirmation } = await gatewayAnswering([status({ state: 'CONFIRMED', respondedAt: 'yesterday', response: { instructions: 7, ownerReference: 'UTO-1' } })]);
    await expect(confirmation.refresh()).resolves.toBe('CONFIRMED');
    expect(confirmation.response).toEqual({ ownerReference: 'UTO-1' });
    expect(confirmation.respondedAt).toBeUndefined();
    expect(confirmation.warnings.map((w) => w.path).sort()).toEqual(['respondedAt', 'response.instructions']);
  });
});
