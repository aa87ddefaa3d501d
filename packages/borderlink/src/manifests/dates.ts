// EDIFACT dates (DTM C507/2380 in the format of 2379) as ISO 8601 text. The guide uses 101 (YYMMDD), 102
// (CCYYMMDD), 201 (YYMMDDHHMM) and 203 (CCYYMMDDHHMM); without a format code the length says which.

/** How a two-digit year is read: a birth is never after today; other dates fall within 50 years of today. */
export type Century = 'birth' | 'window';

const FORMAT_LENGTH: Readonly<Record<string, number>> = { '101': 6, '102': 8, '201': 10, '203': 12 };
const LENGTH_FORMAT: Readonly<Record<number, string>> = { 6: '101', 8: '102', 10: '201', 12: '203' };

/**
 * The ISO text of an EDIFACT date (`YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` with a time), or `undefined` for one that
 * cannot be: an unknown format, a length the format does not have, month 13, 31 February, hour 25.
 */
/** Today (UTC) as a parse reads dates against it, made once per instant rather than once per date read. */
interface Today {
  readonly time: number;
  /** `YYYY-MM-DD`. */
  readonly iso: string;
  /** `YYYYMMDD`. */
  readonly compact: string;
  /** The earliest possible date of birth, `YYYY-MM-DD`: 150 years before today. */
  readonly oldestBirth: string;
}

let lastToday: Today | undefined;

function todayOf(now: Date): Today {
  const time = now.getTime();
  if (lastToday !== undefined && lastToday.time === time) return lastToday;
  const iso = now.toISOString().slice(0, 10);
  lastToday = { time, iso, compact: iso.replace(/-/g, ''), oldestBirth: `${String(now.getUTCFullYear() - 150).padStart(4, '0')}${iso.slice(4)}` };
  return lastToday;
}

export function isoDate(value: string, format: string | undefined, century: Century, now: Date): string | undefined {
  const code = format === undefined || format === '' ? LENGTH_FORMAT[value.length] : format;
  if (code === undefined || FORMAT_LENGTH[code] !== value.length) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const long = code === '102' || code === '203';
  let year: number;
  let rest: string;
  if (long) {
    year = Number(value.slice(0, 4));
    rest = value.slice(4);
  } else {
    const yy = Number(value.slice(0, 2));
    const thisYear = now.getUTCFullYear();
    if (century === 'birth') {
      // The latest century in which the date is not after today: an infant on its first flight reads as born this
      // year, not a century ago (YYMMDD cannot tell a centenarian from a newborn; the guide's long form 102 can).
      year = `${2000 + yy}${value.slice(2, 6)}` > todayOf(now).compact ? 1900 + yy : 2000 + yy;
    } else {
      year = Math.floor(thisYear / 100) * 100 + yy;
      if (year > thisYear + 50) year -= 100;
      else if (year <= thisYear - 50) year += 100;
    }
    rest = value.slice(2);
  }
  const month = Number(rest.slice(0, 2));
  const day = Number(rest.slice(2, 4));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const date = `${String(year).padStart(4, '0')}-${rest.slice(0, 2)}-${rest.slice(2, 4)}`;
  if (rest.length === 4) return date;
  const hour = Number(rest.slice(4, 6));
  const minute = Number(rest.slice(6, 8));
  if (hour > 24 || minute > 59 || (hour === 24 && minute !== 0)) return undefined;
  return `${date}T${rest.slice(4, 6)}:${rest.slice(6, 8)}`;
}

/**
 * Whether a date of birth (`YYYY-MM-DD`) can be one: not after today (UTC, as two-digit years are read) and not more
 * than 150 years before it. A long-form date can say anything; searched as written, a birth in the future finds
 * nobody and reads as a clear.
 */
export function isPossibleBirth(date: string, now: Date): boolean {
  const today = todayOf(now);
  return date <= today.iso && date >= today.oldestBirth;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
