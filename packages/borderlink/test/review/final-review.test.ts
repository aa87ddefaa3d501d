// Found on the final review of the restructuring: a rule checked in two places, and public tables a caller could
// change at run time.
import { describe, expect, it } from 'vitest';
import { ConfigError, createClient, isKnownStateCode, parseMrz, STATE_CODES, type BatchItem } from 'borderlink';
import { mockTransport, RANDOM_FAULT_MIX } from 'borderlink/testing';

const context = { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' } as const;
const rows: BatchItem[] = [{ id: '1', subjects: [{ kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' }] }];

describe("checkMany's timeoutMs", () => {
  it('is refused when the call is made, with the range every other timeoutMs has', async () => {
    const client = createClient({ transport: mockTransport(), context });
    const single = await client.checkDocument(rows[0]!.subjects[0] as never, { timeoutMs: 700_000 }).catch((e: unknown) => e);
    expect(single).toBeInstanceOf(ConfigError);
    const batch = await (async () => {
      for await (const row of client.checkMany(rows, { timeoutMs: 700_000 })) return row;
      return undefined;
    })().catch((e: unknown) => e);
    expect(batch).toBeInstanceOf(ConfigError);
    expect((batch as ConfigError).message).toBe((single as ConfigError).message.replace('checkDocument', 'checkMany'));
    await client.close();
  });
});

describe('the public tables', () => {
  it('STATE_CODES cannot be changed at run time, so what the parser accepts stays as documented', () => {
    const table = STATE_CODES as Map<string, unknown>;
    expect(() => table.set('QQQ', { name: 'Nowhere', kind: 'iso' })).toThrow(TypeError);
    expect(() => table.delete('UTO')).toThrow(TypeError);
    expect(() => table.clear()).toThrow(TypeError);
    expect(isKnownStateCode('QQQ')).toBe(false);
    expect(isKnownStateCode('UTO')).toBe(true);
    expect(parseMrz(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10']).valid).toBe(true);
  });

  it("RANDOM_FAULT_MIX's faults cannot be changed at run time", () => {
    for (const fault of RANDOM_FAULT_MIX) expect(Object.isFrozen(fault)).toBe(true);
  });
});
