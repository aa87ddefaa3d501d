// undici is loaded on a transport's first request, not on import (cold start, issue 11). When it cannot be loaded,
// the failure is a typed, non-retryable ConfigError on each request; options are still refused when the transport
// is created, before anything is loaded.
import { describe, expect, it, vi } from 'vitest';

vi.mock('undici', () => {
  throw new Error('Cannot find package undici');
});

const { BorderlinkError, ConfigError, httpTransport } = await import('../../src/index');

const request = { method: 'POST', path: '/v1/checks', headers: {}, body: '{}', timeoutMs: 1000 } as const;

describe('an httpTransport whose undici cannot be loaded', () => {
  it('still refuses a bad option when it is created', () => {
    expect(() => httpTransport({ baseUrl: 'http://127.0.0.1:1', connections: 0 })).toThrow(ConfigError);
    expect(() => httpTransport({ baseUrl: 'ftp://gateway.example' })).toThrow(/baseUrl/);
  });

  it('fails each request with a ConfigError, never a TypeError', async () => {
    const transport = httpTransport({ baseUrl: 'http://127.0.0.1:1' });
    const results = await Promise.allSettled([transport.send(request), transport.send(request)]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as InstanceType<typeof BorderlinkError>;
      expect(reason).toBeInstanceOf(ConfigError);
      expect(reason.retryable).toBe(false);
      expect(reason.message).toBe('httpTransport: the undici package could not be loaded');
    }
    await transport.close();
  });
});
