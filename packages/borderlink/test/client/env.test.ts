// The environment variables, read by one rule for the library and the command: a variable set to nothing (or spaces)
// is an error naming it, never read as unset and never replaced by a default; errors name variables, never values.
// createClientFromEnv builds the HTTP transport and the context from them; BORDERLINK_LOG sets the log level of any
// client given none, and an unknown level is ignored with one warning.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, CLIENT_ENV, ConfigError, createClient, createClientFromEnv, readClientEnv, type BorderlinkClient } from 'borderlink';
import { createMockGateway, mockTransport, type MockGateway } from 'borderlink/testing';
import { forgetLogLevelWarning } from '../../src/client/env';
import { makeCertificates } from '../helpers/certs';

const specimen = { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;
const SECRET = 'PLNTSECRET-token-77';
const full = {
  BORDERLINK_GATEWAY_URL: 'https://gateway.example',
  BORDERLINK_TOKEN: SECRET,
  BORDERLINK_AUTHORITY: 'UTO-POLICE',
  BORDERLINK_OPERATOR: 'officer-PLNTOP',
  BORDERLINK_PURPOSE: 'BORDER_CHECK',
  BORDERLINK_LOCATION: 'LANE-7',
};

let closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  forgetLogLevelWarning();
});

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('not refused');
}

describe('readClientEnv: one rule for every variable', () => {
  it('reads each variable into what it gives', () => {
    expect(readClientEnv({ ...full, BORDERLINK_PURPOSE: 'second_line', BORDERLINK_LOG: 'DEBUG' })).toEqual({
      gatewayUrl: 'https://gateway.example',
      token: SECRET,
      context: { authorityId: 'UTO-POLICE', operatorId: 'officer-PLNTOP', purpose: 'SECOND_LINE', locationId: 'LANE-7' },
      logLevel: 'debug',
    });
    expect(readClientEnv({})).toEqual({ context: {} });
  });

  it('refuses a variable set to nothing or to whitespace alone, naming it, for every variable it reads', () => {
    for (const name of Object.values(CLIENT_ENV).filter((n) => n !== CLIENT_ENV.logLevel)) {
      for (const blank of ['', ' ', '\t', '\n', ' \r\n ']) {
        const err = refusal(() => readClientEnv({ ...full, [name]: blank }));
        expect(err.message, `${name}=${JSON.stringify(blank)}`).toBe(`${name} is set but blank: give it a value, or unset it (a blank variable is never read as unset)`);
      }
    }
  });

  it('refuses a value with whitespace around it (a newline from a file), naming the variable and never the value', () => {
    for (const name of Object.values(CLIENT_ENV).filter((n) => n !== CLIENT_ENV.logLevel)) {
      const value = (full as Record<string, string>)[name]!;
      for (const padded of [`${value}\n`, ` ${value}`, `${value}\t`]) {
        const err = refusal(() => readClientEnv({ ...full, [name]: padded }));
        expect(err.message).toBe(`${name} begins or ends with whitespace (a newline from a file?): remove it`);
        expect(err.message).not.toContain(value);
      }
    }
  });

  it('checks each value by the rule of what it gives, naming the variable and never the value', () => {
    const cases: [string, string, string][] = [
      ['BORDERLINK_GATEWAY_URL', 'gateway.example', 'BORDERLINK_GATEWAY_URL is not a valid URL'],
      ['BORDERLINK_GATEWAY_URL', 'ftp://gateway.example', 'BORDERLINK_GATEWAY_URL must be an http: or https: URL'],
      ['BORDERLINK_GATEWAY_URL', 'https://user:PLNTPASS@gateway.example', 'BORDERLINK_GATEWAY_URL must not hold credentials'],
      ['BORDERLINK_GATEWAY_URL', 'https://gateway.example/?token=PLNTPASS', 'BORDERLINK_GATEWAY_URL must not hold a query or fragment'],
      ['BORDERLINK_TOKEN', 'PLNT token with spaces', 'BORDERLINK_TOKEN must be visible ASCII characters only'],
      ['BORDERLINK_TOKEN', 'PLNTtokén', 'BORDERLINK_TOKEN must be visible ASCII characters only'],
      ['BORDERLINK_OPERATOR', 'PLNT officer', 'BORDERLINK_OPERATOR must be printable ASCII without spaces'],
      ['BORDERLINK_AUTHORITY', 'P'.repeat(129), 'BORDERLINK_AUTHORITY must be at most 128 characters'],
      ['BORDERLINK_PURPOSE', 'PLNTCURIOSITY', 'BORDERLINK_PURPOSE must be one of BORDER_CHECK, SECOND_LINE, INVESTIGATION, MANIFEST_SCREENING, TEST'],
    ];
    for (const [name, value, message] of cases) {
      const err = refusal(() => readClientEnv({ ...full, [name]: value }));
      expect(err.message, name).toContain(message);
      expect(err.message).not.toMatch(/PLNT|PPPP|gateway\.example/);
    }
  });

  it('ignores an unknown BORDERLINK_LOG with one warning per process, naming the variable and never the value', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      expect(readClientEnv({ BORDERLINK_LOG: 'PLNTverbose' }).logLevel).toBeUndefined();
      expect(readClientEnv({ BORDERLINK_LOG: '' }).logLevel).toBeUndefined();
      expect(readClientEnv({ BORDERLINK_LOG: ' Warn ' }).logLevel).toBe('warn');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toBe('BORDERLINK_LOG is not one of debug, info, warn, error, off: it is ignored');
    expect((warnings[0] as Error & { code?: string }).code).toBe('BORDERLINK_LOG_INVALID');
  });
});

