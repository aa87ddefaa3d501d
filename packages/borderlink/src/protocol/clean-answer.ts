// The clean check answer read straight from its text, in one pass: no JSON.parse, and no tree of parsed values walked
// and copied again. Most answers are clean NO_HITs (every outcome a known source with a known status, no hit), and
// JSON.parse of one was the largest single cost left on a check's hot path. Measured with callgrind on the mock
// gateway's one-item NO_HIT answer (249 characters): JSON.parse and readCheckJson took about 18,200 instructions
// (JSON.parse 15,200 of them), this reader takes about 11,000.
//
// The items of a batch's answer mostly read alike after their ids (the same sources, statuses and dates): an item whose
// text from its id's closing quote to the next item's id is the previous item's, character for character, has that
// item's outcomes, and is matched with one comparison of the two texts rather than read token by token (each
// `startsWith` of a token costs some 50 instructions a character on Node 20; one string comparison is a memcmp). Those
// items share one frozen list of outcomes: nothing may change one item's outcomes through another's. Measured with
// callgrind over recorded 100-item NO_HIT answers: 10,100 instructions an item before, 1,540 after (JSON.parse of the
// same text: 11,000).
//
// It reads one written form only: compact JSON (no whitespace) with the fields in the order docs/openapi.yaml lists
// them (`requestId`, `items`; `itemId`, `outcomes`, `hits`; `source`, `status`, `dataAsOf`), which is how the mock
// gateway and JSON.stringify of the documented shape write it. Anything else (another order, whitespace, an escape or
// a control character in a value, an unknown key, a hit, a number, a source or status it does not list, a value the
// general reader would warn about, text that is not JSON) gives undefined, and the answer goes to the general reader
// (readCheckJson over JSON.parse), which decides, warns or refuses as before. A property test holds the two together
// over hostile texts: where this one answers, the general one gives the same value, key order included.
import { GATEWAY_REQUEST_ID, MAX_TEXT_LENGTH, WIRE_OUTCOME_STATUSES, type CheckItemResponse, type CheckResponse } from './wire';
import type { Source, SourceOutcome } from '../queries/types';

/**
 * A value between quotes that JSON.parse gives unchanged: no backslash (an escape would change it, and a quote after
 * one would not end it) and no control character (JSON.parse refuses one raw).
 */
function isPlain(value: string): boolean {
  return !NOT_PLAIN.test(value);
}
const NOT_PLAIN = /[\x00-\x1f\\]/;

/** Each source as the text reads up to its status's value. */
const SOURCE_THEN_STATUS: Readonly<Record<Source, string>> = {
  SLTD: 'SLTD","status":"',
  TDAWN: 'TDAWN","status":"',
  NOMINAL: 'NOMINAL","status":"',
  SMV: 'SMV","status":"',
};

/** The source whose value starts at `i`, by its first letter and then the whole text up to the status. */
function sourceAt(t: string, i: number): Source | undefined {
  switch (t.charCodeAt(i)) {
    case 0x53: // S
      return t.startsWith(SOURCE_THEN_STATUS.SLTD, i) ? 'SLTD' : t.startsWith(SOURCE_THEN_STATUS.SMV, i) ? 'SMV' : undefined;
    case 0x54: // T
      return t.startsWith(SOURCE_THEN_STATUS.TDAWN, i) ? 'TDAWN' : undefined;
    case 0x4e: // N
      return t.startsWith(SOURCE_THEN_STATUS.NOMINAL, i) ? 'NOMINAL' : undefined;
    default:
      return undefined;
  }
}

/** Every wire status, the usual one first, each with its closing quote. */
const STATUSES: readonly SourceOutcome['status'][] = ['NO_HIT', ...WIRE_OUTCOME_STATUSES.filter((s) => s !== 'NO_HIT')];
const STATUS_QUOTED = STATUSES.map((s) => `${s}"`);

function statusAt(t: string, i: number): number {
  for (let k = 0; k < STATUS_QUOTED.length; k++) if (t.startsWith(STATUS_QUOTED[k]!, i)) return k;
  return -1;
}

const ROOT = '{"requestId":"';
const ITEMS = '","items":[';
const ITEM = '{"itemId":"';
const OUTCOMES = '","outcomes":[';
const OUTCOME = '{"source":"';
const DATA_AS_OF = ',"dataAsOf":"';
const NO_HITS = ',"hits":[]}';
const NEXT_ITEM = `,${ITEM}`;

