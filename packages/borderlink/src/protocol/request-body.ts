// The body of `POST /v1/checks`, written from validated fields. A generic JSON.stringify walks a nested object of a
// dozen keys on every check and was the largest single cost the profile showed on the hot path (bench/transport.ts);
// the shape of a validated check is known, so the text is built field by field from the input schemas' own field
// lists, in their order. The output is exactly JSON.stringify's for every validated body (a property test holds it to
// that, unicode names and identifiers holding quotes or backslashes included), so equal checks still give equal
// text, which the cache key relies on.
import type { QueryContext, Subject } from '../queries/types';
import { contextSchema, documentQuerySchema, personQuerySchema, vehicleQuerySchema } from '../queries/validate';
import type { CheckItemRequest } from './wire';

/**
 * A string as JSON. Validated values are nearly always plain (no quote, backslash, control character or surrogate),
 * and those need only the quotes; anything else goes through JSON.stringify, which escapes exactly as JSON requires
 * (a lone surrogate as `\udXXX`).
 */
export function jsonString(value: string): string {
  return isPlainText(value) ? `"${value}"` : JSON.stringify(value);
}

/** Whether `value` goes into JSON between quotes as it is: no quote, backslash, control character or surrogate. */
function isPlainText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/** A field's value as JSON: a string, a list of strings, or an object written by its own field list. */
type FieldWriter = (value: unknown) => string;

// The field lists come from the schemas that validated the values, so a field added to a schema is written too.
const PERSON_FIELDS = Object.keys(personQuerySchema.shape);
const DOCUMENT_FIELDS = Object.keys(documentQuerySchema.shape);
const VEHICLE_FIELDS = Object.keys(vehicleQuerySchema.shape);
const CONTEXT_FIELDS = Object.keys(contextSchema.shape);

function writeValue(value: unknown): string {
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + writeValue(value[i]);
    return `${out}]`;
  }
  // Not reached by validated input (strings, lists of strings, the holder); kept exact for anything else.
  return JSON.stringify(value) ?? 'null';
}

const NAME_VARIANT_FIELDS = ['surname', 'givenNames'];

/** A person's field: `nameVariants` is a list of `{ surname, givenNames }`, every other a string or a list of them. */
function personValue(value: unknown, name: string): string {
  if (name !== 'nameVariants' || !Array.isArray(value)) return writeValue(value);
  let out = '[';
  for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + writeFields('{', value[i] as Record<string, unknown>, NAME_VARIANT_FIELDS, writeValue);
  return `${out}]`;
}

const writeHolder: FieldWriter = (value) => writeFields('{', value as Record<string, unknown>, PERSON_FIELDS, personValue);

/** `open` followed by each present field of `fields` as `"name":value`, and the closing brace. */
function writeFields(open: string, from: Record<string, unknown>, fields: readonly string[], write: (value: unknown, name: string) => string): string {
  let out = open;
  let first = open === '{';
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i]!;
    const value = from[name];
    if (value === undefined) continue;
    out += `${first ? '' : ','}"${name}":${write(value, name)}`;
    first = false;
  }
  return `${out}}`;
}

const documentValue = (value: unknown, name: string): string => (name === 'holder' ? writeHolder(value) : writeValue(value));

// Nearly every check is a document without a holder: its three fields, in the schema's order, go through one template
// (half the cost of the walk over the field list). Only while the schema lists exactly these fields; else the walk.
const PLAIN_DOCUMENT_FIELDS = DOCUMENT_FIELDS.join() === 'documentNumber,issuingState,documentType,holder';

function writeDocument(s: Subject & { kind: 'document' }): string {
  const { documentNumber, issuingState, documentType } = s;
  if (PLAIN_DOCUMENT_FIELDS && s.holder === undefined && typeof documentNumber === 'string' && typeof issuingState === 'string' && typeof documentType === 'string') {
    return `{"kind":"document","documentNumber":${jsonString(documentNumber)},"issuingState":${jsonString(issuingState)},"documentType":${jsonString(documentType)}}`;
  }
  return writeFields('{"kind":"document"', s as unknown as Record<string, unknown>, DOCUMENT_FIELDS, documentValue);
}

/**
 * A whole item of one plain document (no holder, every value plain text, see isPlainText) behind `open`, as one
 * template: each string addition is an allocation, and this one has nine where the general walk had some thirty
 * (bench/manifest.ts: the additions were the largest cost of writing a row). Undefined for any other item.
 */
function plainDocumentItem(open: string, subjects: readonly Subject[], sources: string): string | undefined {
  if (!PLAIN_DOCUMENT_FIELDS || subjects.length !== 1) return undefined;
  const s = subjects[0]!;
  if (s.kind !== 'document' || s.holder !== undefined) return undefined;
  const { documentNumber, issuingState, documentType } = s;
  if (typeof documentNumber !== 'string' || typeof issuingState !== 'string' || typeof documentType !== 'string') return undefined;
  if (!isPlainText(documentNumber) || !isPlainText(issuingState) || !isPlainText(documentType)) return undefined;
  return `${open}"subjects":[{"kind":"document","documentNumber":"${documentNumber}","issuingState":"${issuingState}","documentType":"${documentType}"}],"sources":${sources}}`;
}

// The sources of a check are nearly always one of the default lists: the last list's text is kept, by its content
// (the lists are not frozen, so never by identity alone).
let lastSources: readonly string[] = [];
let lastSourcesJson = '[]';

