// Review of the offline copy's options and calls: a value of the wrong type or unit is refused by name (never echoed),
// before anything is sent or synced.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createClient, httpTransport } from 'borderlink';
import { createMockGateway, memoryOfflineStore } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function refusal(work: () => Promise<unknown>): Promise<Error> {
  try {
    await work();
  } catch (err) {
    return err as Error;
  }
  throw new Error('not refused');
}

describe('client.offline.sync() options', () => {
  const bad: [name: string, options: unknown, path: string][] = [
    ['sources given as one string', { sources: 'SLTD-SECRET' }, 'sources'],
    ['a source it does not know', { sources: ['SLTD', 'MIND-SECRET'] }, 'sources.1'],
    ['a signal that is not an AbortSignal', { signal: 'SECRET-SIGNAL' }, 'signal'],
    ['an option it does not know', { since: 'SECRET-CURSOR' }, 'since'],
    ['options that are not an object', 'SECRET-OPTIONS', ''],
  ];
  for (const [name, options, path] of bad) {
    it(`refuses ${name} by name, never its value, and asks the gateway nothing`, async () => {
      const g = await createMockGateway();
      closers.push(() => g.close());
      const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, offline: { store: memoryOfflineStore() } });
      closers.push(() => client.close());
      const err = await refusal(() => client.offline!.sync(options as never));
      expect(err).toBeInstanceOf(ConfigError);
      if (path !== '') expect(err.message).toContain(`\`${path}\``);
      expect(err.message).not.toContain('SECRET');
      expect(g.requests).toHaveLength(0);
    });
  }

  it('refuses a source the copy does not keep: what a state may hold offline is the copy’s `sources`', async () => {
    const g = await createMockGateway();
    closers.push(() => g.close());
    const client = createClient({ transport: httpTransport({ baseUrl: g.url }), context, offline: { store: memoryOfflineStore(), sources: ['SLTD'] } });
    closers.push(() => client.close());
    const err = await refusal(() => client.offline!.sync({ sources: ['NOMINAL'] }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('`sources.0`');
    expect(g.requests).toHaveLength(0);
  });
});

describe('offline options in the wrong unit', () => {
  it('refuses a re-screening window of under a minute (hours given as milliseconds would drop every delayed hit)', () => {
    const transport = httpTransport({ baseUrl: 'http://127.0.0.1:9' });
    const err = (() => {
      try {
        createClient({ transport, context, offline: { store: memoryOfflineStore(), rescreenWindowMs: 72 } });
      } catch (e) {
        return e as Error;
      }
      throw new Error('not refused');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('`offline.rescreenWindowMs`');
    expect(err.message).not.toContain('72 ');
  });
});
