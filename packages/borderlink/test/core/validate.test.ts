import { describe, expect, it } from 'vitest';
import { InputError } from 'borderlink';
import { defaultSources, parseContext, parseSubjects } from '../../src/queries/validate';

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).issues;
  }
  throw new Error('expected an InputError');
}

describe('input validation', () => {
  it('names each bad field by path and never quotes the value', () => {
    const input = [
      { kind: 'document', documentNumber: 'L8989-02C3', issuingState: 'UTOPIA', documentType: 'PASSPORT' },
      { kind: 'person', surname: 'ERIKSSON', dateOfBirth: '1974-02-30' },
      { kind: 'vehicle', vin: 'WVWZZZ1JZXW00000O' },
    ];
    let thrown: InputError | undefined;
    try {
      parseSubjects(input);
    } catch (err) {
      thrown = err as InputError;
    }
    expect(thrown?.issues.map((i) => i.path)).toEqual([
      'subjects.0.documentNumber',
      'subjects.0.issuingState',
      'subjects.1.dateOfBirth',
      'subjects.2.vin',
    ]);
    const text = JSON.stringify(thrown) + thrown?.message;
    for (const value of ['L8989-02C3', 'UTOPIA', '1974-02-30', 'WVWZZZ1JZXW00000O', 'ERIKSSON']) expect(text).not.toContain(value);
  });

  it('tells a missing field from a wrong one', () => {
    expect(issuesOf(() => parseSubjects([{ kind: 'document', documentNumber: 7, documentType: 'PASSPORT' }]))).toEqual([
      { path: 'subjects.0.documentNumber', message: 'must be a string' },
      { path: 'subjects.0.issuingState', message: 'is required' },
    ]);
  });

  it('refuses unknown fields without repeating their names (a key can hold a document number too)', () => {
    expect(issuesOf(() => parseSubjects([{ kind: 'person', surname: 'A', dob: '1970' }]))).toEqual([
      { path: 'subjects.0', message: 'holds a field that is not known' },
    ]);
    const issues = issuesOf(() => parseSubjects([{ kind: 'person', surname: 'A', L898902C3: 1, ERIKSSON: 2 }]));
    expect(issues).toEqual([{ path: 'subjects.0', message: 'holds 2 fields that are not known' }]);
    expect(JSON.stringify(issues)).not.toMatch(/L898902C3|ERIKSSON/);
  });

  it('normalises case and spaces of codes and numbers', () => {
    expect(parseSubjects([{ kind: 'document', documentNumber: ' l898902c3 ', issuingState: 'uto', documentType: 'PASSPORT' }])).toEqual([
      { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' },
    ]);
  });

  it('accepts partial dates and the one-letter code D', () => {
    expect(() => parseSubjects([{ kind: 'person', surname: 'MÜLLER', dateOfBirth: '1974-08', nationality: 'D' }])).not.toThrow();
    expect(() => parseSubjects([{ kind: 'person', surname: 'O\'NEIL', dateOfBirth: '1974' }])).not.toThrow();
    expect(() => parseSubjects([{ kind: 'person', surname: 'A', dateOfBirth: '2024-02-29' }])).not.toThrow();
    expect(issuesOf(() => parseSubjects([{ kind: 'person', surname: 'A', dateOfBirth: '2023-02-29' }]))[0]?.path).toBe(
      'subjects.0.dateOfBirth',
    );
  });

  it('needs a vin, or a plate with its registration country', () => {
    expect(issuesOf(() => parseSubjects([{ kind: 'vehicle' }]))[0]?.path).toBe('subjects.0.vin');
    expect(issuesOf(() => parseSubjects([{ kind: 'vehicle', plate: 'B-AB 123' }]))[0]?.path).toBe('subjects.0.registrationCountry');
  });

  it('requires who, for which authority and why', () => {
    expect(issuesOf(() => parseContext({ authorityId: 'MDA-BPOL' })).map((i) => i.path)).toEqual([
      'context.operatorId',
      'context.purpose',
    ]);
    expect(issuesOf(() => parseContext({ authorityId: 'A', operatorId: 'B', purpose: 'CURIOSITY' as never }))[0]?.path).toBe(
      'context.purpose',
    );
  });

  it('picks default sources by subject kind', () => {
    expect(defaultSources([{ kind: 'document', documentNumber: 'X', issuingState: 'UTO', documentType: 'PASSPORT' }])).toEqual(['SLTD', 'TDAWN']);
    expect(defaultSources([{ kind: 'vehicle', vin: 'X' }, { kind: 'person', surname: 'A' }])).toEqual(['NOMINAL', 'SMV']);
  });
});
