// subjectsFromMrz, the public way to the subjects checkMrz would search: used by the command's manifest screen and by
// integrators who build their own checks from an MRZ.
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError, MrzError, createClient, hasNameLetter, parseMrz, subjectsFromMrz } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const SPECIMEN = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
// The same lines with the document number's check digit wrong (6 → 7).
const BAD_DIGIT = [SPECIMEN[0]!, 'L898902C37UTO7408122F1204159ZE184226B<<<<<10'];
// No usable name: the holder cannot be searched.
const NO_NAME = ['P<UTO<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

describe('subjectsFromMrz', () => {
  it('gives the document and its holder, as checkMrz searches them', async () => {
    const subjects = subjectsFromMrz(parseMrz(SPECIMEN));
    expect(subjects).toEqual([
      { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' },
      expect.objectContaining({ kind: 'person', surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12', nationality: 'UTO' }),
    ]);
    const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' } });
    try {
      const [viaSubjects, viaMrz] = await Promise.all([client.check({ subjects }), client.checkMrz(SPECIMEN)]);
      expect(viaSubjects.verdict).toBe(viaMrz.verdict);
      expect(viaSubjects.hits.map((h) => h.kind)).toEqual(viaMrz.hits.map((h) => h.kind));
    } finally {
      await client.close();
    }
  });

  it('refuses an MRZ that fails its check digits unless allowInvalidMrz', () => {
    const parsed = parseMrz(BAD_DIGIT, { repair: false });
    expect(() => subjectsFromMrz(parsed)).toThrow(MrzError);
    expect(subjectsFromMrz(parsed, { allowInvalidMrz: true }).map((s) => s.kind)).toEqual(['document', 'person']);
  });

  it('refuses an MRZ whose holder cannot be searched rather than giving a shorter check', () => {
    expect(() => subjectsFromMrz(parseMrz(NO_NAME), { allowInvalidMrz: true })).toThrow(/holder cannot be searched \(NOMINAL could not be asked\)/);
  });

  it('refuses an unknown option and a non-boolean allowInvalidMrz with a ConfigError naming the option', () => {
    const parsed = parseMrz(SPECIMEN);
    expect(() => subjectsFromMrz(parsed, { allowInvalid: true } as never)).toThrow(ConfigError);
    expect(() => subjectsFromMrz(parsed, { allowInvalid: true } as never)).toThrow('subjectsFromMrz: option `allowInvalid` is not known');
    expect(() => subjectsFromMrz(parsed, true as never)).toThrow('subjectsFromMrz: the options must be an object');
    expect(() => subjectsFromMrz(parsed, { allowInvalidMrz: 'yes' } as never)).toThrow('subjectsFromMrz: option `allowInvalidMrz` must be a boolean');
  });
});

describe('hasNameLetter', () => {
  it('tells a placeholder for an unknown name from a name, as the person validation does', async () => {
    expect(['ERIKSSON', "O'BRIEN", 'Ærø', '李'].map(hasNameLetter)).toEqual([true, true, true, true]);
    expect(['-', '.', "'", '\u0301', '\u3164', ' '].map(hasNameLetter)).toEqual([false, false, false, false, false, false]);
    const client = createClient({ transport: mockTransport(), context: { authorityId: 'UTO-X', operatorId: 'o', purpose: 'TEST' } });
    try {
      await expect(client.checkPerson({ surname: '\u3164' })).rejects.toBeInstanceOf(InputError);
    } finally {
      await client.close();
    }
  });
});
