// Request ids: one per logical call, in its result, error and audit event, and in the `x-request-id` of what it sends.
// They must be unique, not secret (a write's idempotency key, which a gateway stores by, stays a random UUID). A
// randomUUID() per call cost 0.1–0.4 µs, a sixth of a check answered from the cache; a counter after random bits costs
// a fraction of that.
import { randomBytes } from 'node:crypto';

/** The counter's hex digits: the last group of the UUID form. */
const COUNTER_DIGITS = 12;
const COUNTER_LIMIT = 16 ** COUNTER_DIGITS;

let prefix = '';
let counter = COUNTER_LIMIT;

/** 72 random bits in the first three groups and a half of the UUID form, version 4 and the RFC 9562 variant set. */
function newPrefix(): string {
  const hex = randomBytes(9).toString('hex');
  const variant = '89ab'[randomBytes(1)[0]! & 3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-${variant}${hex.slice(15, 18)}-`;
}

/**
 * A request id in the UUID text form (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`): 72 bits drawn at random once per
 * process (and again after 2^48 ids), then a counter. Unique within a process by the counter and across processes by
 * the random part; not unpredictable, which no request id needs to be.
 * @internal
 */
export function newRequestId(): string {
  if (counter === COUNTER_LIMIT) {
    prefix = newPrefix();
    counter = 0;
  }
  return prefix + (counter++).toString(16).padStart(COUNTER_DIGITS, '0');
}
