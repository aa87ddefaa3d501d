// Keeps docs/openapi.yaml and docs/protocol.md equal to the code: paths, enums, object shapes, patterns, examples and
// the error classification table, and how the client reads an answer: it accepts what the document allows (open
// enums included) and enforces exactly the properties marked x-strict. Every expectation is derived from the code, so
// a change on either side fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROTOCOL_ERROR_CODES, errorFromResponse } from '../../src/protocol/errors';
import {
  CONTEXT_HEADERS,
  HEADERS,
  MAX_ITEMS_PER_REQUEST,
  PATHS,
  PROTOCOL_VERSION,
  checkItemResponseSchema,
  checkResponseSchema,
  errorBodySchema,
  reportResponseSchema,
  withdrawalResponseSchema,
  confirmationCreatedSchema,
  confirmationStatusSchema,
  documentHistoryEntrySchema,
} from '../../src/protocol/wire';
import { confirmationRequestSchema } from '../../src/reports/confirmation';
import { buildCheckResult, readCheckAnswer } from '../../src/protocol/check-answer';
import { KNOWN_VALUES, WIRE_OUTCOME_STATUSES } from '../../src/protocol/wire';
import { ProtocolError, type Transport } from 'borderlink';
import {
  SNAPSHOT_CURSOR_EXPIRED,
  SNAPSHOT_CURSOR_EXPIRED_STATUS,
  SNAPSHOT_LINE_SCHEMAS,
  fetchSnapshot,
  offlineRecordSchema,
  readSnapshot,
  snapshotLineSchema,
} from '../../src/protocol/snapshot';
import { createHash } from 'node:crypto';
import { computeVerdict, outcomesFor } from '../../src/queries/results';
import { PURPOSES, SOURCES, type Source } from 'borderlink';
import {
  CONFIRMATION_PRIORITIES,
  CONFIRMATION_REQUEST_STATES,
  CONFIRMATION_STATES,
  DOCUMENT_HISTORY_EVENTS,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  HIT_KINDS,
  MATCH_METHODS,
  NOTICE_TYPES,
  REPORTABLE_STATUSES,
  SEXES,
  WITHDRAWAL_REASONS,
} from '../../src/queries/values';
import {
  DEFAULT_SOURCES,
  contextSchema,
  sourcesSchema,
  stateCodeSchema,
  subjectSchema,
  subjectsSchema,
} from '../../src/queries/validate';
import { documentReportSchema, idempotencyKeySchema, withdrawalSchema } from '../../src/reports/index';

/* eslint-disable @typescript-eslint/no-explicit-any -- walking a parsed YAML document and zod internals */
type Json = any;

const doc: Json = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'));
const markdown = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

const schemas: Record<string, Json> = doc.components.schemas;

const snapshotPath = PATHS.snapshot('SOURCE_PLACEHOLDER' as Source).replace('SOURCE_PLACEHOLDER', '{source}');
const recordPath = PATHS.record('SOURCE_PLACEHOLDER' as Source, 'RECORD_ID_PLACEHOLDER').replace('SOURCE_PLACEHOLDER', '{source}').replace('RECORD_ID_PLACEHOLDER', '{recordId}');
const confirmationRequestsPath = PATHS.confirmationRequests('HIT_ID_PLACEHOLDER').replace('HIT_ID_PLACEHOLDER', '{hitId}');
const confirmationPath = PATHS.confirmationRequest('CONFIRMATION_ID_PLACEHOLDER').replace('CONFIRMATION_ID_PLACEHOLDER', '{confirmationId}');
/** The paths read with a GET: they have no body, their context is in the headers. */
const GET_PATHS: readonly string[] = [snapshotPath, recordPath, confirmationPath];
/** The one method of each path: a GET for those above, a POST for every other. */
const methodOf = (path: string): 'get' | 'post' => (GET_PATHS.includes(path) ? 'get' : 'post');
/** The operation of a path. */
const operationOf = (path: string): Json => doc.paths[path][methodOf(path)];

