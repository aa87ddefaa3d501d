import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AbortError } from 'borderlink';
import { createDeduper } from '../../src/resilience/index';

function gate<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('dedupe', () => {
  it('shares one request between N identical concurrent callers, and forgets it once settled', async () => {
    const dedupe = createDeduper();
    const g = gate<string>();
    let started = 0;
    const start = () => {
      started++;
      return g.promise;
    };
    const callers = Array.from({ length: 10 }, () => dedupe.run('k', start));
    expect(started).toBe(1);
    expect(dedupe.size).toBe(1);
    g.resolve('answer');
    expect(await Promise.all(callers)).toEqual(Array(10).fill('answer'));
    expect(dedupe.size).toBe(0);
    await dedupe.run('k', () => Promise.resolve('again'));
    expect(started).toBe(1);
  });

  it('tells a value two callers got from one only its caller got', async () => {
    const dedupe = createDeduper();
    const g = gate<{ n: number }>();
    const a = dedupe.run('k', () => g.promise);
    const b = dedupe.run('k', () => g.promise);
    g.resolve({ n: 1 });
    const [va, vb] = await Promise.all([a, b]);
    expect(dedupe.isShared(va)).toBe(true);
    expect(dedupe.isShared(vb)).toBe(true);
    const alone = await dedupe.run('k', () => Promise.resolve({ n: 2 }));
    expect(dedupe.isShared(alone)).toBe(false);
    // The caller that started the request reads it right after its await: a joiner that came before it settled counts.
    const h = gate<{ n: number }>();
    const first = dedupe.run('j', () => h.promise).then((v) => dedupe.isShared(v));
    void dedupe.run('j', () => h.promise);
    h.resolve({ n: 3 });
    expect(await first).toBe(true);
  });

  it('gives every caller the shared failure', async () => {
    const dedupe = createDeduper();
    const g = gate<string>();
    const a = dedupe.run('k', () => g.promise).catch((e: unknown) => e);
    const b = dedupe.run('k', () => g.promise).catch((e: unknown) => e);
    const boom = new Error('x');
    g.reject(boom);
    // The caller that started the request gets the error itself; a joiner its own copy of it (same class and
    // message), since the client writes each call's request id and duration onto the error it gets.
    expect(await a).toBe(boom);
    const copy = (await b) as Error;
    expect(copy).not.toBe(boom);
    expect(copy).toBeInstanceOf(Error);
    expect(copy.message).toBe('x');
  });

  it('lets one caller abort alone; the request is aborted only when every caller has left', async () => {
    const dedupe = createDeduper();
    const g = gate<string>();
    let shared: AbortSignal | undefined;
    const start = (signal: AbortSignal | undefined) => {
      shared = signal;
      return g.promise;
    };
    const ca = new AbortController();
    const cb = new AbortController();
    const a = dedupe.run('k', start, ca.signal).catch((e: unknown) => e);
    const b = dedupe.run('k', start, cb.signal).catch((e: unknown) => e);
    ca.abort();
    expect(await a).toBeInstanceOf(AbortError);
    expect(shared?.aborted).toBe(false);
    cb.abort();
    expect(await b).toBeInstanceOf(AbortError);
    expect(shared?.aborted).toBe(true);
    expect(dedupe.size).toBe(0);
    expect(getEventListeners(ca.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(cb.signal, 'abort')).toHaveLength(0);
  });

  it('makes no AbortController when the first caller brings no signal: that caller never leaves early', async () => {
    const dedupe = createDeduper();
    const g = gate<string>();
    const signals: (AbortSignal | undefined)[] = [];
    const start = (signal: AbortSignal | undefined) => {
      signals.push(signal);
      return g.promise;
    };
    const joiner = new AbortController();
    const a = dedupe.run('k', start);
    const b = dedupe.run('k', start, joiner.signal).catch((e: unknown) => e);
    joiner.abort();
    expect(await b).toBeInstanceOf(AbortError);
    g.resolve('answer');
    expect(await a).toBe('answer');
    expect(signals).toEqual([undefined]);
    expect(dedupe.size).toBe(0);
  });

  it('removes the listener of a caller that got its answer', async () => {
    const dedupe = createDeduper();
    const c = new AbortController();
    await dedupe.run('k', () => Promise.resolve(1), c.signal);
    expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
  });

  it('starts afresh after every caller left an aborted request', async () => {
    const dedupe = createDeduper();
    const c = new AbortController();
    const first = dedupe.run('k', () => new Promise<string>(() => {}), c.signal).catch(() => undefined);
    c.abort();
    await first;
    expect(await dedupe.run('k', () => Promise.resolve('fresh'))).toBe('fresh');
  });

  it('keeps every key of thousands in flight apart, each shared by its own callers, and forgets them all', async () => {
    // Enough keys to grow the table several times, with long common prefixes as request bodies have.
    const dedupe = createDeduper();
    const gates = new Map<string, ReturnType<typeof gate<string>>>();
    let started = 0;
    const keys = Array.from({ length: 3000 }, (_, i) => `{"context":{},"items":[{"documentNumber":"D${i}"}]}`);
    const start = (key: string) => () => {
      started++;
      const g = gate<string>();
      gates.set(key, g);
      return g.promise;
    };
    const callers = keys.flatMap((key) => [dedupe.run(key, start(key)), dedupe.run(key, start(key))]);
    expect(started).toBe(keys.length);
    expect(dedupe.size).toBe(keys.length);
    for (const key of keys) gates.get(key)!.resolve(key);
    const answers = await Promise.all(callers);
    expect(answers).toEqual(keys.flatMap((key) => [key, key]));
    expect(dedupe.size).toBe(0);
  });

  it('lets later callers join the request that replaced one with an earlier deadline, and counts the key once', async () => {
    const dedupe = createDeduper();
    const short = gate<string>();
    const long = gate<string>();
    const now = performance.now();
    const a = dedupe.run('k', () => short.promise, undefined, now + 1000);
    // Ten seconds later than `a`: past what a joiner may give up, so it starts its own request.
    const b = dedupe.run('k', () => long.promise, undefined, now + 11_000);
    const c = dedupe.run('k', () => Promise.resolve('a third request'), undefined, now + 11_000);
    expect(dedupe.size).toBe(1);
    short.resolve('short');
    expect(await a).toBe('short');
    expect(dedupe.size).toBe(1);
    long.resolve('long');
    expect(await Promise.all([b, c])).toEqual(['long', 'long']);
    expect(dedupe.size).toBe(0);
  });

  it('shares a request only within its scope: the same key under another scope is another request', async () => {
    const dedupe = createDeduper();
    const gates = [gate<string>(), gate<string>()];
    let started = 0;
    const start = () => gates[started++]!.promise;
    const a = dedupe.run('item', start, undefined, undefined, '{"operatorId":"officer-1"}');
    const b = dedupe.run('item', start, undefined, undefined, '{"operatorId":"officer-2"}');
    // An equal scope written again (a context given per call) still joins: scopes compare by text.
    const c = dedupe.run('item', start, undefined, undefined, ['{"operatorId":', '"officer-1"}'].join(''));
    expect(started).toBe(2);
    expect(dedupe.size).toBe(2);
    gates[0]!.resolve('for officer-1');
    gates[1]!.resolve('for officer-2');
    expect(await Promise.all([a, b, c])).toEqual(['for officer-1', 'for officer-2', 'for officer-1']);
    expect(dedupe.size).toBe(0);
  });

  it('refuses a caller whose signal is already aborted, without starting anything', async () => {
    const dedupe = createDeduper();
    let started = 0;
    await expect(
      dedupe.run('k', () => Promise.resolve(started++), AbortSignal.abort()),
    ).rejects.toBeInstanceOf(AbortError);
    expect(started).toBe(0);
  });
});
