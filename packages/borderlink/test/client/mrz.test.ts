import { afterEach, describe, expect, it } from 'vitest';
import { InputError, MrzError, createClient, formatMrz, type BorderlinkClient } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
const td3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const referenceDate = new Date('2026-11-29T00:00:00Z');

let clients: BorderlinkClient[] = [];
const make = () => {
  const transport = mockTransport();
  const client = createClient({ transport, context });
  clients.push(client);
  return { client, transport };
};
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('checkMrz', () => {
  it('checks the document and its holder in one request and returns what was read', async () => {
    const { client, transport } = make();
    const result = await client.checkMrz(td3, { referenceDate });
    expect(result.verdict).toBe('HIT');
    expect(result.outcomes.map((o) => o.source)).toEqual(['SLTD', 'TDAWN', 'NOMINAL']);
    expect(new Set(result.hits.map((h) => h.kind))).toEqual(new Set(['document', 'person']));
    expect(result.mrz).toMatchObject({ format: 'TD3', valid: true, specimen: true });
    expect(transport.requests).toHaveLength(1);
    const subjects = (transport.requests[0]?.body as { items: { subjects: unknown[] }[] }).items[0]?.subjects;
    expect(subjects).toEqual([
      { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' },
      // The holder as the MRZ prints it (the ICAO form), with the other spelling a record may hold: the other order.
      {
        kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12', sex: 'F', nationality: 'UTO',
        nameVariants: [{ surname: 'ANNA MARIA', givenNames: ['ERIKSSON'] }],
      },
    ]);
  });

  it('accepts the MRZ as one string of OCR text', async () => {
    const { client } = make();
    const result = await client.checkMrz(`scanner v2\r\n${td3.join('\r\n')}\r\n`, { referenceDate });
    expect(result.mrz.valid).toBe(true);
    expect(result.verdict).toBe('HIT');
  });

  it('repairs an OCR error the check digit proves, and checks the repaired number', async () => {
    const { client, transport } = make();
    const misread = [td3[0]!, td3[1]!.replace('L898902C3', 'L8989O2C3')];
    const result = await client.checkMrz(misread, { referenceDate });
    expect(result.mrz.corrections).toContainEqual(expect.objectContaining({ from: 'O', to: '0', verified: true }));
    expect((transport.requests[0]?.body as { items: { subjects: { documentNumber?: string }[] }[] }).items[0]?.subjects[0]?.documentNumber).toBe('L898902C3');
    expect(result.verdict).toBe('HIT');
  });

  it('refuses an invalid MRZ with an MrzError naming the issues, and sends nothing', async () => {
    const { client, transport } = make();
    const broken = [td3[0]!, td3[1]!.replace('7408122', '7408123')];
    const err = (await client.checkMrz(broken, { referenceDate, repair: false }).catch((e: unknown) => e)) as MrzError;
    expect(err).toBeInstanceOf(MrzError);
    expect(err).toBeInstanceOf(InputError);
    expect(err.code).toBe('INVALID_MRZ');
    expect(err.mrzIssues.map((i) => i.code)).toContain('BIRTH_DATE_CHECK_DIGIT');
    expect(JSON.stringify(err) + err.message).not.toMatch(/ERIKSSON|L898902C3|740812/);
    expect(transport.requests).toHaveLength(0);
  });

  it('checks an invalid MRZ as read when allowed, and says so', async () => {
    const { client } = make();
    const broken = [td3[0]!, td3[1]!.replace('7408122', '7408123')];
    const result = await client.checkMrz(broken, { referenceDate, repair: false, allowInvalidMrz: true });
    expect(result.mrz.valid).toBe(false);
    expect(result.verdict).toBe('HIT');
  });

  it('refuses text with no MRZ in it even when invalid MRZs are allowed', async () => {
    const { client } = make();
    await expect(client.checkMrz('hello world', { allowInvalidMrz: true })).rejects.toBeInstanceOf(MrzError);
  });

  it('checks an MRZ made with formatMrz for a clean traveller as NO_HIT', async () => {
    const { client } = make();
    const lines = formatMrz({
      format: 'TD1',
      documentCode: 'ID',
      issuingState: 'D',
      documentNumber: 'T22000129',
      surname: 'Müller',
      givenNames: ['Anna-Lena'],
      nationality: 'D',
      birthDate: '1983-08-12',
      sex: 'F',
      expiryDate: '2031-10-31',
    });
    const result = await client.checkMrz(lines, { referenceDate });
    expect(result.mrz.document).toMatchObject({ surname: 'MUELLER', issuingState: 'D' });
    expect(result.verdict).toBe('NO_HIT');
  });
});
