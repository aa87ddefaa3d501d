// ICAO Doc 9303 Part 3, 4.9: characters valued 0–35 (`<` = 0), weighted 7, 3, 1 repeating, sum modulo 10.

/** Value of each char code in a check-digit computation; -1 outside [A-Z0-9<]. */
export const CHAR_VALUE: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let c = 48; c <= 57; c++) table[c] = c - 48;
  for (let c = 65; c <= 90; c++) table[c] = c - 55;
  table[60] = 0;
  return table;
})();

export const WEIGHTS: readonly number[] = [7, 3, 1];

/**
 * The ICAO 7-3-1 check digit of `value`.
 *
 * @throws RangeError when `value` contains a character outside `[A-Z0-9<]` (a programming error, not bad data:
 * {@link parseMrz} never calls it on unchecked input).
 * @example
 * computeCheckDigit('L898902C3') // 6
 * computeCheckDigit('740812') // 2
 */
export function computeCheckDigit(value: string): number {
  if (typeof value !== 'string') throw new RangeError('computeCheckDigit: value must be a string');
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const v = code < 256 ? (CHAR_VALUE[code] ?? -1) : -1;
    if (v < 0) throw new RangeError(`computeCheckDigit: character at index ${i} is outside [A-Z0-9<]`);
    sum += v * (WEIGHTS[i % 3] ?? 1);
  }
  return sum % 10;
}
