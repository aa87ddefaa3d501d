// Review: the periodic sync and the outbox's replay had no lower bound on their intervals. `syncIntervalMs: 0` read as
// "no timer" (an undocumented 0-means-off), and a flush interval of 1 ms or 999 ms is a unit mistake (seconds given
// as milliseconds) that hammers the gateway and the disk. Each is now refused below a second with a ConfigError
// naming the option, never its value.
import { describe, expect, it } from 'vitest';
import { ConfigError, createClient } from 'borderlink';
import { memoryOfflineStore, mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const NONSENSE = [0, -1, -1000, Number.NaN, 1, 999, 999.5, 1000.5, Number.POSITIVE_INFINITY, '5000', null];

function refusal(options: Record<string, unknown>): Error {
  try {
    const client = createClient({ transport: mockTransport(), context, ...options } as never);
    void client.close();
  } catch (err) {
    return err as Error;
  }
  throw new Error('not refused');
}

describe('interval options', () => {
  const options = {
    'offline.syncIntervalMs': (v: unknown) => ({ offline: { store: memoryOfflineStore(), syncIntervalMs: v } }),
    'outbox.flushIntervalMs': (v: unknown) => ({ outbox: { store: memoryOfflineStore().outbox, flushIntervalMs: v } }),
  };
  for (const [path, given] of Object.entries(options)) {
    it(`refuses ${path} below a second, negative, not a number or not whole, by name and never by value`, () => {
      for (const value of NONSENSE) {
        const err = refusal(given(value));
        expect(err, String(value)).toBeInstanceOf(ConfigError);
        expect(err.message).toContain(`\`${path}\``);
        expect(err.message).toContain('at least 1000');
        if (typeof value === 'number' && ![0, 1, -1].includes(value)) expect(err.message).not.toContain(String(value));
      }
    });

    it(`takes ${path} of a second and more`, async () => {
      for (const value of [1000, 60_000, 86_400_000]) {
        const client = createClient({ transport: mockTransport(), context, ...given(value) } as never);
        await client.close();
      }
    });
  }
});
