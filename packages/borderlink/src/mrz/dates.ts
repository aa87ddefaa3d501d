// Two-digit MRZ dates → ISO strings. Century rules: a birth date is the latest one not after the reference date;
// an expiry year YY is 19YY when YY ≥ (reference YY + 50), else 20YY (generalised to the reference century).

/** The reference date broken into parts once per parse. */
export interface ReferenceParts {
  readonly year: number;
  readonly century: number;
  readonly yy: number;
  /** year * 10000 + month * 100 + day */
  readonly key: number;
}

let cachedDay = -1;
let cachedParts: ReferenceParts | null = null;
const DAY_MS = 86_400_000;

/** Parts of `date` (UTC); cached per day because every parse needs them. */
export function referenceParts(date: Date | number): ReferenceParts {
  const ms = typeof date === 'number' ? date : date.getTime();
  const day = Math.floor(ms / DAY_MS);
  if (day === cachedDay && cachedParts !== null) return cachedParts;
  cachedParts = computeParts(new Date(ms));
  cachedDay = day;
  return cachedParts;
}

function computeParts(date: Date): ReferenceParts {
  const year = date.getUTCFullYear();
  return {
    year,
    century: year - (year % 100),
    yy: year % 100,
    key: year * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate(),
  };
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return 29;
  return DAYS_IN_MONTH[month] ?? 0;
}

function pair(a: number, b: number): number {
  if (a === 60 && b === 60) return -1;
  if (a < 48 || a > 57 || b < 48 || b > 57) return -2;
  return (a - 48) * 10 + (b - 48);
}

/** Scratch result of {@link resolveDate}: the sortable key and the precision of the last date resolved. */
export const lastDate = { year: 0, month: 0, day: 0 };

/**
 * Reads YYMMDD at `offset` of `buf`. Returns `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (month / day printed `<<`), or null
 * when the digits are not a calendar date.
 */
export function resolveDate(buf: Uint8Array, offset: number, kind: 'birth' | 'expiry', ref: ReferenceParts): string | null {
  const yy = pair(buf[offset] as number, buf[offset + 1] as number);
  const mm = pair(buf[offset + 2] as number, buf[offset + 3] as number);
  const dd = pair(buf[offset + 4] as number, buf[offset + 5] as number);
  if (yy < 0 || mm === -2 || dd === -2) return null;
  if (mm === -1 && dd !== -1) return null;
  if (mm !== -1 && (mm < 1 || mm > 12)) return null;
  let year = ref.century + yy;
  if (kind === 'birth') {
    if (year * 10000 + (mm < 0 ? 1 : mm) * 100 + (dd < 0 ? 1 : dd) > ref.key) year -= 100;
  } else if (yy >= ref.yy + 50) year -= 100;
  if (dd !== -1 && (dd < 1 || dd > daysIn(year, mm))) return null;
  lastDate.year = year;
  lastDate.month = mm < 0 ? 0 : mm;
  lastDate.day = dd < 0 ? 0 : dd;
  if (year >= 1000 && year <= 9999) {
    // One string from char codes: the year's digits, then the month and day digits as printed.
    const y0 = 48 + Math.floor(year / 1000);
    const y1 = 48 + (Math.floor(year / 100) % 10);
    const y2 = buf[offset] as number;
    const y3 = buf[offset + 1] as number;
    if (mm < 0) return String.fromCharCode(y0, y1, y2, y3);
    const m0 = buf[offset + 2] as number;
    const m1 = buf[offset + 3] as number;
    if (dd < 0) return String.fromCharCode(y0, y1, y2, y3, 45, m0, m1);
    return String.fromCharCode(y0, y1, y2, y3, 45, m0, m1, 45, buf[offset + 4] as number, buf[offset + 5] as number);
  }
  const y = String(year);
  if (mm < 0) return y;
  const m = mm < 10 ? `0${mm}` : String(mm);
  if (dd < 0) return `${y}-${m}`;
  return `${y}-${m}-${dd < 10 ? `0${dd}` : String(dd)}`;
}

/** Whether the date last resolved (see {@link lastDate}) ends before the reference date. */
export function lastDateBefore(ref: ReferenceParts): boolean {
  const { year, month, day } = lastDate;
  const refYear = Math.floor(ref.key / 10000);
  const refMonth = Math.floor(ref.key / 100) % 100;
  if (month === 0) return year < refYear;
  if (day === 0) return year * 100 + month < refYear * 100 + refMonth;
  return year * 10000 + month * 100 + day < ref.key;
}

/** Reads an ISO date (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`) into MRZ `YYMMDD` with `<<` for unknown parts; null if malformed. */
export function isoToMrzDate(iso: string): string | null {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso);
  if (match === null) return null;
  const [, y = '', m, d] = match;
  const year = Number(y);
  if (m !== undefined) {
    const month = Number(m);
    if (month < 1 || month > 12) return null;
    if (d !== undefined) {
      const day = Number(d);
      if (day < 1 || day > daysIn(year, month)) return null;
    }
  }
  return `${y.slice(2)}${m ?? '<<'}${d ?? '<<'}`;
}
