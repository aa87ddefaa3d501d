// What an integrator logs of an error: its code, request id, attempts and duration. The README says every error a
// call rejects with carries `attempts` and `durationMs`: a refusal before sending says 0 of each and has no request id
// (there was no request), and a failure after sending says what was sent.
import {
  AuthenticationError,
  ConfigError,
  ConflictError,
  createClient,
  InputError,
  MrzError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  type BorderlinkError,
} from 'borderlink';
import { memoryOfflineStore, mockTransport } from 'borderlink/testing';
import { describe, expect, it } from 'vitest';

const context = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'TEST' } as const;
const vin = 'WVWZZZ1JZXW000001';

async function rejection(p: Promise<unknown>): Promise<BorderlinkError> {
  try {
    await p;
  } catch (err) {
    return err as BorderlinkError;
  }
  throw new Error('expected a rejection');
}
const metadata = (e: BorderlinkError) => ({ name: e.name, requestId: e.requestId, attempts: e.attempts, durationMs: e.durationMs });

describe('the metadata of an error', () => {
  it('an error refused before sending says 0 attempts and 0 ms, and has no request id', async () => {
    const client = createClient({ transport: mockTransport(), context });
    const refused = [
      await rejection(client.checkDocument({ documentNumber: 'L8989-02C3', issuingState: 'UTO', documentType: 'PASSPORT' })),
      await rejection(client.checkMrz(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<11'])),
      await rejection(client.checkVehicle({ vin }, { timeoutMs: -1 })),
      await rejection(client.checkVehicle({ vin }, { context: { operatorId: '' } })),
    ];
    for await (const row of client.checkMany([{ id: 'a', subjects: [] }])) refused.push(row.error!);
    await client.close();
    refused.push(await rejection(client.checkVehicle({ vin })));
    try {
      createClient({ transport: mockTransport(), context, timeoutMs: 0 });
    } catch (err) {
      refused.push(err as BorderlinkError);
    }
    expect(refused.map(metadata)).toEqual(
      ['InputError', 'MrzError', 'ConfigError', 'InputError', 'InputError', 'ConfigError', 'ConfigError'].map((name) => ({ name, requestId: undefined, attempts: 0, durationMs: 0 })),
    );
    expect(refused[1]).toBeInstanceOf(MrzError);
    expect(refused[0]!.toJSON()).toMatchObject({ attempts: 0, durationMs: 0 });
  });

  it('an error the gateway caused says the attempts it took, a refusal by the gateway (400) included', async () => {
    const client = createClient({ transport: mockTransport({ faults: [{ type: 'status', status: 400 }] }), context });
    const error = await rejection(client.checkVehicle({ vin }));
    expect(error).toBeInstanceOf(InputError);
    expect([error.attempts, typeof error.requestId, typeof error.durationMs]).toEqual([1, 'string', 'number']);
    await client.close();
  });

  it('a call aborted before it was sent rejects with 0 attempts and its duration, as every rejection has them', async () => {
    const client = createClient({ transport: mockTransport(), context });
    const error = await rejection(client.checkVehicle({ vin }, { signal: AbortSignal.abort() }));
    expect(error.name).toBe('AbortError');
    expect([error.attempts, typeof error.durationMs]).toEqual([0, 'number']);
    await client.close();
  });

  it('a failed sync of the offline copy says how many requests it sent and how long it took', async () => {
    const client = createClient({ transport: mockTransport({ faults: [{ type: 'reset' }] }), context, offline: { store: memoryOfflineStore(), sources: ['SMV'] } });
    const [result] = await client.offline!.sync();
    expect(result!.ok).toBe(false);
    const error = (result as { error: BorderlinkError }).error;
    expect([error.code, error.attempts, typeof error.durationMs, typeof error.requestId]).toEqual(['CONNECTION_FAILED', 1, 'number', 'string']);
    await client.close();
  });

  it('an error made with its status given as undefined keeps the status of its class', () => {
    const made = [
      new AuthenticationError('no', { status: undefined }),
      new PermissionError('no', { status: undefined }),
      new NotFoundError('no', { status: undefined }),
      new ConflictError('no', { status: undefined }),
      new RateLimitError('no', { status: undefined }),
    ];
    expect(made.map((e) => e.status)).toEqual([401, 403, 404, 409, 429]);
    expect(new ConfigError('no').attempts).toBe(0);
  });
});