/** The JSON of a validated list of sources. */
function sourcesJson(sources: readonly string[]): string {
  const last = lastSources;
  if (sources.length === last.length) {
    let same = true;
    for (let i = 0; i < sources.length; i++) if (sources[i] !== last[i]) same = false;
    if (same) return lastSourcesJson;
  }
  const json = writeValue(sources);
  lastSources = [...sources];
  lastSourcesJson = json;
  return json;
}

const SUBJECT_WRITERS: Readonly<Record<Subject['kind'], (subject: Subject) => string>> = {
  document: (s) => writeDocument(s as Subject & { kind: 'document' }),
  person: (s) => writeFields('{"kind":"person"', s as unknown as Record<string, unknown>, PERSON_FIELDS, personValue),
  vehicle: (s) => writeFields('{"kind":"vehicle"', s as unknown as Record<string, unknown>, VEHICLE_FIELDS, writeValue),
};

/** The JSON of one subject, `kind` first and then its fields in schema order (as the client builds it). */
export function subjectJson(subject: Subject): string {
  return SUBJECT_WRITERS[subject.kind](subject);
}

// The client's own context is one frozen object shared by every call that brings none: its text is written once.
let lastContext: QueryContext | undefined;
let lastContextJson = '';

/** The JSON of a validated context. */
export function contextJson(context: QueryContext): string {
  if (context === lastContext) return lastContextJson;
  const json = writeFields('{', context as unknown as Record<string, unknown>, CONTEXT_FIELDS, writeValue);
  // Only a frozen context can be remembered by identity: nobody can change it under the text.
  if (Object.isFrozen(context)) {
    lastContext = context;
    lastContextJson = json;
  }
  return json;
}

/**
 * The JSON of a validated item without its id, `{"subjects":[…],"sources":[…]}`: what automatic batching uses as a
 * check's identity within a request, and (behind an id) the item itself.
 * @internal
 */
export function checkItemText(subjects: readonly Subject[], sources: readonly string[] | undefined): string {
  return writeItem('{', subjects, sources);
}

/** `open` (`{` and any fields before them), then the subjects and the sources of an item, and the closing brace. */
function writeItem(open: string, subjects: readonly Subject[], sources: readonly string[] | undefined): string {
  if (sources !== undefined) {
    const sourcesText = sourcesJson(sources);
    const plain = plainDocumentItem(open, subjects, sourcesText);
    if (plain !== undefined) return plain;
  }
  let out = `${open}"subjects":[`;
  for (let i = 0; i < subjects.length; i++) out += (i === 0 ? '' : ',') + subjectJson(subjects[i]!);
  out += ']';
  if (sources !== undefined) out += `,"sources":${sourcesJson(sources)}`;
  return `${out}}`;
}

/** An item with its id in front, written in one pass (checkMany writes one per row, from the row's own parts). @internal */
export function checkItemJson(itemId: string, subjects: readonly Subject[], sources: readonly string[] | undefined): string {
  return writeItem(isPlainText(itemId) ? `{"itemId":"${itemId}",` : `{"itemId":${JSON.stringify(itemId)},`, subjects, sources);
}

function itemJson(item: CheckItemRequest): string {
  return checkItemJson(item.itemId, item.subjects, item.sources);
}

/** A row of checkMany as its request writes it: its item id, and its validated subjects and sources. @internal */
export interface ItemRow {
  readonly itemId: string;
  readonly prepared?: { readonly subjects: readonly Subject[]; readonly sources: readonly string[] } | undefined;
}

/**
 * The text of `POST /v1/checks` for rows already validated, written from each row's own parts (no item object made for
 * each): the same as checkRequestText over the items `{ itemId, subjects, sources }` of the rows.
 * @internal
 */
export function checkRowsText(context: QueryContext, rows: readonly ItemRow[]): string {
  let out = `{"context":${contextJson(context)},"items":[`;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    out += (i === 0 ? '' : ',') + checkItemJson(row.itemId, row.prepared!.subjects, row.prepared!.sources);
  }
  return `${out}]}`;
}

/**
 * The text of `POST /v1/checks` from a context and items already written (contextJson, checkItemText), the items
 * numbered `1` to `n` in their order: the same as checkRequestText over the parts. A single check writes its parts once
 * and sends them either alone or, with automatic batching, as one item among others; this writes a batch's request in
 * one pass, each id in front of its item's text (the ids are our own numbers: nothing to escape).
 * @internal
 */
export function numberedCheckRequest(contextText: string, items: readonly { readonly text: string }[]): string {
  let out = `{"context":${contextText},"items":[`;
  for (let i = 0; i < items.length; i++) out += `${i === 0 ? '' : ','}{"itemId":"${i + 1}",${items[i]!.text.slice(1)}`;
  return `${out}]}`;
}

/**
 * The text of `POST /v1/checks` for validated parts: the same as `JSON.stringify({ context, items })`.
 * @internal
 */
export function checkRequestText(context: QueryContext, items: readonly CheckItemRequest[]): string {
  let out = `{"context":${contextJson(context)},"items":[`;
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + itemJson(items[i]!);
  return `${out}]}`;
}

/**
 * A request of one item, numbered `1`, from its parts: the same text as checkRequestText(context, [{ itemId: '1',
 * subjects, sources }]).
 * @internal
 */
export function singleCheckText(contextText: string, itemText: string): string {
  return `{"context":${contextText},"items":[{"itemId":"1",${itemText.slice(1)}]}`;
}
