// The records a mock gateway answers from, the synthetic demo set on the ICAO specimen state UTO, and the loader that
// validates a dataset read from a JSON file.
import { z } from 'zod';
import { ConfigError, DOCUMENT_TYPES, SOURCES, type DocumentRecord, type Notice, type PersonRecord, type Source, type VehicleRecord } from 'borderlink';
import { DOCUMENT_NUMBER, KNOWN_VALUES, STATE_CODE, VIN, spellValues, toFieldIssues } from '../protocol/index';

/** Fields every record in a dataset may carry besides its content. */
export interface DatasetRecordBase {
  /** The record's identifier in its source; unique within the dataset. @example 'SLTD-UTO-0001' */
  recordId: string;
  /** The state that owns the record and confirms a hit. @default the issuing, requesting or registration state */
  ownerCountry?: string;
  /** What the owner asks the officer to do. @example 'SEIZE_DOCUMENT' */
  actionToBeTaken?: string;
}

// A dataset holds every field protocol v1 requires (a client reads a missing one as a deviation), so its records are
// the public record types with those fields required.

/** A stolen, lost or revoked document (SLTD). */
export interface DatasetDocument
  extends DatasetRecordBase,
    Required<Omit<DocumentRecord, 'incidentDate' | 'incidentCountry'>>,
    Pick<DocumentRecord, 'incidentDate' | 'incidentCountry'> {}

/** A valid document linked to a notice (TDAWN); its `status` is usually `VALID`. */
export interface DatasetLinkedDocument extends DatasetDocument {
  notice: Required<Omit<Notice, 'charges'>> & Pick<Notice, 'charges'>;
}

/** A wanted or sought person (NOMINAL). `dateOfBirth` is `YYYY-MM-DD`. */
export interface DatasetPerson extends DatasetRecordBase, Required<PersonRecord> {
  notice: Required<Omit<Notice, 'charges'>> & Pick<Notice, 'charges'>;
}

/** A stolen vehicle (SMV). */
export interface DatasetVehicle extends DatasetRecordBase, Required<VehicleRecord> {}

/**
 * One record of a {@link Dataset} with its source: what `upsertRecord` of a mock gateway takes. Its `recordId` is unique
 * in the gateway (a record of its source with that id is replaced).
 * @example
 * ```ts
 * gateway.upsertRecord({
 *   source: 'SLTD', recordId: 'SLTD-UTO-0099', documentNumber: 'X1234567', issuingState: 'UTO',
 *   documentType: 'PASSPORT', status: 'STOLEN',
 * });
 * ```
 */
export type DatasetRecord =
  | ({ source: 'SLTD' } & DatasetDocument)
  | ({ source: 'TDAWN' } & DatasetLinkedDocument)
  | ({ source: 'NOMINAL' } & DatasetPerson)
  | ({ source: 'SMV' } & DatasetVehicle);

/**
 * What a mock gateway answers from. Pass your own to `createMockGateway({ dataset })` or `mockTransport({ dataset })`,
 * or read one from a JSON file with {@link loadDataset}.
 * @example
 * ```ts
 * const dataset: Dataset = {
 *   documents: [{ recordId: 'SLTD-1', documentNumber: 'AB1234567', issuingState: 'D', documentType: 'PASSPORT', status: 'STOLEN' }],
 *   linkedDocuments: [], persons: [], vehicles: [],
 * };
 * ```
 */
export interface Dataset {
  /** SLTD: stolen, lost and revoked documents. */
  documents: DatasetDocument[];
  /** TDAWN: valid documents linked to a notice. */
  linkedDocuments: DatasetLinkedDocument[];
  /** NOMINAL: persons under a notice or diffusion. */
  persons: DatasetPerson[];
  /** SMV: stolen vehicles. */
  vehicles: DatasetVehicle[];
  /**
   * When the data was last updated (ISO 8601), for every source or per source; sent as each outcome's `dataAsOf`.
   * @default the time the gateway started
   */
  dataAsOf?: string | Partial<Record<Source, string>>;
}

const notice = (reference: string, type: Notice['type'] & string, requestingCountry: string, charges?: string[]): DatasetPerson['notice'] => ({
  type,
  reference,
  requestingCountry,
  ...(charges ? { charges } : {}),
});

