// Wire protocol v1: the JSON bodies on the wire and their zod schemas. Responses are validated before anything reads
// them; how much of a check answer must hold for it to be read at all, and what is read leniently, is in
// check-answer.ts. Object schemas are loose on purpose (unknown fields are ignored) so a gateway can add fields
// without breaking clients.
import { z } from 'zod';
import type {
  CheckResult,
  WithdrawalReason,
  GatewayWarning,
  Hit,
  QueryContext,
  Source,
  SourceOutcome,
  Subject,
} from '../queries/types';
import {
  CONFIRMATION_STATES,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  HIT_KINDS,
  MATCH_METHODS,
  NOTICE_TYPES,
  SOURCES,
  WIRE_OUTCOME_STATUSES,
  printableAscii,
} from '../queries/values';
import { contextSchema, sourcesSchema, subjectsSchema } from '../queries/validate';
import { documentReportSchema, idempotencyKeySchema, withdrawalSchema, type DocumentReport } from '../reports/index';

export { HIT_KINDS, MATCH_METHODS, WIRE_OUTCOME_STATUSES } from '../queries/values';

export const PROTOCOL_VERSION = 'v1';
export const MAX_ITEMS_PER_REQUEST = 1000;

export const PATHS = Object.freeze({
  checks: '/v1/checks',
  documentReports: '/v1/reports/documents',
  withdrawal: (recordId: string) => `/v1/reports/documents/${encodeURIComponent(recordId)}/withdrawal`,
  /** `GET`: the snapshot of one source; `since` (a cursor) asks for the changes after it. */
  snapshot: (source: Source, since?: string) =>
    `/v1/snapshots/${encodeURIComponent(source)}${since === undefined ? '' : `?since=${encodeURIComponent(since)}`}`,
});

/** The media type of a snapshot answer: one JSON object per line. */
export const SNAPSHOT_CONTENT_TYPE = 'application/x-ndjson';
/** The `error.code` of a 410 to a delta: the gateway no longer knows the cursor, and a full snapshot must be taken. */
export const SNAPSHOT_CURSOR_EXPIRED = 'SNAPSHOT_CURSOR_EXPIRED';
/** The status of {@link SNAPSHOT_CURSOR_EXPIRED}. */
export const SNAPSHOT_CURSOR_EXPIRED_STATUS = 410;

/**
 * Where a `GET` carries its context (it has no body): one header per field of `context`, each held to the same rule
 * as the body's field (rule 4: a request without them is not sent, and a gateway refuses it).
 */
export const CONTEXT_HEADERS = Object.freeze({
  authorityId: 'x-authority-id',
  operatorId: 'x-operator-id',
  purpose: 'x-purpose',
  locationId: 'x-location-id',
} as const satisfies Record<keyof QueryContext, string>);

export const HEADERS = Object.freeze({
  authorization: 'authorization',
  requestId: 'x-request-id',
  idempotencyKey: 'idempotency-key',
  idempotentReplayed: 'idempotent-replayed',
  userAgent: 'user-agent',
  contentType: 'content-type',
  retryAfter: 'retry-after',
  retryAfterMs: 'retry-after-ms',
  authorityId: CONTEXT_HEADERS.authorityId,
  operatorId: CONTEXT_HEADERS.operatorId,
  purpose: CONTEXT_HEADERS.purpose,
  locationId: CONTEXT_HEADERS.locationId,
});

/** One item of `POST /v1/checks`. */
export interface CheckItemRequest {
  itemId: string;
  subjects: Subject[];
  sources?: Source[];
}
/**
 * The parts of a request of protocol v1, each with the rules it must keep: the client validates what it is given with
 * these before anything is sent, and the mock gateway validates what it receives with the same ones. Messages name the
 * rule, never the value.
 */
export const REQUEST_SCHEMAS = Object.freeze({
  /** `context` of every request. */
  context: contextSchema,
  /** `items.N.subjects` of a check. */
  subjects: subjectsSchema,
  /** `items.N.sources` of a check, when given. */
  sources: sourcesSchema,
  /** `report` of a document report. */
  report: documentReportSchema,
  /** `reason` of a withdrawal. */
  withdrawalReason: withdrawalSchema.shape.reason,
  /** The `idempotency-key` header of a write. */
  idempotencyKey: idempotencyKeySchema,
});

/** Body of `POST /v1/checks`. */
export interface CheckRequestBody {
  context: QueryContext;
  items: CheckItemRequest[];
}

/** Every source of protocol v1. */
export const WIRE_SOURCES = SOURCES;
/**
 * The values protocol v1 lists for its open (descriptive) enums. Another value is kept, with a warning. A document
 * record's type is open in an answer, though the client sends only the listed ones.
 */
export const KNOWN_VALUES = Object.freeze({
  documentType: DOCUMENT_TYPES,
  documentStatus: DOCUMENT_STATUSES,
  noticeType: NOTICE_TYPES,
  confirmationState: CONFIRMATION_STATES,
} as const);
/** Longest string the client keeps from an answer; a longer one is not kept (a cut value could read as another). */
export const MAX_TEXT_LENGTH = 1000;
/** Most elements the client keeps from a list of strings in a hit (`charges`, `givenNames`…). */
export const MAX_LIST_LENGTH = 100;
/** Most warnings a result carries; past it the deviations are still read around, but not listed. */
export const MAX_WARNINGS = 100;
/** The gateway's own request id: printable ASCII without spaces, 1 to 128 characters. */
export const GATEWAY_REQUEST_ID = printableAscii(1, 128);

