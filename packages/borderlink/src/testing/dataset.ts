// The records a mock gateway answers from, the synthetic demo set on the ICAO specimen state UTO, and the loader that
// validates a dataset read from a JSON file.
import { z } from 'zod';
import {
  ConfigError,
  DOCUMENT_TYPES,
  SOURCES,
  type DocumentHistoryEntry,
  type DocumentRecord,
  type Notice,
  type NoticeDetails,
  type PersonRecord,
  type Source,
  type VehicleDetails,
  type VehicleRecord,
} from 'borderlink';
import { DOCUMENT_NUMBER, KNOWN_VALUES, STATE_CODE, VIN, safeParseWorded, spellValues, toFieldIssues } from '../protocol/index';

/**
 * How the owner country answers a confirmation request for a hit on a record, so every branch of a second-line
 * screen can be shown: an answer after a delay, no answer at all (the requests lapse, three, then the client reads
 * `EXPIRED`), or an answer that comes late (after the first request's deadline: it lands on the next request).
 * @example
 * ```ts
 * { answer: 'CONFIRMED', afterMs: 2000, instructions: 'Seize the document', ownerReference: 'UTO-NCB-2026-0042' }
 * { answer: 'NEVER' }
 * { answer: 'NOT_CONFIRMED', afterMs: 11 * 60_000 } // late for an URGENT request (10 minutes)
 * ```
 */
export interface ConfirmationScript {
  /** What the owner answers; `NEVER`: no answer, each request lapses at its deadline. */
  answer: 'CONFIRMED' | 'NOT_CONFIRMED' | 'RECORD_NO_LONGER_VALID' | 'NEVER';
  /**
   * When, counted from the first request of the hit. Past a request's deadline the answer is late: that request is
   * `EXPIRED`, and the answer shows on the request in force when it comes.
   * @unit milliseconds
   * @default 0
   */
  afterMs?: number;
  /** What the owner asks the officer to do, in its answer. */
  instructions?: string;
  /** The owner's reference for its answer. */
  ownerReference?: string;
}

/** Fields every record in a dataset may carry besides its content. */
export interface DatasetRecordBase {
  /** The record's identifier in its source; unique within the dataset. @example 'SLTD-UTO-0001' */
  recordId: string;
  /** The state that owns the record and confirms a hit. @default the issuing, requesting or registration state */
  ownerCountry?: string;
  /** What the owner asks the officer to do. @example 'SEIZE_DOCUMENT' */
  actionToBeTaken?: string;
  /** How the owner answers a confirmation request for a hit on this record. @default the gateway's (`secondLine.confirmation`) */
  confirmation?: ConfirmationScript;
}

/** A notice as a dataset holds it: a hit's fields, and what its full record adds. */
export type DatasetNotice = Required<Omit<Notice, 'charges'>> & Pick<Notice, 'charges'> & Omit<NoticeDetails, keyof Notice>;

/** An entry of an SLTD record's history, as a dataset holds it. */
export type DatasetHistoryEntry = Required<Pick<DocumentHistoryEntry, 'at' | 'event'>> & Omit<DocumentHistoryEntry, 'at' | 'event'>;

// A dataset holds every field protocol v1 requires (a client reads a missing one as a deviation), so its records are
// the public record types with those fields required.

/** A stolen, lost or revoked document (SLTD). Its full record adds the reporting authority and the history. */
export interface DatasetDocument
  extends DatasetRecordBase,
    Required<Omit<DocumentRecord, 'incidentDate' | 'incidentCountry'>>,
    Pick<DocumentRecord, 'incidentDate' | 'incidentCountry'> {
  /** The authority that reported it. @default `<ownerCountry>-NCB` */
  reportingAuthority?: string;
  /** That authority's reference for the report. */
  authorityReference?: string;
  /** Oldest first. @default one entry: REPORTED on the incident date, with the status */
  history?: DatasetHistoryEntry[];
}

/** A valid document linked to a notice (TDAWN); its `status` is usually `VALID`. */
export interface DatasetLinkedDocument extends Omit<DatasetDocument, 'reportingAuthority' | 'authorityReference' | 'history'> {
  notice: DatasetNotice;
}