/**
 * Synthetic records on the ICAO specimen state `UTO`, so every verdict can be shown. See docs/testing.md for the
 * table of queries and the verdicts they give.
 */
export const demoDataset: Dataset = deepFreeze({
  documents: [
    {
      recordId: 'SLTD-UTO-0001',
      documentNumber: 'L898902C3',
      issuingState: 'UTO',
      documentType: 'PASSPORT',
      status: 'STOLEN_BLANK',
      incidentDate: '2023-03-14',
      incidentCountry: 'UTO',
      actionToBeTaken: 'SEIZE_DOCUMENT',
    },
    {
      recordId: 'SLTD-UTO-0002',
      documentNumber: 'D23145890',
      issuingState: 'UTO',
      documentType: 'ID_CARD',
      status: 'LOST',
      incidentDate: '2024-01-09',
      incidentCountry: 'UTO',
      actionToBeTaken: 'SEIZE_DOCUMENT',
    },
  ],
  linkedDocuments: [
    {
      recordId: 'TDAWN-UTO-0001',
      documentNumber: 'PX7734551',
      issuingState: 'UTO',
      documentType: 'PASSPORT',
      status: 'VALID',
      notice: notice('A-1207/3-2024', 'RED', 'UTO', ['ARMED ROBBERY']),
      actionToBeTaken: 'DETAIN_HOLDER_AND_INFORM_OWNER',
    },
  ],
  persons: [
    {
      recordId: 'NOMINAL-UTO-0001',
      surname: 'STORGAARD',
      givenNames: ['NILS', 'ERIK'],
      dateOfBirth: '1968-03-22',
      nationalities: ['UTO'],
      notice: notice('A-1207/3-2024', 'RED', 'UTO', ['ARMED ROBBERY']),
      actionToBeTaken: 'DETAIN_AND_INFORM_OWNER',
    },
    {
      recordId: 'NOMINAL-UTO-0002',
      surname: 'ERIKSSON',
      givenNames: ['ANNA', 'MARIA'],
      dateOfBirth: '1974-08-12',
      nationalities: ['UTO'],
      notice: notice('Y-0415/8-2024', 'YELLOW', 'UTO'),
      actionToBeTaken: 'LOCATE_AND_INFORM_OWNER',
    },
  ],
  vehicles: [
    {
      recordId: 'SMV-UTO-0001',
      vin: 'WVWZZZ1JZXW000001',
      plate: 'AB-123 CD',
      make: 'VOLKSWAGEN',
      model: 'GOLF',
      colour: 'BLACK',
      theftDate: '2024-11-02',
      registrationCountry: 'UTO',
      actionToBeTaken: 'SEIZE_VEHICLE',
    },
  ],
} satisfies Dataset);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// The loader's schema. Not on the check path: a dataset is read once.
const text = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
const state = z.string({ error: 'must be a string' }).regex(STATE_CODE, { error: 'must be an ICAO state code of 1 to 3 capital letters' });
const isoDate = z.string({ error: 'must be a string' }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date as YYYY-MM-DD' });
const base = {
  recordId: text,
  ownerCountry: state.optional(),
  actionToBeTaken: text.optional(),
};
const noticeSchema = z.strictObject({
  type: z.enum(KNOWN_VALUES.noticeType, { error: 'must be a notice type such as RED, YELLOW or DIFFUSION' }),
  reference: text,
  requestingCountry: state,
  charges: z.array(text).optional(),
});
const documentFields = {
  ...base,
  documentNumber: z.string({ error: 'must be a string' }).regex(DOCUMENT_NUMBER, { error: 'must be 1 to 20 capital letters or digits' }),
  issuingState: state,
  documentType: z.enum(DOCUMENT_TYPES, { error: `must be ${spellValues(DOCUMENT_TYPES)}` }),
  status: z.enum(KNOWN_VALUES.documentStatus, { error: `must be ${spellValues(KNOWN_VALUES.documentStatus)}` }),
  incidentDate: isoDate.optional(),
  incidentCountry: state.optional(),
};
/** The fields of a record of each source: the one rule a dataset file and a record given to `upsertRecord` keep. */
const RECORD_FIELDS = {
  SLTD: documentFields,
  TDAWN: { ...documentFields, notice: noticeSchema },
  NOMINAL: {
    ...base,
    surname: text,
    givenNames: z.array(text),
    dateOfBirth: isoDate,
    nationalities: z.array(state),
    notice: noticeSchema,
  },
  SMV: {
    ...base,
    vin: z.string({ error: 'must be a string' }).regex(VIN, { error: 'must be 17 characters A-Z or 0-9, without I, O or Q' }),
    plate: text,
    make: text,
    model: text,
    colour: text,
    theftDate: isoDate,
    registrationCountry: state,
  },
} satisfies Record<Source, z.ZodRawShape>;

const datasetSchema = z.strictObject({
  documents: z.array(z.strictObject(RECORD_FIELDS.SLTD)).default([]),
  linkedDocuments: z.array(z.strictObject(RECORD_FIELDS.TDAWN)).default([]),
  persons: z.array(z.strictObject(RECORD_FIELDS.NOMINAL)).default([]),
  vehicles: z.array(z.strictObject(RECORD_FIELDS.SMV)).default([]),
  dataAsOf: z
    .union([z.iso.datetime({ offset: true }), z.partialRecord(z.enum(SOURCES), z.iso.datetime({ offset: true }))], {
      error: 'must be an ISO 8601 timestamp, or an object of them by source',
    })
    .optional(),
});

const recordSchema = z.discriminatedUnion(
  'source',
  SOURCES.map((source) => z.strictObject({ source: z.literal(source), ...RECORD_FIELDS[source] })) as unknown as [
    z.ZodObject<{ source: z.ZodLiteral<Source> }>,
    ...z.ZodObject<{ source: z.ZodLiteral<Source> }>[],
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `must be ${spellValues(SOURCES)}` : 'must be a record (an object with a source)') },
);