// The strict schemas: an answer exactly as protocol v1 describes it, what a conforming gateway sends (the mock
// gateway's tests and the OpenAPI test hold to them). The client reads a check answer with check-answer.ts, which
// gives exactly what these give for everything they accept and reads around the rest; writes' answers are read with
// these.
const text = z.string().max(MAX_TEXT_LENGTH);
const texts = z.array(text).max(MAX_LIST_LENGTH);
const id = z.string().min(1).max(MAX_TEXT_LENGTH);
const source = z.enum(WIRE_SOURCES);
const outcomeStatus = z.enum(WIRE_OUTCOME_STATUSES);
const documentType = z.enum(KNOWN_VALUES.documentType);
const documentStatus = z.enum(KNOWN_VALUES.documentStatus);
const noticeType = z.enum(KNOWN_VALUES.noticeType);
const optionalText = text.optional();

const outcomeSchema = z.object({ source, status: outcomeStatus, dataAsOf: optionalText });

/** A notice as protocol v1 describes it, in a hit and in a snapshot's record. */
export const noticeSchema = z.object({
  type: noticeType,
  reference: text,
  requestingCountry: text,
  charges: texts.optional(),
});
/** A document record as protocol v1 describes it, in a hit and in a snapshot's record. */
export const documentRecordSchema = z.object({
  documentNumber: text,
  issuingState: text,
  documentType,
  status: documentStatus,
  incidentDate: optionalText,
  incidentCountry: optionalText,
});
/** A person record as protocol v1 describes it, in a hit and in a snapshot's record. */
export const personRecordSchema = z.object({
  surname: text,
  givenNames: texts,
  dateOfBirth: text,
  nationalities: texts,
});
/** A vehicle record as protocol v1 describes it, in a hit and in a snapshot's record. */
export const vehicleRecordSchema = z.object({
  vin: text,
  plate: text,
  make: text,
  model: text,
  colour: text,
  theftDate: text,
  registrationCountry: text,
});
const hitBase = {
  hitId: id,
  source,
  recordId: id,
  ownerCountry: text,
  match: z.object({
    method: z.enum(MATCH_METHODS),
    score: z.number().min(0).max(1),
    matchedFields: texts,
    /** The spelling among the subject's `nameVariants` that found the record, when its own names did not. */
    matchedVariant: z.object({ surname: text, givenNames: texts }).optional(),
  }),
  actionToBeTaken: optionalText,
  confirmation: z.object({ state: z.enum(KNOWN_VALUES.confirmationState) }),
};
const hitSchema = z.discriminatedUnion('kind', [
  z.object({ ...hitBase, kind: z.literal('document'), document: documentRecordSchema }),
  z.object({ ...hitBase, kind: z.literal('linked-document'), document: documentRecordSchema, notice: noticeSchema }),
  z.object({
    ...hitBase,
    kind: z.literal('person'),
    person: personRecordSchema,
    notice: noticeSchema,
  }),
  z.object({
    ...hitBase,
    kind: z.literal('vehicle'),
    vehicle: vehicleRecordSchema,
  }),
]);

export const checkItemResponseSchema = z.object({
  itemId: z.string(),
  outcomes: z.array(outcomeSchema),
  hits: z.array(hitSchema),
});

/** A check answer exactly as protocol v1 describes it, `requestId` included. */
export const checkResponseSchema = z.object({
  requestId: z.string().regex(GATEWAY_REQUEST_ID),
  items: z.array(checkItemResponseSchema),
});

export const reportResponseSchema = z.object({ recordId: z.string().min(1), createdAt: z.string() });
export const withdrawalResponseSchema = z.object({
  recordId: z.string().min(1),
  withdrawnAt: z.string(),
  reason: z.string().optional(),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/**
 * One item of a check answer as the client read it. `outcomes` and `hits` hold what could be read; `warnings` (paths
 * relative to the item) what could not; `unreadable` is true when an outcome or a hit was left out, which forbids a
 * `NO_HIT` verdict. `outcomeIndexes` / `hitIndexes` give each kept element's index in the answer (absent: 0, 1, 2…).
 * @internal
 */
export interface CheckItemResponse {
  itemId: string;
  outcomes: SourceOutcome[];
  hits: Hit[];
  warnings: GatewayWarning[];
  unreadable: boolean;
  outcomeIndexes?: number[];
  hitIndexes?: number[];
}
/** A check answer as the client read it. `warnings` are about the answer as a whole (`requestId`). @internal */
export interface CheckResponse {
  gatewayRequestId?: string;
  warnings: GatewayWarning[];
  items: CheckItemResponse[];
}
export type ErrorBody = z.infer<typeof errorBodySchema>;

// Compile-time proof that what the schemas accept is what the public types promise.
type Assert<T extends true> = T;
export type _HitsMatch = Assert<z.infer<typeof hitSchema> extends Hit ? true : false>;
export type _OutcomesMatch = Assert<z.infer<typeof outcomeSchema> extends SourceOutcome ? true : false>;
export type _ResultKeys = Assert<'verdict' extends keyof CheckResult ? true : false>;
export type _KindsMatch = Assert<(typeof HIT_KINDS)[number] extends Hit['kind'] ? (Hit['kind'] extends (typeof HIT_KINDS)[number] ? true : false) : false>;

/** Body of `POST /v1/reports/documents`. */
export interface DocumentReportRequestBody {
  context: QueryContext;
  report: DocumentReport;
}

export type { WithdrawalReason } from '../queries/types';

/** Body of `POST /v1/reports/documents/{recordId}/withdrawal`. */
export interface WithdrawalRequestBody {
  context: QueryContext;
  reason: WithdrawalReason;
}