describe('createClientFromEnv', () => {
  async function gateway(): Promise<MockGateway> {
    const g = await createMockGateway({ token: SECRET });
    closers.push(() => g.close());
    return g;
  }

  function made(c: BorderlinkClient): BorderlinkClient {
    closers.push(() => c.close());
    return c;
  }

  it('checks against the gateway the variables name, with their token and context, over real sockets', async () => {
    const g = await gateway();
    const client = made(createClientFromEnv({ env: { ...full, BORDERLINK_GATEWAY_URL: g.url } }));
    const result = await client.checkDocument(specimen);
    expect(result.verdict).toBe('HIT');
    const [request] = g.requests;
    expect(request!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect((request!.body as { context: unknown }).context).toEqual({ authorityId: 'UTO-POLICE', operatorId: 'officer-PLNTOP', purpose: 'BORDER_CHECK', locationId: 'LANE-7' });
  });

  it('reads process.env by default, and lays `context` over the variables\' context', async () => {
    const g = await gateway();
    for (const [name, value] of Object.entries({ ...full, BORDERLINK_GATEWAY_URL: g.url })) vi.stubEnv(name, value);
    const client = made(createClientFromEnv({ context: { operatorId: 'officer-0077' }, timeoutMs: 2000 }));
    await client.checkDocument(specimen);
    expect((g.requests[0]!.body as { context: { operatorId: string } }).context.operatorId).toBe('officer-0077');
  });

  it('refuses a missing gateway URL, token or context, naming the variables, before anything is made', () => {
    const without = (name: string) => Object.fromEntries(Object.entries(full).filter(([k]) => k !== name));
    expect(refusal(() => createClientFromEnv({ env: without('BORDERLINK_GATEWAY_URL') })).message).toBe(
      "createClientFromEnv: BORDERLINK_GATEWAY_URL is not set: set it to the gateway's URL (there is no default gateway)",
    );
    expect(refusal(() => createClientFromEnv({ env: without('BORDERLINK_TOKEN') })).message).toMatch(/^createClientFromEnv: BORDERLINK_TOKEN is not set: set it, or give `http.tls`/);
    const noContext = { BORDERLINK_GATEWAY_URL: full.BORDERLINK_GATEWAY_URL, BORDERLINK_TOKEN: SECRET, BORDERLINK_AUTHORITY: 'UTO-POLICE' };
    expect(refusal(() => createClientFromEnv({ env: noContext })).message).toBe(
      'createClientFromEnv: every query says who, for which authority and why: set BORDERLINK_OPERATOR, BORDERLINK_PURPOSE (or give `context.operatorId`, `context.purpose`)',
    );
    expect(() => createClientFromEnv({ env: noContext, context: { operatorId: 'o-1', purpose: 'TEST' } })).not.toThrow();
  });

  it('refuses a blank variable even where an option would have given the value: blank is never unset', () => {
    const err = refusal(() => createClientFromEnv({ env: { ...full, BORDERLINK_OPERATOR: '  ' }, context: { operatorId: 'officer-0077' } }));
    expect(err.message).toBe('BORDERLINK_OPERATOR is set but blank: give it a value, or unset it (a blank variable is never read as unset)');
    expect(refusal(() => createClientFromEnv({ env: { ...full, BORDERLINK_TOKEN: '' } })).message).toContain('BORDERLINK_TOKEN is set but blank');
  });

  it('takes a client certificate (mutual TLS) or an authorization header of the transport in place of a token', async () => {
    const g = await createMockGateway();
    closers.push(() => g.close());
    const env = { ...full, BORDERLINK_GATEWAY_URL: g.url, BORDERLINK_TOKEN: undefined };
    const client = made(createClientFromEnv({ env, http: { headers: { Authorization: 'Basic dXNlcjpwYXNz' } } }));
    await client.checkDocument(specimen);
    expect(g.requests[0]!.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    const certs = makeCertificates();
    const mutual = made(createClientFromEnv({ env: { ...env, BORDERLINK_GATEWAY_URL: 'https://gateway.example' }, http: { tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } } }));
    expect(mutual).toBeDefined();
    expect(refusal(() => createClientFromEnv({ env, http: { baseUrl: 'https://other.example' } as never })).message).toContain('option `http.baseUrl` comes from BORDERLINK_GATEWAY_URL');
    expect(refusal(() => createClientFromEnv({ env: full, transport: mockTransport() } as never)).message).toContain('option `transport` is made from BORDERLINK_GATEWAY_URL');
  });

  it('holds no default token: a gateway that wants one refuses the client given another', async () => {
    const g = await gateway();
    const client = made(createClientFromEnv({ env: { ...full, BORDERLINK_GATEWAY_URL: g.url, BORDERLINK_TOKEN: 'another-token' }, retry: false }));
    await expect(client.checkDocument(specimen)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('puts neither the token nor a context value in an error it throws', () => {
    for (const env of [{ ...full, BORDERLINK_PURPOSE: 'nope' }, { ...full, BORDERLINK_GATEWAY_URL: undefined }, { ...full, BORDERLINK_TOKEN: `${SECRET} x` }]) {
      const err = refusal(() => createClientFromEnv({ env }));
      expect(`${err.message} ${JSON.stringify(err)}`).not.toMatch(/PLNT/);
    }
  });
});

describe('BORDERLINK_LOG at createClient', () => {
  it('turns on the log of a client given no logLevel, into the logger given or the console', async () => {
    vi.stubEnv('BORDERLINK_LOG', 'debug');
    const lines: string[] = [];
    const sink = (m: string) => void lines.push(m);
    const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-POLICE', operatorId: 'o-1', purpose: 'TEST' }, logger: { error: sink, warn: sink, info: sink, debug: sink } });
    closers.push(() => client.close());
    await client.checkDocument(specimen);
    expect(lines).toEqual(expect.arrayContaining(['borderlink: request', 'borderlink: response', 'borderlink: check']));
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const onConsole = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-POLICE', operatorId: 'o-1', purpose: 'TEST' } });
    closers.push(() => onConsole.close());
    await onConsole.checkDocument(specimen);
    expect(debug).toHaveBeenCalledWith('borderlink: request', expect.objectContaining({ path: '/v1/checks' }));
  });

  it('gives way to a logLevel option, and leaves the log off when it is not set', async () => {
    const lines: string[] = [];
    const sink = (m: string) => void lines.push(m);
    const logger = { error: sink, warn: sink, info: sink, debug: sink };
    const context = { authorityId: 'UTO-POLICE', operatorId: 'o-1', purpose: 'TEST' } as const;
    const quiet = createClient({ transport: mockTransport(), context, logger });
    closers.push(() => quiet.close());
    await quiet.checkDocument(specimen);
    expect(lines).toEqual([]);
    vi.stubEnv('BORDERLINK_LOG', 'debug');
    const chosen = createClient({ transport: mockTransport(), context, logger, logLevel: 'info' });
    closers.push(() => chosen.close());
    await chosen.checkDocument(specimen);
    expect(lines).toEqual(['borderlink: check']);
  });
});
