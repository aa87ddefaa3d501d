// answersByItem has a path of its own for one asked item (every single check, and an automatic batch that gathered
// one call). It must give exactly what the general rule gives for any answer a gateway could send: the same map, or
// the same ProtocolError, so a lying gateway can never be believed more on one path than on the other.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors/index';
import { answersByItem, type MissingItem } from '../../src/client/items';

/** The general rule, as answersByItem applies it to two or more asked items, written out for one. */
function generalRule(askedIds: readonly string[], answers: readonly { itemId: string }[], missing: MissingItem): Map<string, { itemId: string }> {
  const asked = new Set(askedIds);
  const byId = new Map<string, { itemId: string }>();
  for (const answer of answers) {
    if (!asked.has(answer.itemId)) throw new ProtocolError('The gateway answered an item that was not asked', { retryable: false });
    if (byId.has(answer.itemId)) throw new ProtocolError('The gateway answered an asked item more than once', { retryable: false });
    byId.set(answer.itemId, answer);
  }
  if (missing === 'fails-request' && byId.size !== asked.size) throw new ProtocolError('The gateway answered without an item that was asked', { retryable: false });
  return byId;
}

function outcomeOf(f: () => Map<string, { itemId: string }>): { map: [string, unknown][] } | { error: string; retryable: boolean; cls: unknown } {
  try {
    return { map: [...f().entries()] };
  } catch (error) {
    return { error: (error as Error).message, retryable: (error as ProtocolError).retryable, cls: (error as Error).constructor };
  }
}

// Ids a hostile gateway might send back for item 1: the right one, a neighbour, look-alikes, empty.
const id = fc.constantFrom('1', '2', '0', '01', '1 ', ' 1', '', '１', 'x');
const answers = fc.array(fc.record({ itemId: id, n: fc.nat(5) }), { maxLength: 5 });
const missing = fc.constantFrom<MissingItem>('fails-request', 'fails-item');

describe('matching the answer to one asked item', () => {
  it('gives the same answer or the same error as the general rule for any answer, hostile ids included', () => {
    fc.assert(
      fc.property(id, answers, missing, (askedId, given, mode) => {
        const fast = outcomeOf(() => answersByItem([askedId], given, mode));
        expect(fast).toEqual(outcomeOf(() => generalRule([askedId], given, mode)));
        if ('map' in fast) for (const [, answer] of fast.map) expect((answer as { itemId: string }).itemId).toBe(askedId);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses an answer under a neighbouring id, and one answered twice, in either mode', () => {
    for (const mode of ['fails-request', 'fails-item'] as const) {
      expect(() => answersByItem(['1'], [{ itemId: '2' }], mode)).toThrow(ProtocolError);
      expect(() => answersByItem(['1'], [{ itemId: '1' }, { itemId: '1' }], mode)).toThrow(/more than once/);
    }
    expect(() => answersByItem(['1'], [], 'fails-request')).toThrow(/without an item/);
    expect(answersByItem(['1'], [], 'fails-item').size).toBe(0);
  });
});
