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
  CONFIRMATION_PRIORITIES,
  CONFIRMATION_REQUEST_STATES,
  CONFIRMATION_STATES,
  DOCUMENT_HISTORY_EVENTS,
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
import { CONFIRMATION_ID, confirmationRequestSchema, hitIdSchema, reasonSchema, renewsSchema } from '../reports/confirmation';
import type { ConfirmationPriority } from '../queries/confirmation';

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
  /** `GET`: the full record a hit points to. */
  record: (source: Source, recordId: string) => `/v1/records/${encodeURIComponent(source)}/${encodeURIComponent(recordId)}`,
  /** `POST`: asks the owner country to confirm a hit. */
  confirmationRequests: (hitId: string) => `/v1/hits/${encodeURIComponent(hitId)}/confirmation-requests`,
  /** `GET`: where a confirmation request stands. */
  confirmationRequest: (confirmationId: string) => `/v1/confirmation-requests/${encodeURIComponent(confirmationId)}`,
});

/** The paths that carry ids (record, hit, confirmation ids: the gateway's text), with the names of their segments. */
const PATH_TEMPLATES: readonly (readonly [RegExp, string])[] = [
  [/^\/v1\/reports\/documents\/[^/]+\/withdrawal$/, '/v1/reports/documents/{recordId}/withdrawal'],
  [/^\/v1\/snapshots\/[^/]+$/, '/v1/snapshots/{source}'],
  [/^\/v1\/records\/[^/]+\/[^/]+$/, '/v1/records/{source}/{recordId}'],
  [/^\/v1\/hits\/[^/]+\/confirmation-requests$/, '/v1/hits/{hitId}/confirmation-requests'],
  [/^\/v1\/confirmation-requests\/[^/]+$/, '/v1/confirmation-requests/{confirmationId}'],
];

/**
 * A request path as a log line may say it: its ids (and query) replaced by their names, e.g.
 * `/v1/records/{source}/{recordId}`. An id in a path is the gateway's text or the caller's input, not ours to log.
 * @internal
 */
export function pathTemplate(path: string): string {
  const q = path.indexOf('?');
  const bare = q === -1 ? path : path.slice(0, q);
  // The paths without ids first: a check's and a report's (nearly every request) need no pattern tried.
  if (bare === PATHS.checks || bare === PATHS.documentReports) return bare;
  for (const [pattern, template] of PATH_TEMPLATES) if (pattern.test(bare)) return template;
  return '(a path of protocol v1)';
}

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
  /** `priority`, `reason` and `locationId` of a confirmation request. */
  confirmation: confirmationRequestSchema,
  /** `renews` of a confirmation request, when it follows one that lapsed. */
  renews: renewsSchema,
  /** The `{hitId}` of a confirmation request's path. */
  hitId: hitIdSchema,
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
  documentHistoryEvent: DOCUMENT_HISTORY_EVENTS,
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

// The second line: full records and confirmations. A record is read as a hit is (protocol/record.ts: its source and
// recordId strict, every other field descriptive); a confirmation's ids, counters and state strictly, the owner's
// words leniently (protocol/confirmation.ts). These strict schemas are what a conforming gateway sends.

/** A full record's notice: a hit's, and what the second line compares a person with. */
export const noticeDetailsSchema = noticeSchema.extend({
  aliases: texts.optional(),
  physicalDescription: optionalText,
  languages: texts.optional(),
  publishedAt: optionalText,
  expiresAt: optionalText,
});
/** One entry of an SLTD record's history. */
export const documentHistoryEntrySchema = z.object({
  at: text,
  event: z.enum(KNOWN_VALUES.documentHistoryEvent),
  status: documentStatus.optional(),
  authority: optionalText,
});
/** A full record's vehicle. */
export const vehicleDetailsSchema = vehicleRecordSchema.extend({
  manufactureYear: optionalText,
  bodyType: optionalText,
  engineNumber: optionalText,
  description: optionalText,
});
const fullRecordBase = { recordId: id, ownerCountry: text, actionToBeTaken: optionalText };
/** `GET /v1/records/{source}/{recordId}`: the full record, by source. */
export const fullRecordSchema = z.discriminatedUnion('source', [
  z.object({
    ...fullRecordBase,
    source: z.literal('SLTD'),
    document: documentRecordSchema,
    reportingAuthority: optionalText,
    authorityReference: optionalText,
    history: z.array(documentHistoryEntrySchema).max(MAX_LIST_LENGTH),
  }),
  z.object({ ...fullRecordBase, source: z.literal('TDAWN'), document: documentRecordSchema, notice: noticeDetailsSchema }),
  z.object({ ...fullRecordBase, source: z.literal('NOMINAL'), person: personRecordSchema, notice: noticeDetailsSchema }),
  z.object({ ...fullRecordBase, source: z.literal('SMV'), vehicle: vehicleDetailsSchema }),
]);

const confirmationId = z.string().regex(CONFIRMATION_ID);
const confirmationState = z.enum(CONFIRMATION_REQUEST_STATES);
/** 201 (or a replay's 200) to `POST /v1/hits/{hitId}/confirmation-requests`. */
export const confirmationCreatedSchema = z.object({ confirmationId, state: confirmationState, dueAt: text });
/** `GET /v1/confirmation-requests/{confirmationId}`: the request as the gateway holds it, and where it stands. */
export const confirmationStatusSchema = z.object({
  confirmationId,
  hitId: id,
  priority: z.enum(CONFIRMATION_PRIORITIES),
  attempt: z.number().int().min(1).max(3),
  reason: reasonSchema,
  locationId: REQUEST_SCHEMAS.confirmation.shape.locationId,
  state: confirmationState,
  requestedAt: optionalText,
  dueAt: text,
  respondedAt: optionalText,
  response: z.object({ instructions: optionalText, ownerReference: optionalText }).optional(),
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

/** Body of `POST /v1/hits/{hitId}/confirmation-requests`. */
export interface ConfirmationRequestBody {
  context: QueryContext;
  priority: ConfirmationPriority;
  reason: string;
  /** Where the subject or document is held. */
  locationId: string;
  /** The `confirmationId` of the request that lapsed, when this is the next one (the second or third). */
  renews?: string;
}
