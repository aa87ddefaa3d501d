// Keeps the second line's part of docs/openapi.yaml equal to the code: the full record and the confirmation objects
// have the fields of the strict schemas of wire.ts, the examples are what the code sends and reads, and the readers
// (protocol/record.ts, protocol/confirmation.ts) enforce exactly the properties the document marks x-strict and read
// every other leniently.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ProtocolError, type Source } from 'borderlink';
import { readConfirmationCreated, readConfirmationStatus } from '../../src/protocol/confirmation';
import { readRecordJson } from '../../src/protocol/record';
import {
  PATHS,
  confirmationCreatedSchema,
  confirmationStatusSchema,
  documentHistoryEntrySchema,
  fullRecordSchema,
  noticeDetailsSchema,
  vehicleDetailsSchema,
} from '../../src/protocol/wire';
import { contextSchema } from '../../src/queries/validate';
import { confirmationRequestSchema, renewsSchema } from '../../src/reports/confirmation';

/* eslint-disable @typescript-eslint/no-explicit-any -- walking a parsed YAML document and zod internals */
type Json = any;

const doc: Json = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'));
const schemas: Record<string, Json> = doc.components.schemas;

function deref(node: Json): Json {
  let n = node;
  while (n && typeof n === 'object' && typeof n.$ref === 'string') n = (n.$ref as string).replace(/^#\//, '').split('/').reduce((o: Json, k) => o?.[k], doc);
  return n;
}
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
const shapeOfDoc = (node: Json) => {
  const f = flatten(node);
  return { properties: Object.keys(f.properties).sort(), required: f.required };
};
function unwrap(z: Json): Json {
  for (;;) {
    const t = z?.def?.type;
    if (t === 'optional' || t === 'default') z = z.def.innerType;
    else if (t === 'pipe') z = z.def.out;
    else return z;
  }
}
function zodKeys(z: Json): { properties: string[]; required: string[] } {
  const shape = unwrap(z).shape as Record<string, Json>;
  const properties = Object.keys(shape).sort();
  return { properties, required: properties.filter((k) => shape[k].def.type !== 'optional').sort() };
}

const recordOptions: Json[] = (fullRecordSchema as Json).options;
const recordZod = (source: string): Json => recordOptions.find((o) => o.shape.source.value === source);
const recordKinds = Object.entries<string>(schemas.FullRecord.discriminator.mapping);
const UNLISTED = 'A_VALUE_NOT_LISTED';

/** A value the schema allows: every property (`all`) or the required ones; open enums a value they do not list. */
function instance(node: Json, all: boolean): Json {
  const s = deref(node);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((p: Json) => instance(p, all)));
  if ('const' in s) return s.const;
  if (s.enum) return s.enum[0];
  if (s['x-known-values']) return all ? UNLISTED : s['x-known-values'][0];
  if (s.type === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries<Json>(s.properties ?? {})) if (all || (s.required ?? []).includes(k)) out[k] = instance(v, all);
    return out;
  }
  if (s.type === 'array') return [instance(s.items, all)];
  if (s.type === 'integer') return s.minimum ?? 1;
  if (s.type === 'string') return s.format === 'date-time' ? '2026-12-01T08:00:00Z' : 'x';
  throw new Error(`no instance for ${JSON.stringify(s).slice(0, 80)}`);
}
/** Every property under a schema, with its path and whether it is strict (array items as index 0). */
function properties(node: Json, at: string[] = []): { path: string[]; schema: Json; strict: boolean }[] {
  const s = deref(node);
  if (!(s.allOf || s.properties)) return [];
  const out: { path: string[]; schema: Json; strict: boolean }[] = [];
  for (const [k, v] of Object.entries<Json>(flatten(s).properties)) {
    const path = [...at, k];
    out.push({ path, schema: v, strict: v['x-strict'] === true });
    const inner = deref(v);
    if (inner.type === 'object' || inner.allOf) out.push(...properties(inner, path));
    else if (inner.type === 'array' && (deref(inner.items).type === 'object' || deref(inner.items).allOf)) out.push(...properties(inner.items, [...path, '0']));
  }
  return out;
}
function invalid(node: Json): unknown {
  const s = deref(node);
  if (s.enum || 'const' in s) return 'NOT_IN_PROTOCOL_V1';
  if (s.type === 'integer') return (s.maximum ?? 1) + 1;
  if (s.type === 'string') return s.minLength ? '' : 12345;
  if (s.type === 'array') return 'not a list';
  return 'not an object';
}
const wrongType = (node: Json): unknown => {
  const s = deref(node);
  return s.type === 'array' ? 'not a list' : s.type === 'object' || s.allOf ? 'not an object' : 12345;
};
const setAt = (target: Json, path: string[], value: unknown) => {
  const parent = path.slice(0, -1).reduce((o, k) => o[k], target);
  if (value === undefined) delete parent[path[path.length - 1]!];
  else parent[path[path.length - 1]!] = value;
};
const answer = (body: unknown, status = 200) => ({ status, headers: {}, body: JSON.stringify(body) });