/**
 * A wanted or sought person (NOMINAL). `dateOfBirth` is `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` for a record that does not
 * hold the day or month (many notices do not): the mock finds it by every date it fits, as a lead.
 */
export interface DatasetPerson extends DatasetRecordBase, Required<PersonRecord> {
  notice: DatasetNotice;
}

/** A stolen vehicle (SMV); its full record adds what the dataset gives of {@link VehicleDetails}. */
export interface DatasetVehicle extends DatasetRecordBase, Required<VehicleRecord>, Omit<VehicleDetails, keyof VehicleRecord> {}

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

const notice = (
  reference: string,
  type: Notice['type'] & string,
  requestingCountry: string,
  charges: string[] | undefined,
  details: Omit<NoticeDetails, keyof Notice>,
): DatasetNotice => ({
  type,
  reference,
  requestingCountry,
  ...(charges ? { charges } : {}),
  ...details,
});

/** The demo's owners answer after two seconds, so a command waiting on a confirmation shows it pending first. */
const ANSWER_MS = 2000;

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
      reportingAuthority: 'UTO-PASSPORT-OFFICE',
      authorityReference: 'UTO-PO-2023-00314',
      history: [
        { at: '2023-03-15T08:12:00Z', event: 'REPORTED', status: 'STOLEN', authority: 'UTO-PASSPORT-OFFICE' },
        { at: '2023-03-20T14:05:00Z', event: 'STATUS_CHANGED', status: 'STOLEN_BLANK', authority: 'UTO-PASSPORT-OFFICE' },
      ],
      confirmation: {
        answer: 'CONFIRMED',
        afterMs: ANSWER_MS,
        instructions: 'Seize the document and send it to the issuing authority',
        ownerReference: 'UTO-NCB-2023-0314',
      },
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
      reportingAuthority: 'UTO-POLICE',
      authorityReference: 'UTO-POL-2024-0109',
      history: [{ at: '2024-01-10T09:30:00Z', event: 'REPORTED', status: 'LOST', authority: 'UTO-POLICE' }],
      // The card was found since: the owner says the record no longer holds.
      confirmation: { answer: 'RECORD_NO_LONGER_VALID', afterMs: ANSWER_MS, ownerReference: 'UTO-NCB-2024-0109' },
    },
  ],
  linkedDocuments: [
    {
      recordId: 'TDAWN-UTO-0001',
      documentNumber: 'PX7734551',
      issuingState: 'UTO',
      documentType: 'PASSPORT',
      status: 'VALID',
      notice: notice('A-1207/3-2024', 'RED', 'UTO', ['ARMED ROBBERY'], {
        aliases: ['STORGARD, NILS', 'STORGAARD, ERIK'],
        physicalDescription: 'Height 182 cm, grey eyes, scar above the left eyebrow',
        languages: ['UTO', 'ENG'],
        publishedAt: '2024-03-07',
        expiresAt: '2029-03-07',
      }),
      actionToBeTaken: 'DETAIN_HOLDER_AND_INFORM_OWNER',
      // The owner never answers: three requests lapse, and the confirmation is EXPIRED.
      confirmation: { answer: 'NEVER' },
    },
  ],
  persons: [
    {
      recordId: 'NOMINAL-UTO-0001',
      surname: 'STORGAARD',
      givenNames: ['NILS', 'ERIK'],
      dateOfBirth: '1968-03-22',
      nationalities: ['UTO'],
      notice: notice('A-1207/3-2024', 'RED', 'UTO', ['ARMED ROBBERY'], {
        aliases: ['STORGARD, NILS', 'STORGAARD, ERIK'],
        physicalDescription: 'Height 182 cm, grey eyes, scar above the left eyebrow',
        languages: ['UTO', 'ENG'],
        publishedAt: '2024-03-07',
        expiresAt: '2029-03-07',
      }),
      actionToBeTaken: 'DETAIN_AND_INFORM_OWNER',
      confirmation: {
        answer: 'CONFIRMED',
        afterMs: ANSWER_MS,
        instructions: 'Detain the person; the extradition request follows through the NCB',
        ownerReference: 'UTO-NCB-2024-1207',
      },
    },
    {
      recordId: 'NOMINAL-UTO-0002',
      surname: 'ERIKSSON',
      givenNames: ['ANNA', 'MARIA'],
      dateOfBirth: '1974-08-12',
      nationalities: ['UTO'],
      notice: notice('Y-0415/8-2024', 'YELLOW', 'UTO', undefined, {
        physicalDescription: 'Height 168 cm, brown hair',
        languages: ['UTO'],
        publishedAt: '2024-08-15',
        expiresAt: '2029-08-15',
      }),
      actionToBeTaken: 'LOCATE_AND_INFORM_OWNER',
      // Not the person sought: the owner does not confirm the hit.
      confirmation: { answer: 'NOT_CONFIRMED', afterMs: ANSWER_MS, ownerReference: 'UTO-NCB-2024-0415' },
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
      manufactureYear: '2019',
      bodyType: 'HATCHBACK',
      engineNumber: 'CJZ-448812',
      description: 'Roof rack; dent in the rear bumper, left side',
      // The owner answers eleven minutes after the first request: late for an URGENT one (ten minutes), in time for
      // the second.
      confirmation: { answer: 'CONFIRMED', afterMs: 11 * 60 * 1000, instructions: 'Seize the vehicle', ownerReference: 'UTO-NCB-2024-1102' },
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
const birthDate = z.string({ error: 'must be a string' }).regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { error: 'must be a date as YYYY-MM-DD, YYYY-MM or YYYY' });
const MS = 'must be a number of milliseconds, 0 or more';
const confirmationScriptSchema = z.strictObject(
  {
    answer: z.enum(['CONFIRMED', 'NOT_CONFIRMED', 'RECORD_NO_LONGER_VALID', 'NEVER'], { error: 'must be CONFIRMED, NOT_CONFIRMED, RECORD_NO_LONGER_VALID or NEVER' }),
    afterMs: z.number({ error: MS }).min(0, { error: MS }).optional(),
    instructions: text.optional(),
    ownerReference: text.optional(),
  } satisfies Record<keyof ConfirmationScript, z.ZodType>,
  { error: 'must be an object (answer, afterMs, instructions, ownerReference)' },
);
const base = {
  recordId: text,
  ownerCountry: state.optional(),
  actionToBeTaken: text.optional(),
  confirmation: confirmationScriptSchema.optional(),
};
const noticeSchema = z.strictObject({
  type: z.enum(KNOWN_VALUES.noticeType, { error: 'must be a notice type such as RED, YELLOW or DIFFUSION' }),
  reference: text,
  requestingCountry: state,
  charges: z.array(text).optional(),
  aliases: z.array(text).optional(),
  physicalDescription: text.optional(),
  languages: z.array(text).optional(),
  publishedAt: text.optional(),
  expiresAt: text.optional(),
});
const historyEntrySchema = z.strictObject({
  at: text,
  event: text,
  status: text.optional(),
  authority: text.optional(),
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
  SLTD: {
    ...documentFields,
    reportingAuthority: text.optional(),
    authorityReference: text.optional(),
    history: z.array(historyEntrySchema).optional(),
  },
  TDAWN: { ...documentFields, notice: noticeSchema },
  NOMINAL: {
    ...base,
    surname: text,
    givenNames: z.array(text),
    dateOfBirth: birthDate,
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
    manufactureYear: text.optional(),
    bodyType: text.optional(),
    engineNumber: text.optional(),
    description: text.optional(),
  },
} satisfies Record<Source, z.ZodRawShape>;

/** A confirmation script given as an option, by the rule of a dataset record's. @internal */
export const CONFIRMATION_SCRIPT_OPTION = confirmationScriptSchema;

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
  const parsed = safeParseWorded(recordSchema, record);
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
  const parsed = safeParseWorded(datasetSchema, value);
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
