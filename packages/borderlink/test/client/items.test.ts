// answersByItem has a path of its own for one asked item (every single check, and an automatic batch that gathered
// one call), and one for asked ids that are a run of numbers (a batch's items, checkMany's rows). Each must give
// exactly what the general rule gives for any answer a gateway could send: the same answers, or the same
// ProtocolError, so a lying gateway can never be believed more on one path than on the other.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors/index';
import { answersByItem, type ItemAnswers, type MissingItem } from '../../src/client/items';

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

/** The answers found for `lookedUp` (and how many there are), or the error. */
function outcomeOf(
  f: () => ItemAnswers<{ itemId: string }>,
  lookedUp: readonly string[],
): { map: [string, unknown][]; size: number } | { error: string; retryable: boolean; cls: unknown } {
  try {
    const found = f();
    return { map: lookedUp.map((id) => [id, found.get(id)]), size: found.size };
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
        const fast = outcomeOf(() => answersByItem([askedId], given, mode), [askedId]);
        expect(fast).toEqual(outcomeOf(() => generalRule([askedId], given, mode), [askedId]));
        if ('map' in fast) for (const [, answer] of fast.map) if (answer !== undefined) expect((answer as { itemId: string }).itemId).toBe(askedId);
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

describe('matching the answers to a run of numbered items', () => {
  // A run of asked ids as a batch numbers them (from 1) or as checkMany numbers its rows (from any row), near the
  // largest number matched by its text, and past the numbers a double holds exactly (written with BigInt).
  const run = fc
    .tuple(fc.oneof(fc.constant(1n), fc.bigInt({ min: 0n, max: 1000n }), fc.constant(999_999_999_999_990n), fc.constant(9_007_199_254_740_985n)), fc.integer({ min: 2, max: 12 }))
    .map(([first, count]) => Array.from({ length: count }, (_, k) => String(first + BigInt(k))));
  /** Ids a gateway might answer under: asked ones, neighbours, and look-alikes of asked ones. */
  const idFor = (asked: readonly string[]) =>
    fc.oneof(
      fc.constantFrom(...asked),
      fc.constantFrom(...asked).map((id) => String(BigInt(id) + BigInt(asked.length))),
      fc.constantFrom(...asked).chain((id) => fc.constantFrom(`0${id}`, ` ${id}`, `${id} `, `+${id}`, `${id}.0`, `${id}e0`, '', '-0', '0x1', '１', `${id}0`, '9'.repeat(16))),
    );

  it('gives the same answers or the same error as the general rule for any answer, hostile ids included', () => {
    fc.assert(
      fc.property(
        run.chain((asked) => fc.tuple(fc.constant(asked), fc.array(fc.record({ itemId: idFor(asked), n: fc.nat(5) }), { maxLength: asked.length + 3 }))),
        missing,
        ([asked, given], mode) => {
          const lookedUp = [...asked, String(BigInt(asked[0]!) - 1n), `0${asked[0]}`, `${asked.at(-1)}0`];
          expect(outcomeOf(() => answersByItem(asked, given, mode), lookedUp)).toEqual(outcomeOf(() => generalRule(asked, given, mode), lookedUp));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answers every item of a run answered in any order, and refuses one answered under a look-alike id', () => {
    const asked = ['7', '8', '9', '10'];
    const found = answersByItem(asked, ['10', '8', '7', '9'].map((itemId) => ({ itemId })));
    expect(asked.map((id) => found.get(id)?.itemId)).toEqual(asked);
    expect(() => answersByItem(asked, ['07', '8', '9', '10'].map((itemId) => ({ itemId })))).toThrow(/not asked/);
    // Not a run: the general rule.
    expect(answersByItem(['1', '3'], [{ itemId: '3' }, { itemId: '1' }]).size).toBe(2);
  });
});