describe('the second line in docs/openapi.yaml', () => {
  it('maps every source to a full record, and only those', () => {
    expect(recordKinds.map(([s]) => s).sort()).toEqual(recordOptions.map((o) => o.shape.source.value).sort());
    expect(schemas.FullRecord.oneOf.length).toBe(recordKinds.length);
  });

  for (const [source, ref] of recordKinds) {
    it(`a full record of ${source} has the fields of fullRecordSchema, its parts too`, () => {
      const zod = recordZod(source);
      const f = flatten({ $ref: ref });
      expect(shapeOfDoc({ $ref: ref })).toEqual(zodKeys(zod));
      expect(f.properties.source.const).toBe(source);
      for (const part of ['document', 'person', 'vehicle', 'notice']) {
        if (part in zod.shape) expect(shapeOfDoc(f.properties[part]), `${source}.${part}`).toEqual(zodKeys(zod.shape[part]));
      }
    });
  }

  it('has the objects of wire.ts: notice and vehicle details, history entries, confirmations', () => {
    for (const [name, zod] of [
      ['NoticeDetails', noticeDetailsSchema],
      ['VehicleDetails', vehicleDetailsSchema],
      ['DocumentHistoryEntry', documentHistoryEntrySchema],
      ['ConfirmationCreated', confirmationCreatedSchema],
      ['ConfirmationStatus', confirmationStatusSchema],
    ] as const) {
      expect(shapeOfDoc(schemas[name]), name).toEqual(zodKeys(zod));
    }
    expect(shapeOfDoc(schemas.ConfirmationStatus.properties.response)).toEqual(zodKeys(confirmationStatusSchema.shape.response));
  });

  it('asks for a confirmation with the fields the client sends', () => {
    const f = shapeOfDoc(schemas.ConfirmationRequest);
    const own = zodKeys(confirmationRequestSchema);
    expect(f).toEqual({ properties: ['context', 'renews', ...own.properties].sort(), required: ['context', ...own.required].sort() });
    expect(schemas.ConfirmationReason.maxLength).toBe(500);
    expect(schemas.ConfirmationId.maxLength).toBe(128);
  });

  it('gives examples the code sends and reads as they are', () => {
    const op = (path: string, method: string) => doc.paths[path][method];
    const recordPath = PATHS.record('S' as Source, 'R').replace('/S/R', '/{source}/{recordId}');
    for (const [name, { value }] of Object.entries<Json>(op(recordPath, 'get').responses['200'].content['application/json'].examples)) {
      expect(fullRecordSchema.parse(value), name).toEqual(value);
      expect(readRecordJson(value, { source: value.source, recordId: value.recordId }, 200), name).toEqual({ record: value, warnings: [] });
    }
    const requestsPath = PATHS.confirmationRequests('H').replace('/H/', '/{hitId}/');
    for (const [name, { value }] of Object.entries<Json>(op(requestsPath, 'post').requestBody.content['application/json'].examples)) {
      const { context, renews, ...own } = value;
      expect(contextSchema.parse(context), name).toEqual(context);
      expect(confirmationRequestSchema.parse(own), name).toEqual(own);
      if (renews !== undefined) renewsSchema.parse(renews);
    }
    for (const status of ['200', '201']) {
      for (const { value } of Object.values<Json>(op(requestsPath, 'post').responses[status].content['application/json'].examples)) {
        confirmationCreatedSchema.parse(value);
        expect(readConfirmationCreated(answer(value, Number(status))).warnings).toEqual([]);
      }
    }
    const statusPath = PATHS.confirmationRequest('C').replace('/C', '/{confirmationId}');
    for (const [name, { value }] of Object.entries<Json>(op(statusPath, 'get').responses['200'].content['application/json'].examples)) {
      confirmationStatusSchema.parse(value);
      const read = readConfirmationStatus(answer(value), value.confirmationId);
      expect(read, name).toMatchObject({ state: value.state, hitId: value.hitId, attempt: value.attempt, warnings: [], dueAt: Date.parse(value.dueAt) });
    }
  });
});

