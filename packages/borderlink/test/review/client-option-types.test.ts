// Options of the wrong type are refused with a ConfigError when they are given, never a TypeError later, mid-check.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createClient, type BorderlinkClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const document = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const mrz = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('checkMrz options', () => {
  it.each([null, 5, 'x'])('refuses options %s with a ConfigError', async (options) => {
    const client = createClient({ transport: mockTransport(), context });
    clients.push(client);
    await expect(client.checkMrz(mrz, options as never)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('createClient', () => {
  it.each([5, null, {}, [1, 2]])('refuses privacy.hashKey %j with a ConfigError', (hashKey) => {
    expect(() => createClient({ transport: mockTransport(), context, onAudit: () => {}, privacy: { hashKey: hashKey as never } })).toThrow(ConfigError);
  });

  it.each([5, 'console', { info: () => {} }])('refuses logger %j with a ConfigError', (logger) => {
    expect(() => createClient({ transport: mockTransport(), context, logLevel: 'debug', logger: logger as never })).toThrow(ConfigError);
  });

  it('still takes a string or bytes as the hash key, and a console-like logger', async () => {
    for (const hashKey of ['a-stable-secret-of-some-length', new Uint8Array(32)]) {
      const client = createClient({ transport: mockTransport(), context, onAudit: () => {}, privacy: { hashKey } });
      clients.push(client);
      expect((await client.checkDocument(document)).verdict).toBe('HIT');
    }
    const lines: string[] = [];
    const sink = (m: string) => void lines.push(m);
    const client = createClient({ transport: mockTransport(), context, logLevel: 'debug', logger: { error: sink, warn: sink, info: sink, debug: sink } });
    clients.push(client);
    await client.checkDocument(document);
    expect(lines.length).toBeGreaterThan(0);
  });
});
