// Hand-written checks of request bodies: the gateway parses every check request, so this is a hot path where a
// schema library costs too much. Messages name the rule, never the value.
import type { FieldIssue } from '../errors/index';
import { PURPOSES, SOURCES, type Source } from '../queries/types';

/** @internal */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const STATE = /^[A-Za-z]{1,3}$/;
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const ID = /^[\x21-\x7e]{1,128}$/;
const DOCUMENT_TYPES = ['PASSPORT', 'ID_CARD', 'VISA', 'OTHER'];
const DOCUMENT_STATUSES = ['STOLEN', 'LOST', 'STOLEN_BLANK', 'REVOKED', 'INVALIDATED'];
const SEXES = ['M', 'F', 'X', 'UNSPECIFIED'];
/** Withdrawal reasons protocol v1 knows. */
export const WITHDRAWAL_REASONS = ['RECOVERED', 'REPORTED_IN_ERROR', 'DUPLICATE', 'OTHER'];
/** Subjects per item the gateway accepts. */
const MAX_SUBJECTS = 20;

function requireString(
  obj: Json,
  key: string,
  path: string,
  issues: FieldIssue[],
  rule?: { test: (v: string) => boolean; message: string },
  optional = false,
): void {
  const v = obj[key];
  if (v === undefined) {
    if (!optional) issues.push({ path: `${path}.${key}`, message: 'is required' });
  } else if (typeof v !== 'string') {
    issues.push({ path: `${path}.${key}`, message: 'must be a string' });
  } else if (rule && !rule.test(v)) {
    issues.push({ path: `${path}.${key}`, message: rule.message });
  }
}

const oneOf = (values: readonly string[]) => ({ test: (v: string) => values.includes(v), message: `must be ${values.join(', ')}` });
const state = { test: (v: string) => STATE.test(v.trim()), message: 'must be an ICAO state code of 1 to 3 letters' };
const date = { test: (v: string) => DATE.test(v.trim()), message: 'must be a date as YYYY-MM-DD, YYYY-MM or YYYY' };
const nonEmpty = { test: (v: string) => v.trim() !== '' && v.length <= 100, message: 'must be 1 to 100 characters' };
const documentNumber = {
  test: (v: string) => /^[A-Z0-9]{1,20}$/.test(v.replace(/[\s<]+/g, '').toUpperCase()),
  message: 'must be 1 to 20 letters A-Z or digits',
};

export function checkContext(v: unknown, issues: FieldIssue[]): void {
  if (!isObject(v)) {
    issues.push({ path: 'context', message: v === undefined ? 'is required' : 'must be an object' });
    return;
  }
  const id = { test: (s: string) => ID.test(s), message: 'must be 1 to 128 printable ASCII characters without spaces' };
  requireString(v, 'authorityId', 'context', issues, id);
  requireString(v, 'operatorId', 'context', issues, id);
  requireString(v, 'purpose', 'context', issues, oneOf(PURPOSES));
  requireString(v, 'locationId', 'context', issues, id, true);
}

function checkPerson(v: Json, path: string, issues: FieldIssue[]): void {
  requireString(v, 'surname', path, issues, nonEmpty);
  const given = v.givenNames;
  if (given !== undefined && !(Array.isArray(given) && given.length <= 10 && given.every((g) => typeof g === 'string'))) {
    issues.push({ path: `${path}.givenNames`, message: 'must be an array of at most 10 names' });
  }
  requireString(v, 'dateOfBirth', path, issues, date, true);
  requireString(v, 'sex', path, issues, oneOf(SEXES), true);
  requireString(v, 'nationality', path, issues, state, true);
}