/** The outcomes of an item, frozen to be shared with every later item whose text after its id is the same. */
function shared(outcomes: SourceOutcome[]): SourceOutcome[] {
  for (const o of outcomes) Object.freeze(o);
  return Object.freeze(outcomes) as SourceOutcome[];
}

/** The outcomes from `i` (after `[`) to their `]`; gives the index after it, or -1. */
function readOutcomes(t: string, i: number, into: SourceOutcome[]): number {
  for (;;) {
    if (!t.startsWith(OUTCOME, i)) return -1;
    i += OUTCOME.length;
    const source = sourceAt(t, i);
    if (source === undefined) return -1;
    i += SOURCE_THEN_STATUS[source].length;
    const k = statusAt(t, i);
    if (k === -1) return -1;
    i += STATUS_QUOTED[k]!.length;
    const status = STATUSES[k]!;
    if (t.charCodeAt(i) === 0x7d) {
      into.push({ source, status });
      i += 1;
    } else {
      if (!t.startsWith(DATA_AS_OF, i)) return -1;
      i += DATA_AS_OF.length;
      const end = t.indexOf('"', i);
      if (end === -1 || end - i > MAX_TEXT_LENGTH || t.charCodeAt(end + 1) !== 0x7d) return -1;
      const dataAsOf = t.slice(i, end);
      if (!isPlain(dataAsOf)) return -1;
      into.push({ source, status, dataAsOf });
      i = end + 2;
    }
    const next = t.charCodeAt(i++);
    if (next === 0x5d) return i;
    if (next !== 0x2c) return -1;
  }
}

/**
 * The check answer `text` holds, when it is a clean one written in the form above; undefined otherwise, for the
 * general reader. What it gives is exactly what readCheckJson gives for the same text.
 * @internal
 */
export function readCleanCheckText(t: string): CheckResponse | undefined {
  if (!t.startsWith(ROOT)) return undefined;
  let end = t.indexOf('"', ROOT.length);
  if (end === -1 || !t.startsWith(ITEMS, end)) return undefined;
  const requestId = t.slice(ROOT.length, end);
  if (!isPlain(requestId)) return undefined;
  let i = end + ITEMS.length;
  if (!t.startsWith(ITEM, i)) return undefined;
  i += ITEM.length;
  const items: CheckItemResponse[] = [];
  // The text of the last item read token by token, from its id's closing quote to the next item's id; the same text as
  // the answer's last item, up to the end of the answer; its outcomes.
  let rest = '';
  let restAtEnd = '';
  let restOutcomes: SourceOutcome[] = [];
  // From here `i` is where an item's id starts.
  for (;;) {
    end = t.indexOf('"', i);
    if (end === -1) return undefined;
    const itemId = t.slice(i, end);
    if (!isPlain(itemId)) return undefined;
    if (rest !== '') {
      if (t.slice(end, end + rest.length) === rest) {
        items.push({ itemId, outcomes: restOutcomes, hits: [], warnings: [], unreadable: false });
        i = end + rest.length;
        continue;
      }
      if (t.length - end === restAtEnd.length && t.slice(end) === restAtEnd) {
        items.push({ itemId, outcomes: restOutcomes, hits: [], warnings: [], unreadable: false });
        i = t.length - 1;
        break;
      }
    }
    if (!t.startsWith(OUTCOMES, end)) return undefined;
    const outcomes: SourceOutcome[] = [];
    i = readOutcomes(t, end + OUTCOMES.length, outcomes);
    // A hit, or anything else where the empty list of hits should be: the general reader reads it.
    if (i === -1 || !t.startsWith(NO_HITS, i)) return undefined;
    i += NO_HITS.length;
    if (t.startsWith(NEXT_ITEM, i)) {
      i += NEXT_ITEM.length;
      rest = t.slice(end, i);
      restAtEnd = `${t.slice(end, i - NEXT_ITEM.length)}]}`;
      restOutcomes = shared(outcomes);
      items.push({ itemId, outcomes: restOutcomes, hits: [], warnings: [], unreadable: false });
      continue;
    }
    items.push({ itemId, outcomes, hits: [], warnings: [], unreadable: false });
    if (t.charCodeAt(i++) !== 0x5d) return undefined;
    break;
  }
  // Nothing may follow the answer: JSON.parse would refuse it, or (whitespace) the general reader may read it.
  if (i !== t.length - 1 || t.charCodeAt(i) !== 0x7d) return undefined;
  if (GATEWAY_REQUEST_ID.test(requestId)) return { gatewayRequestId: requestId, warnings: [], items };
  return { warnings: [{ code: 'GATEWAY_DEVIATION', path: 'requestId' }], items };
}
