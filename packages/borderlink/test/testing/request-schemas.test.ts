// The mock gateway reads a request with the client's own schemas (protocol/wire.ts REQUEST_SCHEMAS): what the client
// refuses to send the mock refuses to take, and what the client sends the mock takes. Each test below is a place where
// the two disagreed while the mock validated by hand.
import { describe, expect, it } from 'vitest';
import { createClient } from 'borderlink';
import { createGatewayHandler, mockTransport } from 'borderlink/testing';
import { REQUEST_SCHEMAS } from '../../src/protocol/wire';
import { checkBody, context, passport, post } from './helpers';

const person = { kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12' } as const;

/** The mock's status for one subject, and whether the client's schema takes it. */
async function bothOn(subject: object): Promise<{ mock: number; client: boolean }> {
  const res = await post(createGatewayHandler(), '/v1/checks', checkBody([subject]));
  return { mock: res.status, client: REQUEST_SCHEMAS.subjects.safeParse([subject]).success };
}

async function detailsOf(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await post(createGatewayHandler(), path, body, headers);
  expect(res.status).toBe(400);
  return (JSON.parse(res.body).error.details as { path: string }[]).map((d) => d.path);
}

describe('the mock gateway validates requests with the client’s schemas', () => {
  it('takes a surname the client takes once trimmed, however long its padding', async () => {
    const subject = { kind: 'person', surname: `  ${'A'.repeat(100)}  ` };
    expect(await bothOn(subject)).toEqual({ mock: 200, client: true });
  });

  it('refuses a surname of characters a name does not hold, as the client does', async () => {
    for (const surname of ['123', 'A_B', 'ANNA?']) {
      expect(await bothOn({ kind: 'person', surname }), surname).toEqual({ mock: 400, client: false });
    }
  });

  it('refuses given names that are not names, as the client does', async () => {
    for (const givenNames of [[''], ['A1'], ['ANNA', '?']]) {
      expect(await bothOn({ ...person, givenNames }), givenNames.join()).toEqual({ mock: 400, client: false });
    }
  });

  it('refuses a date of birth that is not a calendar date, as the client does', async () => {
    for (const dateOfBirth of ['1974-13-01', '1974-02-30', '1700', ' 1974-08-12']) {
      expect(await bothOn({ ...person, dateOfBirth }), dateOfBirth).toEqual({ mock: 400, client: false });
    }
  });

  it('refuses a VIN that is not 17 characters without I, O or Q, as the client does', async () => {
    for (const vin of ['ABC', 'WVWZZZ1JZXW00000I', '']) {
      expect(await bothOn({ kind: 'vehicle', vin }), vin).toEqual({ mock: 400, client: false });
    }
  });

  it('refuses a plate of characters a plate does not hold, as the client does', async () => {
    for (const plate of ['AB_1', '', 'AB/12']) {
      expect(await bothOn({ kind: 'vehicle', plate, registrationCountry: 'UTO' }), plate).toEqual({ mock: 400, client: false });
    }
  });

  it('refuses a report whose incident date is not a calendar date, as the client does', async () => {
    const report = { documentNumber: 'UA1234567', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN', incidentDate: '2024-02-30' };
    expect(await detailsOf('/v1/reports/documents', { context, report }, { 'idempotency-key': 'key-k1-0001' })).toEqual(['report.incidentDate']);
    expect(REQUEST_SCHEMAS.report.safeParse(report).success).toBe(false);
  });

  it('still reads document numbers and plates as it matches them: case, spaces, filler and hyphens do not count', async () => {
    expect((await bothOn({ ...passport, documentNumber: 'l898 902c3<' })).mock).toBe(200);
    expect((await bothOn({ kind: 'vehicle', plate: 'ab-123 cd', registrationCountry: 'UTO' })).mock).toBe(200);
  });

  it('answers everything the client sends', async () => {
    const client = createClient({ transport: mockTransport(), context });
    const result = await client.checkPerson({ surname: ` ${'A'.repeat(100)} `, givenNames: [' ANNA '], dateOfBirth: '1974-08-12' });
    expect(result.outcomes.map((o) => o.status)).toEqual(['NO_HIT']);
    await client.close();
  });
});