function checkSubject(v: unknown, path: string, issues: FieldIssue[]): void {
  if (!isObject(v)) {
    issues.push({ path, message: 'must be an object' });
    return;
  }
  switch (v.kind) {
    case 'document':
      requireString(v, 'documentNumber', path, issues, documentNumber);
      requireString(v, 'issuingState', path, issues, state);
      requireString(v, 'documentType', path, issues, oneOf(DOCUMENT_TYPES));
      if (v.holder !== undefined) {
        if (isObject(v.holder)) checkPerson(v.holder, `${path}.holder`, issues);
        else issues.push({ path: `${path}.holder`, message: 'must be an object' });
      }
      return;
    case 'person':
      checkPerson(v, path, issues);
      return;
    case 'vehicle':
      requireString(v, 'vin', path, issues, undefined, true);
      requireString(v, 'plate', path, issues, undefined, true);
      requireString(v, 'registrationCountry', path, issues, state, true);
      if (v.vin === undefined && v.plate === undefined) {
        issues.push({ path: `${path}.vin`, message: 'a vehicle needs a vin, or a plate with its registrationCountry' });
      } else if (v.plate !== undefined && v.registrationCountry === undefined) {
        issues.push({ path: `${path}.registrationCountry`, message: 'is required with a plate' });
      }
      return;
    default:
      issues.push({ path: `${path}.kind`, message: 'must be document, person or vehicle' });
  }
}

/** Checks one item of `POST /v1/checks`; `itemIds` catches repeated ids across the request. */
export function checkItem(v: unknown, index: number, itemIds: Set<string>, issues: FieldIssue[]): void {
  const path = `items.${index}`;
  if (!isObject(v)) {
    issues.push({ path, message: 'must be an object' });
    return;
  }
  const id = v.itemId;
  if (typeof id !== 'string' || id === '' || id.length > 128) {
    issues.push({ path: `${path}.itemId`, message: id === undefined ? 'is required' : 'must be a string of 1 to 128 characters' });
  } else if (itemIds.has(id)) {
    issues.push({ path: `${path}.itemId`, message: 'must be unique within the request' });
  } else {
    itemIds.add(id);
  }
  const subjects = v.subjects;
  if (!Array.isArray(subjects) || subjects.length === 0 || subjects.length > MAX_SUBJECTS) {
    issues.push({
      path: `${path}.subjects`,
      message: subjects === undefined ? 'is required' : `must be an array of 1 to ${MAX_SUBJECTS} subjects`,
    });
  } else {
    for (let j = 0; j < subjects.length; j++) checkSubject(subjects[j], `${path}.subjects.${j}`, issues);
  }
  const sources = v.sources;
  if (sources !== undefined) {
    if (
      !Array.isArray(sources) ||
      sources.length === 0 ||
      !sources.every((s) => SOURCES.includes(s as Source)) ||
      new Set(sources).size !== sources.length
    ) {
      issues.push({ path: `${path}.sources`, message: 'must name SLTD, TDAWN, NOMINAL or SMV, at least one, without repeats' });
    }
  }
}

/** Checks `report` of `POST /v1/reports/documents`. */
export function checkReport(v: unknown, issues: FieldIssue[]): void {
  if (!isObject(v)) {
    issues.push({ path: 'report', message: v === undefined ? 'is required' : 'must be an object' });
    return;
  }
  requireString(v, 'documentNumber', 'report', issues, documentNumber);
  requireString(v, 'issuingState', 'report', issues, state);
  requireString(v, 'documentType', 'report', issues, oneOf(DOCUMENT_TYPES));
  requireString(v, 'status', 'report', issues, oneOf(DOCUMENT_STATUSES));
  requireString(v, 'incidentDate', 'report', issues, { test: (s) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(s), message: 'must be a date as YYYY-MM-DD, YYYY-MM or YYYY' }, true);
  requireString(v, 'incidentCountry', 'report', issues, state, true);
  requireString(v, 'nationalReference', 'report', issues, { test: (s) => s.length >= 1 && s.length <= 64, message: 'must be 1 to 64 characters' }, true);
}

/** JSON with sorted keys: two bodies that differ only in key order are the same request. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
