// Odd input from a careless integrator: a row whose getter throws, option names that are the caller's data, a name
// that is only an invisible filler letter. Each is a typed error about that one thing, naming fields, never values.
import { afterEach, describe, expect, it } from 'vitest';
import { BorderlinkError, ConfigError, createClient, InputError, type BatchItem, type BorderlinkClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const person = (surname: string) => [{ kind: 'person' as const, surname, givenNames: [] }];

let clients: BorderlinkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
function make(): BorderlinkClient {
  const client = createClient({ transport: mockTransport(), context });
  clients.push(client);
  return client;
}

describe('checkMany with a row whose id getter throws', () => {
  it('answers that row with a typed error and every other row with its result', async () => {
    const items = [
      { id: 'a', subjects: person('ERIKSSON') },
      {
        get id(): string {
          throw new Error('the row store failed');
        },
        subjects: person('DOE'),
      },
      { id: 'c', subjects: person('SMITH') },
    ] as BatchItem[];
    const rows: { id: string; ok: boolean; error?: unknown }[] = [];
    for await (const row of make().checkMany(items)) rows.push({ id: row.id, ok: row.result !== undefined, error: row.error });
    expect(rows.filter((r) => r.ok).map((r) => r.id).sort()).toEqual(['a', 'c']);
    const failed = rows.filter((r) => !r.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toBeInstanceOf(BorderlinkError);
  });
});

describe('an option name that is the caller\'s data', () => {
  // A careless integrator passes a lookup keyed by document number where the options go.
  const byDocument = { L898902C3: { seat: '12A' } };

  it('is not repeated by checkMany\'s ConfigError', async () => {
    const rows = make().checkMany([{ id: 'a', subjects: person('ERIKSSON') }], byDocument as never);
    const error = await (async () => {
      try {
        for await (const _ of rows) void _;
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(JSON.stringify((error as ConfigError).toJSON())).not.toContain('L898902C3');
    expect((error as ConfigError).message).not.toContain('L898902C3');
  });

  it('is not repeated by a check\'s ConfigError', async () => {
    const error = await make().checkPerson({ surname: 'ERIKSSON' }, byDocument as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).not.toContain('L898902C3');
  });

  it('is not repeated by the ConfigError of a call context', async () => {
    const error = await make().checkPerson({ surname: 'ERIKSSON' }, { context: byDocument as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).not.toContain('L898902C3');
  });
});

describe('a surname made only of a filler that Unicode counts as a letter', () => {
  it.each([['\u3164'], ['\u115F\u1160'], ['\uFFA0']])('is an InputError, never NO_HIT (%j)', async (surname) => {
    const error = await make().checkPerson({ surname }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
  });
});
