// Wire protocol v1: the JSON bodies on the wire and their zod schemas. Responses are validated before anything reads
// them: a body that breaks the schema is a ProtocolError, never a crash or a silent partial result.
// Object schemas are loose on purpose (unknown fields are ignored) so a gateway can add fields without breaking clients.
import { z } from 'zod';
import type {
  CheckResult,
  Hit,
  QueryContext,
  Source,
  SourceOutcome,
  Subject,
} from '../queries/types';

export const PROTOCOL_VERSION = 'v1';
export const MAX_ITEMS_PER_REQUEST = 1000;

export const PATHS = Object.freeze({
  checks: '/v1/checks',
  documentReports: '/v1/reports/documents',
  withdrawal: (recordId: string) => `/v1/reports/documents/${encodeURIComponent(recordId)}/withdrawal`,
});

export const HEADERS = Object.freeze({
  authorization: 'authorization',
  requestId: 'x-request-id',
  idempotencyKey: 'idempotency-key',
  idempotentReplayed: 'idempotent-replayed',
  userAgent: 'user-agent',
  contentType: 'content-type',
  retryAfter: 'retry-after',
  retryAfterMs: 'retry-after-ms',
});

/** One item of `POST /v1/checks`. */
export interface CheckItemRequest {
  itemId: string;
  subjects: Subject[];
  sources?: Source[];
}
/** Body of `POST /v1/checks`. */
export interface CheckRequestBody {
  context: QueryContext;
  items: CheckItemRequest[];
}

const source = z.enum(['SLTD', 'TDAWN', 'NOMINAL', 'SMV']);
const outcomeStatus = z.enum(['HIT', 'POSSIBLE_HIT', 'NO_HIT', 'UNAVAILABLE', 'TIMEOUT', 'NOT_AUTHORISED', 'ERROR']);
const documentType = z.enum(['PASSPORT', 'ID_CARD', 'VISA', 'OTHER']);
const documentStatus = z.enum(['STOLEN', 'LOST', 'STOLEN_BLANK', 'REVOKED', 'INVALIDATED', 'VALID']);
const noticeType = z.enum(['RED', 'BLUE', 'GREEN', 'YELLOW', 'BLACK', 'ORANGE', 'PURPLE', 'UN_SPECIAL', 'DIFFUSION']);
const optionalString = z.string().optional();

const outcomeSchema = z.object({ source, status: outcomeStatus, dataAsOf: optionalString });

const notice = z.object({
  type: noticeType,
  reference: z.string(),
  requestingCountry: z.string(),
  charges: z.array(z.string()).optional(),
});
const documentRecord = z.object({
  documentNumber: z.string(),
  issuingState: z.string(),
  documentType,
  status: documentStatus,
  incidentDate: optionalString,
  incidentCountry: optionalString,
});
const hitBase = {
  hitId: z.string().min(1),
  source,
  recordId: z.string().min(1),
  ownerCountry: z.string(),
  match: z.object({
    method: z.enum(['EXACT', 'NORMALISED', 'FUZZY']),
    score: z.number().min(0).max(1),
    matchedFields: z.array(z.string()),
  }),
  actionToBeTaken: optionalString,
  confirmation: z.object({ state: z.enum(['UNCONFIRMED', 'PENDING', 'CONFIRMED', 'REJECTED']) }),
};
const hitSchema = z.discriminatedUnion('kind', [
  z.object({ ...hitBase, kind: z.literal('document'), document: documentRecord }),
  z.object({ ...hitBase, kind: z.literal('linked-document'), document: documentRecord, notice }),
  z.object({
    ...hitBase,
    kind: z.literal('person'),
    person: z.object({
      surname: z.string(),
      givenNames: z.array(z.string()),
      dateOfBirth: z.string(),
      nationalities: z.array(z.string()),
    }),
    notice,
  }),
  z.object({
    ...hitBase,
    kind: z.literal('vehicle'),
    vehicle: z.object({
      vin: z.string(),
      plate: z.string(),
      make: z.string(),
      model: z.string(),
      colour: z.string(),
      theftDate: z.string(),
      registrationCountry: z.string(),
    }),
  }),
]);

export const checkItemResponseSchema = z.object({
  itemId: z.string(),
  outcomes: z.array(outcomeSchema),
  hits: z.array(hitSchema),
});

export const checkResponseSchema = z.object({
  requestId: z.string().min(1),
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

export type CheckItemResponse = { itemId: string; outcomes: SourceOutcome[]; hits: Hit[] };
export type CheckResponse = { requestId: string; items: CheckItemResponse[] };
export type ErrorBody = z.infer<typeof errorBodySchema>;

// Compile-time proof that what the schemas accept is what the public types promise.
type Assert<T extends true> = T;
export type _HitsMatch = Assert<z.infer<typeof hitSchema> extends Hit ? true : false>;
export type _OutcomesMatch = Assert<z.infer<typeof outcomeSchema> extends SourceOutcome ? true : false>;
export type _ResultKeys = Assert<'verdict' extends keyof CheckResult ? true : false>;

/** Body of `POST /v1/reports/documents`. */
export interface DocumentReportRequestBody {
  context: QueryContext;
  report: {
    documentNumber: string;
    issuingState: string;
    documentType: 'PASSPORT' | 'ID_CARD' | 'VISA' | 'OTHER';
    status: 'STOLEN' | 'LOST' | 'STOLEN_BLANK' | 'REVOKED' | 'INVALIDATED';
    incidentDate?: string;
    incidentCountry?: string;
    nationalReference?: string;
  };
}

/** Why a report is withdrawn. */
export type WithdrawalReason = 'RECOVERED' | 'REPORTED_IN_ERROR' | 'DUPLICATE' | 'OTHER';

/** Body of `POST /v1/reports/documents/{recordId}/withdrawal`. */
export interface WithdrawalRequestBody {
  context: QueryContext;
  reason: WithdrawalReason;
}