describe('reading a full record enforces exactly what the document marks x-strict', () => {
  for (const [source, ref] of recordKinds) {
    const read = (record: Json) => readRecordJson(record, { source: source as Source, recordId: 'x' }, 200);
    for (const all of [false, true]) {
      it(`keeps a ${source} record with ${all ? 'every property, open enums holding values they do not list' : 'only the required properties'}`, () => {
        const record = instance({ $ref: ref }, all);
        const { record: got, warnings } = read(record);
        expect(got).toEqual(record);
        const open = properties({ $ref: ref }).filter((p) => deref(p.schema)['x-known-values']);
        expect(warnings.map((w) => w.path).sort()).toEqual(all ? open.map((p) => p.path.join('.')).sort() : []);
      });
    }
    for (const property of properties({ $ref: ref })) {
      const path = property.path.join('.');
      if (property.strict) {
        for (const [how, value] of [['invalid', invalid(property.schema)], ['missing', undefined]] as const) {
          it(`refuses a ${source} record whose ${path} is ${how}`, () => {
            const record = instance({ $ref: ref }, true);
            setAt(record, property.path, value);
            expect(() => read(record)).toThrow(ProtocolError);
          });
        }
      } else {
        it(`keeps a ${source} record whose ${path} is of the wrong type, with a warning there`, () => {
          const record = instance({ $ref: ref }, true);
          setAt(record, property.path, wrongType(property.schema));
          const { record: got, warnings } = read(record);
          expect(got.recordId).toBe('x');
          expect(warnings.map((w) => w.path)).toContain(path);
        });
      }
    }
  }
});

describe('reading a confirmation enforces exactly what the document marks x-strict', () => {
  const cases: [string, (body: Json) => { warnings: { path: string }[] }][] = [
    ['ConfirmationCreated', (body) => readConfirmationCreated(answer(body, 201))],
    ['ConfirmationStatus', (body) => readConfirmationStatus(answer(body), 'x')],
  ];
  for (const [name, read] of cases) {
    it(`${name}: reads a clean answer with no warning`, () => {
      expect(read(instance(schemas[name], true)).warnings).toEqual([]);
      expect(read(instance(schemas[name], false)).warnings).toEqual([]);
    });
    for (const property of properties(schemas[name])) {
      const path = property.path.join('.');
      if (property.strict) {
        for (const [how, value] of [['invalid', invalid(property.schema)], ['missing', undefined]] as const) {
          it(`${name}: refuses an answer whose ${path} is ${how}`, () => {
            const body = instance(schemas[name], true);
            setAt(body, property.path, value);
            const err = (() => {
              try {
                read(body);
              } catch (e) {
                return e;
              }
              return undefined;
            })();
            expect(err).toBeInstanceOf(ProtocolError);
            expect((err as ProtocolError).issues).toEqual([{ path, message: expect.any(String) }]);
          });
        }
      } else {
        it(`${name}: reads an answer whose ${path} is of the wrong type around it, with a warning there`, () => {
          const body = instance(schemas[name], true);
          setAt(body, property.path, wrongType(property.schema));
          expect(read(body).warnings.map((w) => w.path)).toContain(path);
        });
      }
    }
  }
});