function deref(node: Json): Json {
  let n = node;
  while (n && typeof n === 'object' && typeof n.$ref === 'string') {
    const parts = (n.$ref as string).replace(/^#\//, '').split('/');
    n = parts.reduce((o: Json, k) => o?.[k], doc);
    if (n === undefined) throw new Error(`unresolved $ref ${node.$ref}`);
  }
  return n;
}

/** An object schema with allOf merged: its property names and required names. */
function flatten(node: Json): { properties: Record<string, Json>; required: string[] } {
  const s = deref(node);
  const properties: Record<string, Json> = { ...(s.properties ?? {}) };
  const required = new Set<string>(s.required ?? []);
  for (const part of s.allOf ?? []) {
    const f = flatten(part);
    Object.assign(properties, f.properties);
    for (const r of f.required) required.add(r);
  }
  return { properties, required: [...required].sort() };
}

/** zod: strips optional/default/pipe wrappers. `pipe` gives the output side, where regexes and enums live. */
function unwrap(s: Json): Json {
  let z = s;
  for (;;) {
    const t = z?.def?.type;
    if (t === 'optional' || t === 'default' || t === 'nullable') z = z.def.innerType;
    else if (t === 'pipe') z = z.def.out;
    else return z;
  }
}

function zodEnum(s: Json): string[] {
  const z = unwrap(s);
  expect(z.def.type, 'expected a zod enum').toBe('enum');
  return [...z.options];
}

/** A zod object's keys, and the ones always present on the wire (not optional; a default is always filled in). */
function zodKeys(s: Json): { properties: string[]; required: string[] } {
  const shape = unwrap(s).shape as Record<string, Json>;
  const properties = Object.keys(shape).sort();
  const required = properties.filter((k) => shape[k].def.type !== 'optional').sort();
  return { properties, required };
}

function shapeOf(s: Json, key: string): Json {
  return unwrap(s).shape[key];
}

const itemShape = (checkItemResponseSchema as Json).shape;
const hitOptions: Json[] = itemShape.hits.element.options;
const hitOfKind = (kind: string): Json => {
  const found = hitOptions.find((o) => o.shape.kind.value === kind);
  if (!found) throw new Error(`no hit of kind ${kind} in wire.ts`);
  return found;
};
const outcomeSchema = itemShape.outcomes.element;
const subjectOf = (kind: string): Json => (subjectSchema as Json).options.find((o: Json) => o.shape.kind.value === kind);

/** Every error code errorFromResponse gives for a gateway's status, except the catch-all for unexpected statuses. */
function errorCodesFromCode(): string[] {
  const codes = new Set<string>();
  for (let status = 400; status <= 599; status++) {
    for (const body of ['', ...['NOT_ISSUER', 'PURPOSE_NOT_ALLOWED'].map((code) => JSON.stringify({ error: { code, message: 'x' } }))]) {
      codes.add(errorFromResponse({ status, headers: {}, body }, true).code);
    }
  }
  codes.delete('GATEWAY_ERROR');
  return [...codes].sort();
}

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1 for protocol v1', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.version).toBe(PROTOCOL_VERSION);
  });

  it('has exactly the paths of PATHS, each with its one method (GET for a snapshot, a record, a confirmation, else POST)', () => {
    const placeholder = 'RECORD_ID_PLACEHOLDER';
    const fromCode = [
      PATHS.checks,
      PATHS.documentReports,
      PATHS.withdrawal(placeholder).replace(placeholder, '{recordId}'),
      snapshotPath,
      recordPath,
      confirmationRequestsPath,
      confirmationPath,
    ].sort();
    expect(Object.keys(PATHS).sort()).toEqual(['checks', 'confirmationRequest', 'confirmationRequests', 'documentReports', 'record', 'snapshot', 'withdrawal']);
    expect(Object.keys(doc.paths).sort()).toEqual(fromCode);
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      expect(Object.keys(item), path).toEqual([methodOf(path)]);
      expect(path.startsWith(`/${PROTOCOL_VERSION}/`)).toBe(true);
    }
  });

  it('resolves every $ref', () => {
    const walk = (n: Json): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        if (typeof n.$ref === 'string') expect(() => deref(n), n.$ref).not.toThrow();
        Object.values(n).forEach(walk);
      }
    };
    walk(doc);
  });

  it('declares enums and open enums (x-known-values) only as named components, so each is checked below', () => {
    const inline: string[] = [];
    const walk = (n: Json, at: string[]): void => {
      if (Array.isArray(n)) n.forEach((v, i) => walk(v, [...at, String(i)]));
      else if (n && typeof n === 'object') {
        const named = at.length === 3 && at[0] === 'components' && at[1] === 'schemas';
        if (('enum' in n || 'x-known-values' in n) && !named) inline.push(at.join('.'));
        for (const [k, v] of Object.entries(n)) walk(v, [...at, k]);
      }
    };
    walk(doc, []);
    expect(inline).toEqual([]);
    const named = Object.keys(schemas).filter((k) => 'enum' in schemas[k]).sort();
    expect(named).toEqual(Object.keys(enumsFromCode()).sort());
    const open = Object.keys(schemas).filter((k) => 'x-known-values' in schemas[k]).sort();
    expect(open).toEqual(Object.keys(knownValuesFromCode()).sort());
    for (const name of open) expect(schemas[name], name).not.toHaveProperty('enum');
  });

  /** The closed enums: what the client sends, and the response fields the verdict depends on. */
  function enumsFromCode(): Record<string, string[][]> {
    return {
      Source: [[...SOURCES], zodEnum(outcomeSchema.shape.source), zodEnum(unwrap(sourcesSchema).def.element), zodEnum(hitOptions[0].shape.source)],
      OutcomeStatus: [zodEnum(outcomeSchema.shape.status), [...WIRE_OUTCOME_STATUSES]],
      Purpose: [[...PURPOSES], zodEnum(contextSchema.shape.purpose)],
      DocumentType: [[...DOCUMENT_TYPES], zodEnum(subjectOf('document').shape.documentType), zodEnum(documentReportSchema.shape.documentType)],
      ReportStatus: [[...REPORTABLE_STATUSES], zodEnum(documentReportSchema.shape.status)],
      MatchMethod: [[...MATCH_METHODS], zodEnum(shapeOf(hitOptions[0].shape.match, 'method'))],
      HitKind: [[...HIT_KINDS], hitOptions.map((o) => o.shape.kind.value as string)],
      Sex: [[...SEXES], zodEnum(subjectOf('person').shape.sex)],
      WithdrawalReason: [[...WITHDRAWAL_REASONS], zodEnum(withdrawalSchema.shape.reason)],
      ConfirmationPriority: [[...CONFIRMATION_PRIORITIES], zodEnum(confirmationRequestSchema.shape.priority), zodEnum(confirmationStatusSchema.shape.priority)],
      ConfirmationRequestState: [[...CONFIRMATION_REQUEST_STATES], zodEnum(confirmationStatusSchema.shape.state), zodEnum(confirmationCreatedSchema.shape.state)],
      // The codes of the errors the client raises, and the one it reads as an answer (a delta's 410).
      ErrorCode: [[...errorCodesFromCode(), SNAPSHOT_CURSOR_EXPIRED].sort(), [...PROTOCOL_ERROR_CODES].sort()],
    };
  }

  /** The open enums of an answer: the values the strict schema lists, which the lenient reader extends. */
  function knownValuesFromCode(): Record<string, string[][]> {
    const documentRecord = shapeOf(hitOfKind('document'), 'document');
    return {
      RecordDocumentType: [[...DOCUMENT_TYPES], zodEnum(shapeOf(documentRecord, 'documentType')), [...KNOWN_VALUES.documentType]],
      DocumentStatus: [[...DOCUMENT_STATUSES], zodEnum(shapeOf(documentRecord, 'status')), [...KNOWN_VALUES.documentStatus]],
      NoticeType: [
        zodEnum(shapeOf(shapeOf(hitOfKind('person'), 'notice'), 'type')),
        zodEnum(shapeOf(shapeOf(hitOfKind('linked-document'), 'notice'), 'type')),
        [...KNOWN_VALUES.noticeType],
        [...NOTICE_TYPES],
      ],
      ConfirmationState: [[...CONFIRMATION_STATES], zodEnum(shapeOf(hitOptions[0].shape.confirmation, 'state')), [...KNOWN_VALUES.confirmationState]],
      DocumentHistoryEvent: [[...DOCUMENT_HISTORY_EVENTS], zodEnum(documentHistoryEntrySchema.shape.event), [...KNOWN_VALUES.documentHistoryEvent]],
    };
  }

  it('never lets a gateway send NOT_ASKED, the client’s own status', () => {
    expect(schemas.OutcomeStatus.enum).not.toContain('NOT_ASKED');
  });

  describe('open enums list the values of the code', () => {
    for (const [name, lists] of Object.entries(knownValuesFromCode())) {
      it(name, () => {
        for (const list of lists) expect(schemas[name]['x-known-values']).toEqual(list);
      });
    }
  });

  describe('enums equal the code', () => {
    for (const [name, lists] of Object.entries(enumsFromCode())) {
      it(name, () => {
        const documented: string[] = schemas[name]?.enum;
        expect(documented, `components.schemas.${name}.enum`).toBeDefined();
        for (const list of lists) {
          if (name === 'ErrorCode') expect([...documented].sort()).toEqual(list);
          else expect(documented).toEqual(list);
        }
      });
    }
  });

  describe('response objects have the fields of the wire.ts schemas', () => {
    const hitCases = hitOptions.map((o) => [o.shape.kind.value as string, o] as const);
    const componentOfKind: Record<string, string> = {
      document: 'DocumentHit',
      'linked-document': 'LinkedDocumentHit',
      person: 'PersonHit',
      vehicle: 'VehicleHit',
    };
    it('Hit maps every kind and only those', () => {
      expect(Object.keys(schemas.Hit.discriminator.mapping).sort()).toEqual(hitCases.map(([k]) => k).sort());
      expect(schemas.Hit.oneOf.length).toBe(hitCases.length);
    });
    for (const [kind, zod] of hitCases) {
      it(`hit of kind ${kind}`, () => {
        const name = componentOfKind[kind]!;
        expect(deref({ $ref: schemas.Hit.discriminator.mapping[kind] })).toBe(schemas[name]);
        const f = flatten(schemas[name]);
        expect({ properties: Object.keys(f.properties).sort(), required: f.required }).toEqual(zodKeys(zod));
        expect(f.properties.kind.const).toBe(kind);
        for (const nested of ['document', 'person', 'vehicle', 'notice']) {
          if (!(nested in zod.shape)) continue;
          const g = flatten(f.properties[nested]);
          expect({ properties: Object.keys(g.properties).sort(), required: g.required }, `${kind}.${nested}`).toEqual(zodKeys(zod.shape[nested]));
        }
      });
    }
    const cases: [string, Json][] = [
      ['CheckResponse', checkResponseSchema],
      ['CheckItemResponse', checkItemResponseSchema],
      ['SourceOutcome', outcomeSchema],
      ['Match', hitOptions[0].shape.match],
      ['ReportResponse', reportResponseSchema],
      ['WithdrawalResponse', withdrawalResponseSchema],
      ['ErrorBody', errorBodySchema],
      ['ErrorDetail', unwrap(errorBodySchema.shape.error.shape.details).def.element],
    ];
    for (const [name, zod] of cases) {
      it(name, () => {
        const f = flatten(schemas[name]);
        expect({ properties: Object.keys(f.properties).sort(), required: f.required }).toEqual(zodKeys(zod));
      });
    }
    it('ErrorBody.error', () => {
      const f = flatten(flatten(schemas.ErrorBody).properties.error);
      expect({ properties: Object.keys(f.properties).sort(), required: f.required }).toEqual(zodKeys(errorBodySchema.shape.error));
    });
  });

  describe('request objects have the fields the client sends', () => {
    const cases: [string, Json][] = [
      ['QueryContext', contextSchema],
      ['DocumentSubject', subjectOf('document')],
      ['PersonSubject', subjectOf('person')],
      ['VehicleSubject', subjectOf('vehicle')],
      ['PersonQuery', subjectOf('document').shape.holder],
      ['DocumentReport', documentReportSchema],
    ];
    for (const [name, zod] of cases) {
      it(name, () => {
        const f = flatten(schemas[name]);
        expect({ properties: Object.keys(f.properties).sort(), required: f.required }).toEqual(zodKeys(zod));
      });
    }
    it('WithdrawalRequest carries the reason (the recordId is in the path)', () => {
      const f = flatten(schemas.WithdrawalRequest);
      const keys = zodKeys(withdrawalSchema);
      expect(Object.keys(f.properties).sort()).toEqual(['context', ...keys.properties.filter((k) => k !== 'recordId')].sort());
    });
    it('limits items to MAX_ITEMS_PER_REQUEST and subjects to what validate.ts allows', () => {
      expect(schemas.CheckRequest.properties.items.maxItems).toBe(MAX_ITEMS_PER_REQUEST);
      const max = schemas.CheckItemRequest.properties.subjects.maxItems as number;
      const subject = { kind: 'person', surname: 'ERIKSSON' };
      expect(subjectsSchema.safeParse(Array(max).fill(subject)).success).toBe(true);
      expect(subjectsSchema.safeParse(Array(max + 1).fill(subject)).success).toBe(false);
      expect(subjectsSchema.safeParse([]).success).toBe(schemas.CheckItemRequest.properties.subjects.minItems === 0);
    });
    it('documents the default sources of validate.ts', () => {
      const text = schemas.CheckItemRequest.properties.sources.description.replace(/\s+/g, ' ');
      for (const [kind, sources] of Object.entries(DEFAULT_SOURCES)) {
        const line = `${kind} → ${sources.join(', ')}`;
        expect(text).toContain(line);
        expect(markdown).toContain(`${kind} → ${sources.map((s) => `\`${s}\``).join(', ')}`);
      }
    });
  });

  describe('patterns accept what the client accepts', () => {
    const re = (pattern: string) => new RegExp(pattern, 'u');
    const cases: [string, string, Json, string[]][] = [
      ['StateCode', schemas.StateCode.pattern, stateCodeSchema, ['D', 'UTO', 'ABCD', '', 'U1', 'U O']],
      ['DocumentNumber', schemas.DocumentNumber.pattern, documentReportSchema.shape.documentNumber, ['L898902C3', 'A'.repeat(20), 'A'.repeat(21), 'L898902C3<', 'AB-12', '']],
      ['vin', schemas.VehicleSubject.properties.vin.pattern, subjectOf('vehicle').shape.vin, ['WVWZZZ1JZXW000001', 'WVWZZZ1JZXW00000I', 'WVWZZZ1JZXW00000O', 'WVWZZZ1JZXW00000Q', 'WVWZZZ1JZXW00000', 'WVWZZZ1JZXW0000011']],
      ['plate', schemas.VehicleSubject.properties.plate.pattern, subjectOf('vehicle').shape.plate, ['AB-123 CD', 'B-AB 123', '-AB', 'A'.repeat(15), 'A'.repeat(16), 'AB_1']],
      ['Identifier', `^[\\x21-\\x7e]{${schemas.Identifier.minLength},${schemas.Identifier.maxLength}}$`, contextSchema.shape.authorityId, ['MDA-BPOL', 'a b', 'x'.repeat(128), 'x'.repeat(129), 'é', '']],
      ['idempotency-key', doc.components.parameters.IdempotencyKey.schema.pattern, idempotencyKeySchema, ['abcdefgh', 'abcdefg', 'x'.repeat(128), 'x'.repeat(129), 'abc defgh']],
      ['Name', `^(?=.{${schemas.Name.minLength},${schemas.Name.maxLength}}$)${schemas.Name.pattern.slice(1)}`, subjectOf('person').shape.surname, ["O'BRIEN", 'ÉLODIE', 'ANNA-MARIA', 'ST. JOHN', 'A1', 'x'.repeat(100), 'x'.repeat(101), 'A_B']],
      ['PartialDate', schemas.PartialDate.pattern, subjectOf('person').shape.dateOfBirth, ['1974-08-12', '1974-08', '1974', '74-08-12', '1974-8-12', '1974/08/12']],
      ['nationalReference', `^.{${schemas.DocumentReport.properties.nationalReference.minLength},${schemas.DocumentReport.properties.nationalReference.maxLength}}$`, documentReportSchema.shape.nationalReference, ['MDA-2026-004711', 'x'.repeat(64), 'x'.repeat(65)]],
    ];
    for (const [name, pattern, zod, samples] of cases) {
      it(name, () => {
        expect(pattern, name).toBeTypeOf('string');
        for (const sample of samples) {
          expect(re(pattern).test(sample), `${name} ${JSON.stringify(sample)}`).toBe(unwrapOptional(zod).safeParse(sample).success);
        }
      });
    }
  });

  describe('examples are what the code sends and accepts', () => {
    const op = operationOf;
    const requestExamples = (path: string) => Object.entries<Json>(op(path).requestBody.content['application/json'].examples);
    const responseExamples = (path: string, status: string) => {
      const content = deref(op(path).responses[status]).content['application/json'];
      return content.examples ? Object.values<Json>(content.examples).map((e) => e.value) : [content.example];
    };

    it('checks: requests are valid and already normalised', () => {
      for (const [name, { value }] of requestExamples(PATHS.checks)) {
        expect(contextSchema.parse(value.context), name).toEqual(value.context);
        for (const item of value.items) {
          expect(subjectsSchema.parse(item.subjects), name).toEqual(item.subjects);
          if (item.sources) expect(sourcesSchema.parse(item.sources), name).toEqual(item.sources);
        }
      }
    });

    it('checks: responses parse and give the verdict their name says, with no warning', () => {
      const request = requestExamples(PATHS.checks).find(([n]) => n === 'document')![1].value;
      const requested = request.items[0].sources as Source[];
      const expected: Record<string, string> = { hit: 'HIT', incomplete: 'INCOMPLETE' };
      const examples = op(PATHS.checks).responses['200'].content['application/json'].examples;
      expect(Object.keys(examples).sort()).toEqual(Object.keys(expected).sort());
      for (const [name, { value }] of Object.entries<Json>(examples)) {
        const parsed = checkResponseSchema.parse(value);
        const item = parsed.items[0]!;
        expect(computeVerdict(outcomesFor(requested, item.outcomes), item.hits), name).toBe(expected[name]);
        const result = readResult(value, requested);
        expect(result.verdict, name).toBe(expected[name]);
        expect(result.warnings, name).toEqual([]);
      }
    });

    it('reports and withdrawals: requests are valid and already normalised, responses parse', () => {
      for (const [name, { value }] of requestExamples(PATHS.documentReports)) {
        expect(contextSchema.parse(value.context), name).toEqual(value.context);
        expect(documentReportSchema.parse(value.report), name).toEqual(value.report);
      }
      for (const status of ['200', '201']) {
        for (const value of responseExamples(PATHS.documentReports, status)) reportResponseSchema.parse(value);
      }
      const withdrawalPath = PATHS.withdrawal('{recordId}').replace(encodeURIComponent('{recordId}'), '{recordId}');
      const recordId = op(withdrawalPath).parameters.find((p: Json) => p.name === 'recordId').example;
      for (const [name, { value }] of requestExamples(withdrawalPath)) {
        expect(contextSchema.parse(value.context), name).toEqual(value.context);
        expect(withdrawalSchema.parse({ recordId, reason: value.reason }), name).toEqual({ recordId, reason: value.reason });
      }
      for (const value of responseExamples(withdrawalPath, '200')) withdrawalResponseSchema.parse(value);
    });

    it('error responses: every example has the code the client derives from its status', () => {
      for (const path of Object.keys(doc.paths)) {
        for (const [status, response] of Object.entries<Json>(operationOf(path).responses)) {
          if (Number(status) < 400) continue;
          const bodies = responseExamples(path, status);
          expect(bodies.length, `${path} ${status}`).toBeGreaterThan(0);
          for (const body of bodies) {
            errorBodySchema.parse(body);
            expect(schemas.ErrorCode.enum).toContain(body.error.code);
            // A delta's 410 is read as an answer (take a full snapshot), checked below.
            if (path === snapshotPath && Number(status) === SNAPSHOT_CURSOR_EXPIRED_STATUS) continue;
            const err = errorFromResponse({ status: Number(status), headers: {}, body: JSON.stringify(body) }, true);
            expect(err.code, `${path} ${status} ${deref(response).description}`).toBe(body.error.code);
          }
        }
      }
    });

    it('snapshots: the 410 example to a delta is read as cursor-expired, and to a full request as an error', async () => {
      const [body] = responseExamples(snapshotPath, String(SNAPSHOT_CURSOR_EXPIRED_STATUS));
      expect(body.error.code).toBe(SNAPSHOT_CURSOR_EXPIRED);
      const transport: Transport = {
        endpoint: 'test://',
        send: async () => ({ status: SNAPSHOT_CURSOR_EXPIRED_STATUS, headers: {}, body: JSON.stringify(body) }),
        close: async () => {},
      };
      const context = { authorityId: 'MDA-BPOL', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' } as const;
      const since = op(snapshotPath).parameters.find((p: Json) => p.name === 'since').example;
      expect(await fetchSnapshot(transport, { source: 'SLTD', since, context, timeoutMs: 1000 })).toMatchObject({ kind: 'cursor-expired' });
      await expect(fetchSnapshot(transport, { source: 'SLTD', context, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'GATEWAY_ERROR', status: 410 });
    });
  });

  describe('the client reads what the document allows, and enforces exactly what it marks x-strict', () => {
    const kinds = Object.entries<string>(schemas.Hit.discriminator.mapping);
    const UNLISTED = 'A_VALUE_NOT_LISTED';

    /** A value the schema allows: every property (`all`) or the required ones; open enums get a value they do not list. */
    function instance(node: Json, all: boolean): Json {
      const s = deref(node);
      if (s.allOf) return Object.assign({}, ...s.allOf.map((part: Json) => instance(part, all)));
      if ('const' in s) return s.const;
      if (s.enum) return s.enum[0];
      if (s['x-known-values']) return all ? UNLISTED : s['x-known-values'][0];
      if (s.type === 'object') {
        const out: Json = {};
        for (const [k, v] of Object.entries<Json>(s.properties ?? {})) if (all || (s.required ?? []).includes(k)) out[k] = instance(v, all);
        return out;
      }
      if (s.type === 'array') return [instance(s.items, all)];
      if (s.type === 'number') return s.maximum ?? 1;
      if (s.type === 'string') return 'x';
      throw new Error(`no instance for ${JSON.stringify(s).slice(0, 80)}`);
    }

    /** Every property under a schema, with its path in the instance and whether it is marked strict. */
    function properties(node: Json, at: string[] = []): { path: string[]; schema: Json; strict: boolean; required: boolean }[] {
      const s = deref(node);
      const f = s.allOf || s.properties ? flatten(s) : undefined;
      if (f === undefined) return [];
      const out: { path: string[]; schema: Json; strict: boolean; required: boolean }[] = [];
      for (const [k, v] of Object.entries<Json>(f.properties)) {
        const path = [...at, k];
        out.push({ path, schema: v, strict: v['x-strict'] === true, required: f.required.includes(k) });
        const inner = deref(v);
        if (inner.type === 'object' || inner.allOf) out.push(...properties(inner, path));
        else if (inner.type === 'array' && (deref(inner.items).type === 'object' || deref(inner.items).allOf)) out.push(...properties(inner.items, [...path, '0']));
      }
      return out;
    }

    /** A value the schema refuses, of another type or out of its range. */
    function invalid(node: Json): unknown {
      const s = deref(node);
      if (s.enum || 'const' in s) return 'NOT_IN_PROTOCOL_V1';
      if (s.type === 'number') return s.maximum + 1;
      if (s.type === 'string') return s.minLength ? '' : 12345;
      if (s.type === 'array') return 'not a list';
      return 'not an object';
    }

    const set = (target: Json, path: string[], value: unknown) => {
      const last = path[path.length - 1]!;
      const parent = path.slice(0, -1).reduce((o, k) => o[k], target);
      if (value === undefined) delete parent[last];
      else parent[last] = value;
    };
    const answerWith = (hit: Json, status: string, source: string = hit.source) => ({
      requestId: 'gw-1',
      items: [{ itemId: '1', outcomes: [{ source, status }], hits: [hit] }],
    });

    for (const [kind, ref] of kinds) {
      for (const all of [false, true]) {
        it(`keeps a ${kind} hit with ${all ? 'every property, open enums holding values they do not list' : 'only the required properties'}`, () => {
          const hit = instance({ $ref: ref }, all);
          const result = readResult(answerWith(hit, 'HIT'), [hit.source]);
          expect(result.verdict).toBe('HIT');
          expect(result.hits).toEqual([hit]);
          const open = properties({ $ref: ref }).filter((p) => deref(p.schema)['x-known-values']);
          expect(result.warnings.map((w) => w.path).sort()).toEqual(all ? open.map((p) => ['hits', '0', ...p.path].join('.')).sort() : []);
        });
      }

      for (const property of properties({ $ref: ref })) {
        const path = ['hits', '0', ...property.path].join('.');
        if (property.strict) {
          for (const [how, value] of [['invalid', invalid(property.schema)], ['missing', undefined]] as const) {
            it(`leaves out a ${kind} hit whose ${property.path.join('.')} is ${how}, and never reads it clear`, () => {
              const hit = instance({ $ref: ref }, true);
              const { source } = hit;
              set(hit, property.path, value);
              const result = readResult(answerWith(hit, 'NO_HIT', source), [source]);
              expect(result.hits).toEqual([]);
              expect(result.verdict).toBe('INCOMPLETE');
              expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path }]);
            });
          }
        } else {
          it(`keeps a ${kind} hit whose ${property.path.join('.')} is of the wrong type, with a warning there`, () => {
            const hit = instance({ $ref: ref }, true);
            set(hit, property.path, deref(property.schema).type === 'array' ? 'not a list' : deref(property.schema).type === 'object' ? 'not an object' : 12345);
            const result = readResult(answerWith(hit, 'HIT'), [hit.source]);
            expect(result.verdict).toBe('HIT');
            expect(result.hits).toHaveLength(1);
            expect(result.warnings.map((w) => w.path)).toContain(path);
          });
        }
      }
    }

    const clean = () => ({ requestId: 'gw-1', items: [{ itemId: '1', outcomes: [{ source: 'SLTD', status: 'NO_HIT', dataAsOf: '2026-12-01' }], hits: [] }] });
    for (const [schema, at] of [
      ['CheckResponse', []],
      ['CheckItemResponse', ['items', '0']],
      ['SourceOutcome', ['items', '0', 'outcomes', '0']],
    ] as const) {
      for (const property of properties(schemas[schema]).filter((p) => p.path.length === 1)) {
        const name = property.path[0]!;
        const itemPath = [...at, name].slice(2).join('.');
        it(`${schema}.${name} is ${property.strict ? 'strict' : 'lenient'}`, () => {
          const body: Json = clean();
          set(body, [...at, name], invalid(property.schema));
          if (property.strict && at.length < 4) {
            if (schema === 'CheckItemResponse' && name !== 'itemId') {
              const result = readResult(body, ['SLTD']);
              expect(result.verdict).toBe('INCOMPLETE');
              expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: itemPath }]);
            } else expect(() => readResult(body, ['SLTD'])).toThrow(ProtocolError);
          } else if (property.strict) {
            const result = readResult(body, ['SLTD']);
            expect(result.verdict).toBe('INCOMPLETE');
            expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: itemPath }]);
          } else {
            const result = readResult(body, ['SLTD']);
            expect(result.verdict).toBe('NO_HIT');
            expect(result.warnings).toEqual([{ code: 'GATEWAY_DEVIATION', path: schema === 'CheckResponse' ? name : itemPath }]);
          }
        });
      }
    }
  });

  it('carries the headers of HEADERS', () => {
    const headerParams = Object.values<Json>(doc.components.parameters).filter((p) => p.in === 'header').map((p) => p.name);
    const responseHeaders = new Set<string>();
    for (const path of Object.keys(doc.paths)) {
      for (const response of Object.values<Json>(operationOf(path).responses)) {
        for (const name of Object.keys(deref(response).headers ?? {})) responseHeaders.add(name);
      }
    }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    // authorization is the bearer scheme; content-type is the request body's media type.
    const documented = [...headerParams, ...responseHeaders, HEADERS.authorization, HEADERS.contentType].sort();
    expect(documented).toEqual([...Object.values(HEADERS)].sort());
    for (const path of Object.keys(doc.paths)) {
      const names = operationOf(path).parameters.map((p: Json) => deref(p).name);
      expect(names, path).toContain(HEADERS.requestId);
      expect(names.includes(HEADERS.idempotencyKey), path).toBe(methodOf(path) === 'post' && path !== PATHS.checks);
      // A GET has no body: its context is in its headers, one per field of the context, required as the field is.
      for (const [field, header] of Object.entries(CONTEXT_HEADERS)) {
        const param = operationOf(path).parameters.map(deref).find((p: Json) => p.name === header);
        if (methodOf(path) === 'post') expect(param, `${path} ${header}`).toBeUndefined();
        else expect(param?.required, `${path} ${header}`).toBe(zodKeys(contextSchema).required.includes(field));
      }
    }
  });
});

describe('snapshot lines: docs/openapi.yaml and the reader of the code', () => {
  const lineKinds = Object.entries<string>(schemas.SnapshotLine.discriminator.mapping);
  const recordKinds = Object.entries<string>(schemas.OfflineRecord.discriminator.mapping);
  const recordOptions: Json[] = (offlineRecordSchema as Json).options;
  const recordOf = (source: string): Json => recordOptions.find((o) => o.shape.source.value === source);
  const shape = (f: { properties: Record<string, Json>; required: string[] }) => ({ properties: Object.keys(f.properties).sort(), required: f.required });

  it('maps every op of the code and every source, and only those', () => {
    expect(lineKinds.map(([op]) => op).sort()).toEqual(Object.keys(SNAPSHOT_LINE_SCHEMAS).sort());
    expect(schemas.SnapshotLine.oneOf.length).toBe(lineKinds.length);
    expect(recordKinds.map(([source]) => source).sort()).toEqual([...SOURCES].sort());
    expect(schemas.OfflineRecord.oneOf.length).toBe(recordKinds.length);
  });

  for (const [op, ref] of lineKinds) {
    it(`the ${op} line has the fields of SNAPSHOT_LINE_SCHEMAS`, () => {
      const f = flatten({ $ref: ref });
      expect(shape(f)).toEqual(zodKeys(SNAPSHOT_LINE_SCHEMAS[op as keyof typeof SNAPSHOT_LINE_SCHEMAS]));
      expect(f.properties.op.const).toBe(op);
    });
  }
  for (const [source, ref] of recordKinds) {
    it(`a record of ${source} has the fields of offlineRecordSchema, its parts too`, () => {
      const zod = recordOf(source);
      const f = flatten({ $ref: ref });
      expect(shape(f)).toEqual(zodKeys(zod));
      expect(f.properties.source.const).toBe(source);
      for (const part of ['document', 'person', 'vehicle', 'notice']) {
        if (!(part in zod.shape)) continue;
        expect(shape(flatten(f.properties[part])), `${source}.${part}`).toEqual(zodKeys(zod.shape[part]));
      }
    });
  }

  /** The lines as one NDJSON text. */
  const ndjson = (lines: Json[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  /** A full snapshot's answer of `changes`: the lines, then a valid end line. */
  const fullAnswer = (source: string, changes: Json[], end: Json = {}) => {
    const text = ndjson(changes);
    const hash = `sha256:${createHash('sha256').update(text).digest('hex')}`;
    const last = { op: 'end', source, cursor: 'c-1', dataAsOf: '2026-12-01T06:00:00Z', full: true, changes: changes.length, recordCount: changes.length, contentHash: hash, ...end };
    for (const [k, v] of Object.entries(end)) if (v === undefined) delete (last as Json)[k];
    return text + `${JSON.stringify(last)}\n`;
  };
  const read = async (text: string, source: string, since?: string) => {
    const out: Json[] = [];
    for await (const line of readSnapshot([text].values() as unknown as AsyncIterable<string>, { source: source as Source, since })) out.push(line);
    return out;
  };
  const readFails = async (text: string, source: string, since?: string): Promise<ProtocolError> => {
    try {
      await read(text, source, since);
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
      return err as ProtocolError;
    }
    throw new Error('expected the answer to be refused');
  };

  it('examples parse with the strict schemas, and the reader gives each line as it is', async () => {
    const examples = operationOf(snapshotPath).responses['200'].content['application/x-ndjson'].examples;
    expect(Object.keys(examples).sort()).toEqual(['delta', 'full']);
    const since = operationOf(snapshotPath).parameters.find((p: Json) => p.name === 'since').example;
    for (const [name, { value }] of Object.entries<Json>(examples)) {
      const lines = (value as string).split('\n').filter((l) => l !== '').map((l) => snapshotLineSchema.parse(JSON.parse(l)));
      expect(await read(value, 'SLTD', name === 'full' ? undefined : since), name).toEqual(lines);
    }
  });

  /** A value the schema allows (see instance above), with a date-time where the format asks for one. */
  function lineInstance(node: Json, all: boolean): Json {
    const s = deref(node);
    if (s.allOf) return Object.assign({}, ...s.allOf.map((part: Json) => lineInstance(part, all)));
    if ('const' in s) return s.const;
    if (s.enum) return s.enum[0];
    if (s['x-known-values']) return all ? 'A_VALUE_NOT_LISTED' : s['x-known-values'][0];
    if (s.type === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries<Json>(s.properties ?? {})) if (all || (s.required ?? []).includes(k)) out[k] = lineInstance(v, all);
      return out;
    }
    if (s.type === 'array') return [lineInstance(s.items, all)];
    if (s.type === 'string') return 'x';
    throw new Error(`no instance for ${JSON.stringify(s).slice(0, 80)}`);
  }
  /** Every property under a schema, with its path and whether it is strict. */
  function lineProperties(node: Json, at: string[] = []): { path: string[]; schema: Json; strict: boolean }[] {
    const s = deref(node);
    if (!(s.allOf || s.properties)) return [];
    const f = flatten(s);
    const out: { path: string[]; schema: Json; strict: boolean }[] = [];
    for (const [k, v] of Object.entries<Json>(f.properties)) {
      const path = [...at, k];
      out.push({ path, schema: v, strict: v['x-strict'] === true });
      const inner = deref(v);
      if (inner.type === 'object' || inner.allOf) out.push(...lineProperties(inner, path));
    }
    return out;
  }
  function invalidValue(node: Json): unknown {
    const s = deref(node);
    if (s.enum || 'const' in s) return 'NOT_IN_PROTOCOL_V1';
    if (s.type === 'string') return s.minLength ? '' : 12345;
    if (s.type === 'array') return 'not a list';
    return 'not an object';
  }
  const setAt = (target: Json, path: string[], value: unknown) => {
    const parent = path.slice(0, -1).reduce((o, k) => o[k], target);
    if (value === undefined) delete parent[path[path.length - 1]!];
    else parent[path[path.length - 1]!] = value;
  };

  describe('records: the reader enforces exactly what the document marks x-strict', () => {
    for (const [source, ref] of recordKinds) {
      for (const all of [false, true]) {
        it(`keeps a ${source} record with ${all ? 'every property, open enums holding values they do not list' : 'only the required properties'}`, async () => {
          const record = lineInstance({ $ref: ref }, all);
          expect(await read(fullAnswer(source, [{ op: 'upsert', record }]), source)).toEqual([
            { op: 'upsert', record },
            expect.objectContaining({ op: 'end', changes: 1 }),
          ]);
        });
      }
      for (const property of lineProperties({ $ref: ref })) {
        const path = `record.${property.path.join('.')}`;
        if (property.strict) {
          for (const [how, value] of [['invalid', invalidValue(property.schema)], ['missing', undefined]] as const) {
            it(`refuses the whole answer when a ${source} record's ${property.path.join('.')} is ${how}, naming line and field`, async () => {
              const record = lineInstance({ $ref: ref }, true);
              setAt(record, property.path, value);
              const err = await readFails(fullAnswer(source, [{ op: 'upsert', record: lineInstance({ $ref: ref }, true) }, { op: 'upsert', record }]), source);
              expect(err.issues).toEqual([{ path: `lines.2.${path}`, message: expect.any(String) }]);
              expect(err.message).toContain(`line 2, ${path}`);
              expect(err.retryable).toBe(false);
            });
          }
        } else {
          it(`keeps a ${source} record whose ${property.path.join('.')} is of the wrong type, leaving it out`, async () => {
            const record = lineInstance({ $ref: ref }, true);
            const type = deref(property.schema).type;
            setAt(record, property.path, type === 'array' ? 'not a list' : type === 'object' || deref(property.schema).allOf ? 'not an object' : 12345);
            const expected = lineInstance({ $ref: ref }, true);
            setAt(expected, property.path, type === 'object' ? {} : undefined);
            const [line] = await read(fullAnswer(source, [{ op: 'upsert', record }]), source);
            expect(line).toEqual({ op: 'upsert', record: expected });
          });
        }
      }
    }
  });

  describe('delete and end lines: every field is strict', () => {
    const record = lineInstance({ $ref: schemas.OfflineRecord.discriminator.mapping.SLTD }, true);
    for (const property of lineProperties(schemas.SnapshotDelete)) {
      for (const [how, value] of [['invalid', invalidValue(property.schema)], ['missing', undefined]] as const) {
        it(`refuses a delete line whose ${property.path.join('.')} is ${how}`, async () => {
          expect(property.strict).toBe(true);
          const line: Json = { op: 'delete', source: 'SLTD', recordId: 'SLTD-1' };
          setAt(line, property.path, value);
          const text = `${ndjson([line])}${JSON.stringify({ op: 'end', source: 'SLTD', cursor: 'c-2', dataAsOf: '2026-12-01T06:00:00Z', full: false, changes: 1, recordCount: 0 })}\n`;
          const err = await readFails(text, 'SLTD', 'c-1');
          expect(err.issues).toEqual([{ path: `lines.1.${property.path.join('.')}`, message: expect.any(String) }]);
        });
      }
    }
    for (const property of lineProperties(schemas.SnapshotEnd)) {
      for (const [how, value] of [['invalid', invalidValue(property.schema)], ['missing', undefined]] as const) {
        it(`refuses a full snapshot whose end line's ${property.path.join('.')} is ${how}`, async () => {
          expect(property.strict).toBe(true);
          const err = await readFails(fullAnswer('SLTD', [{ op: 'upsert', record }], { [property.path[0]!]: value }), 'SLTD');
          expect(err.issues).toEqual([{ path: `lines.2.${property.path.join('.')}`, message: expect.any(String) }]);
        });
      }
    }
  });
});

