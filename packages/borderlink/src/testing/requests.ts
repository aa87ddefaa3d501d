// Reading a request's body by the client's own schemas (REQUEST_SCHEMAS of the wire), so the mock refuses what the
// client refuses to send and takes what it sends. Messages name the path and the rule, never the value.
import type { FieldIssue } from 'borderlink';
import type { z } from 'zod';
import { HEADERS, REQUEST_SCHEMAS, contextHeaderPath, contextOfHeaders, isNothingToSearch, isPlainSourceList, isPlainSubjectList, safeParseWorded, toFieldIssues } from '../protocol/index';
import { normaliseDocumentNumber, normalisePlate, normaliseVin } from './matching';
import { isObject } from './responses';

function validate(schema: z.ZodType, value: unknown, path: string, issues: FieldIssue[]): void {
  const parsed = safeParseWorded(schema, value);
  if (parsed.success) return;
  // A name with nothing to search by is searched, and its source answers ERROR (never NO_HIT): not a bad request.
  const refused = parsed.error.issues.filter((issue) => !isNothingToSearch(issue));
  issues.push(...toFieldIssues({ issues: refused }, value, path));
}

// A gateway ignores fields the protocol does not know (a newer client may send more), where the client refuses them
// from its caller: only the fields its schemas name are validated.
const keysOf = (shape: object): ReadonlySet<string> => new Set(Object.keys(shape));
const CONTEXT_KEYS = keysOf(REQUEST_SCHEMAS.context.shape);
const REPORT_KEYS = keysOf(REQUEST_SCHEMAS.report.shape);
const SUBJECT_KEYS = new Map(REQUEST_SCHEMAS.subjects.element.options.map((o) => [o.shape.kind.value as unknown, keysOf(o.shape)]));
const HOLDER_KEYS = keysOf(REQUEST_SCHEMAS.subjects.element.options[0].shape.holder.unwrap().shape);

function known(value: unknown, keys: ReadonlySet<string> | undefined): unknown {
  if (!isObject(value) || keys === undefined) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (keys.has(key)) out[key] = value[key];
  return out;
}

/**
 * A subject or report as the gateway compares it: a document number without case, spaces or filler `<`, a plate
 * without case, spaces or hyphens, a VIN without case or spaces (matching.ts). What differs only in those is found, as
 * a NORMALISED match, so it is no reason to refuse the request.
 */
function asCompared(value: unknown): unknown {
  if (!isObject(value)) return value;
  const v = { ...value };
  if (v.holder !== undefined) v.holder = known(v.holder, HOLDER_KEYS);
  if (typeof v.documentNumber === 'string') v.documentNumber = normaliseDocumentNumber(v.documentNumber);
  if (typeof v.plate === 'string') v.plate = normalisePlate(v.plate);
  if (typeof v.vin === 'string') v.vin = normaliseVin(v.vin);
  return v;
}

/** Checks `context` of any request. */
export function checkContext(v: unknown, issues: FieldIssue[]): void {
  validate(REQUEST_SCHEMAS.context, known(v, CONTEXT_KEYS), 'context', issues);
}

/** Checks the context of a `GET`, from its headers, by the rules of a body's `context`; issues name the headers. */
export function checkContextHeaders(headers: Record<string, string | undefined>, issues: FieldIssue[]): void {
  const found: FieldIssue[] = [];
  validate(REQUEST_SCHEMAS.context, contextOfHeaders(headers), 'context', found);
  for (const issue of found) issues.push({ path: contextHeaderPath(issue.path), message: issue.message });
}

/** Checks one item of `POST /v1/checks`; `itemIds` catches repeated ids across the request. */
export function checkItem(v: unknown, index: number, itemIds: Set<string>, issues: FieldIssue[]): void {
  const path = `items.${index}`;
  if (!isObject(v)) {
    issues.push({ path, message: 'must be an object' });
    return;
  }
  // The item id is the wire's own (the client numbers its items): its rule is the gateway's.
  const id = v.itemId;
  if (typeof id !== 'string' || id === '' || id.length > 128) {
    issues.push({ path: `${path}.itemId`, message: id === undefined ? 'is required' : 'must be a string of 1 to 128 characters' });
  } else if (itemIds.has(id)) {
    issues.push({ path: `${path}.itemId`, message: 'must be unique within the request' });
  } else {
    itemIds.add(id);
  }
  const subjects = v.subjects;
  // What a client nearly always sends: plain document subjects of known fields only, already as the gateway compares
  // them, which the schema takes as they are (isPlainSubjectList, property-tested against it). Those need neither the
  // copies below nor zod; anything else is read the whole way, with the schema's messages.
  if (!isPlainSubjectList(subjects)) {
    const compared = Array.isArray(subjects) ? subjects.map((s) => asCompared(known(s, isObject(s) ? SUBJECT_KEYS.get(s.kind) : undefined))) : subjects;
    validate(REQUEST_SCHEMAS.subjects, compared, `${path}.subjects`, issues);
  }
  if (v.sources !== undefined && !isPlainSourceList(v.sources)) validate(REQUEST_SCHEMAS.sources, v.sources, `${path}.sources`, issues);
}

/** Checks `report` of `POST /v1/reports/documents`. */
export function checkReport(v: unknown, issues: FieldIssue[]): void {
  validate(REQUEST_SCHEMAS.report, asCompared(known(v, REPORT_KEYS)), 'report', issues);
}

/** Checks `reason` of a withdrawal. */
export function checkWithdrawalReason(v: unknown, issues: FieldIssue[]): void {
  validate(REQUEST_SCHEMAS.withdrawalReason, v, 'reason', issues);
}

/** The issues of a write's idempotency key, which come first in the answer. */
export function idempotencyKeyIssues(key: string | undefined): FieldIssue[] {
  const path = `headers.${HEADERS.idempotencyKey}`;
  if (key === undefined || key === '') return [{ path, message: 'is required for a write' }];
  const issues: FieldIssue[] = [];
  validate(REQUEST_SCHEMAS.idempotencyKey, key, path, issues);
  return issues;
}
