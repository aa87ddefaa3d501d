// An identifier is upper-cased a to z only: a letter that toUpperCase folds into ASCII (ſ → S, ı → I, ß → SS) is not
// what the document holds, so the field is refused, by name, rather than searched as another value.
import { InputError, createClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { afterEach, describe, expect, it } from 'vitest';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client() {
  const c = createClient({ transport: mockTransport(), context });
  clients.push(c);
  return c;
}

async function refusal(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('letters that upper-case into ASCII', () => {
  it.each([
    ['documentNumber', { documentNumber: 'L898902Cſ', issuingState: 'UTO', documentType: 'PASSPORT' }],
    ['issuingState', { documentNumber: 'L898902C3', issuingState: 'ıTO', documentType: 'PASSPORT' }],
  ] as const)('refuses %s holding one, naming the field and not the value', async (field, query) => {
    const err = await refusal(() => client().checkDocument(query));
    expect(err.issues.map((i) => i.path)).toContain(field);
    expect(err.message).not.toMatch(/ſ|ı|L898902C/);
  });

  it('refuses a plate holding ß rather than searching it as SS', async () => {
    const err = await refusal(() => client().checkVehicle({ plate: 'straße 1', registrationCountry: 'UTO' }));
    expect(err.issues.map((i) => i.path)).toContain('plate');
  });

  it('still upper-cases and trims a to z', async () => {
    const result = await client().checkDocument({ documentNumber: ' l898902c3 ', issuingState: 'uto', documentType: 'PASSPORT' });
    expect(result.verdict).toBe('HIT');
  });
});