describe('docs/protocol.md', () => {
  it('has a section per path', () => {
    for (const path of Object.keys(doc.paths)) expect(markdown).toContain(`## ${methodOf(path).toUpperCase()} ${path}\n`);
  });

  it('names every header of HEADERS', () => {
    for (const h of Object.values(HEADERS)) expect(markdown).toContain(`\`${h}`);
  });

  const rows = markdown
    .split('\n')
    .map((line) => line.split('|').map((c) => c.trim()))
    .filter((cells) => /^\d{3}$/.test(cells[1] ?? '') && cells.length === 8)
    .map(([, status, code, errorClass, sdkCode, read, write]) => ({ status: Number(status), code: code!, errorClass, sdkCode, read, write }));

  it('has a classification row for every error status and code of the OpenAPI document', () => {
    expect(rows.length).toBeGreaterThan(10);
    const statuses = new Set<number>();
    for (const path of Object.keys(doc.paths)) {
      for (const s of Object.keys(operationOf(path).responses)) if (Number(s) >= 400) statuses.add(Number(s));
    }
    for (const s of statuses) expect(rows.map((r) => r.status), `status ${s}`).toContain(s);
    expect([...new Set(rows.map((r) => r.code).filter((c) => c !== '—'))].sort()).toEqual([...schemas.ErrorCode.enum].sort());
  });

  it('classifies each status as errorFromResponse does', () => {
    for (const row of rows) {
      const body = row.code === '—' ? '' : JSON.stringify({ error: { code: row.code, message: 'x' } });
      const read = errorFromResponse({ status: row.status, headers: {}, body }, true);
      const write = errorFromResponse({ status: row.status, headers: {}, body }, false);
      const label = `${row.status} ${row.code}`;
      expect(read.name, label).toBe(row.errorClass);
      expect(read.code, label).toBe(row.sdkCode);
      expect(read.retryable ? 'yes' : 'no', `${label} read`).toBe(row.read);
      expect(write.retryable ? 'yes' : 'no', `${label} write`).toBe(row.write);
    }
  });

  it('describes retry-after as errorFromResponse reads it', () => {
    const read = (headers: Record<string, string>) => errorFromResponse({ status: 429, headers, body: '' }, true) as Json;
    expect(read({ [HEADERS.retryAfterMs]: '1500', [HEADERS.retryAfter]: '9' }).retryAfterMs).toBe(1500);
    expect(read({ [HEADERS.retryAfter]: '2' }).retryAfterMs).toBe(2000);
    expect(markdown).toContain('`retry-after-ms` gives milliseconds (`1500`) and wins over');
    for (const status of [429, 502, 503]) {
      expect((errorFromResponse({ status, headers: { [HEADERS.retryAfter]: '2' }, body: '' }, true) as Json).retryAfterMs, String(status)).toBe(2000);
      expect(deref(schemasResponseFor(status)).headers, String(status)).toHaveProperty(HEADERS.retryAfter);
    }
  });
});

/** A check answer read as the client reads it, into the result of its first item. */
function readResult(body: unknown, requested: Source[]) {
  const answer = readCheckAnswer({ status: 200, headers: {}, body: JSON.stringify(body) });
  return buildCheckResult(answer.items[0]!, requested, { requestId: 'client-id', attempts: 1, durationMs: 1 }, answer);
}

/** The documented response for a status on /v1/checks. */
function schemasResponseFor(status: number): Json {
  return doc.paths[PATHS.checks].post.responses[String(status)];
}

function unwrapOptional(s: Json): Json {
  return s?.def?.type === 'optional' ? s.def.innerType : s;
}
