// undici is loaded on the transport's first request. When that load fails, every request fails with the same typed,
// non-retryable ConfigError: the one made after the failure too, not only those that waited for the load.
import { describe, expect, it, vi } from 'vitest';

vi.mock('undici', () => {
  throw new Error('Cannot find package undici');
});

const { ConfigError, httpTransport } = await import('../../src/index');

const request = { method: 'POST', path: '/v1/checks', headers: {}, body: '{}', timeoutMs: 2000 } as const;

describe('an httpTransport whose undici failed to load', () => {
  it('fails a request made after the failed load with a ConfigError, not a timeout', async () => {
    const transport = httpTransport({ baseUrl: 'http://127.0.0.1:1' });
    await expect(transport.send(request)).rejects.toBeInstanceOf(ConfigError);
    const later = await transport.send(request).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(later).toBeInstanceOf(ConfigError);
    expect((later as InstanceType<typeof ConfigError>).message).toBe('httpTransport: the undici package could not be loaded');
    await transport.close();
  });
});