/** Why a dataset or a record was refused: the first issues by path, never a value. */
function refusal(what: string, error: z.ZodError, value: unknown): ConfigError {
  const issues = toFieldIssues(error, value);
  const shown = issues.slice(0, 10).map((i) => `${i.path} ${i.message}`);
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return new ConfigError(`Invalid ${what}: ${shown.join('; ')}${more}`);
}

/**
 * A record given to a gateway's `upsertRecord`, held to the rules of a dataset file's records.
 * @throws {ConfigError} naming every bad field by path (e.g. `dateOfBirth`), never its value.
 * @internal
 */
export function parseDatasetRecord(record: unknown): DatasetRecord {
  const parsed = recordSchema.safeParse(record);
  if (!parsed.success) throw refusal('record', parsed.error, record);
  return parsed.data as DatasetRecord;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const recordList = z.array(z.custom<object>(isObject, { error: 'must be an object' }), { error: 'must be an array of records' });

/**
 * A Dataset given as an option: its shape, not its records' fields, which are typed (and loadDataset checks a file's).
 * @internal
 */
export const DATASET_OPTION = z.strictObject(
  {
    documents: recordList,
    linkedDocuments: recordList,
    persons: recordList,
    vehicles: recordList,
    dataAsOf: z
      .custom<Dataset['dataAsOf']>((v) => typeof v === 'string' || isObject(v), { error: 'must be an ISO 8601 timestamp, or an object of them by source' })
      .optional(),
  } satisfies Record<keyof Dataset, z.ZodType>,
  { error: 'must be a Dataset (documents, linkedDocuments, persons, vehicles)' },
);

/**
 * Validates a dataset read from a JSON file (text or already parsed). Missing record lists count as empty.
 * @throws {ConfigError} naming every bad field by path (e.g. `persons.2.dateOfBirth`), or saying the text is not JSON.
 * @example
 * ```ts
 * const dataset = loadDataset(await readFile('fixtures/gateway.json', 'utf8'));
 * const gateway = await createMockGateway({ dataset });
 * ```
 */
export function loadDataset(json: string | unknown): Dataset {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      throw new ConfigError('Invalid dataset: the text is not JSON');
    }
  }
  const parsed = datasetSchema.safeParse(value);
  if (!parsed.success) throw refusal('dataset', parsed.error, value);
  const ids = new Set<string>();
  const data = parsed.data;
  for (const list of [data.documents, data.linkedDocuments, data.persons, data.vehicles] as { recordId: string }[][]) {
    for (const r of list) {
      if (ids.has(r.recordId)) throw new ConfigError('Invalid dataset: a recordId is used by more than one record');
      ids.add(r.recordId);
    }
  }
  return data as Dataset;
}
