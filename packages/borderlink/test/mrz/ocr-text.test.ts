import { describe, expect, it } from 'vitest';
import { parseMrz } from 'borderlink';

const td3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const referenceDate = new Date('2026-11-29T00:00:00Z');

describe('an MRZ inside a few lines of OCR text', () => {
  // Regression: with three lines or fewer the text line was kept and the format was not recognised.
  it.each([
    ['a header line before a TD3', `scanner v2\r\n${td3.join('\r\n')}\r\n`],
    ['a trailer line after a TD3', `${td3.join('\n')}\nEND OF SCAN`],
    ['a header line, as an array', ['Page 1', ...td3]],
  ])('is found with %s', (_name, input) => {
    const parsed = parseMrz(input, { referenceDate });
    expect(parsed.format).toBe('TD3');
    expect(parsed.valid).toBe(true);
    expect(parsed.document?.documentNumber).toBe('L898902C3');
  });
});
