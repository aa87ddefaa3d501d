// The writes: document reports and withdrawals, stored once per idempotency key (scoped to the credentials), replayed
// for the same key and body, refused for the same key with another body.
import type { FieldIssue } from 'borderlink';
import { HEADERS, canonicalJson, type DocumentReportRequestBody } from '../protocol/index';
import type { DatasetIndex } from './matching';
import { normaliseDocumentNumber } from './matching';
import { checkContext, checkReport, checkWithdrawalReason, idempotencyKeyIssues } from './requests';
import { fail, invalid, isObject, jsonHeaders, respond, type GatewayRequest, type GatewayResponse } from './responses';

/** A document report the gateway stored, for "stored exactly once" assertions. */
export interface StoredReport {
  recordId: string;
  /** ISO 8601. */
  createdAt: string;
  authorityId: string;
  idempotencyKey: string;
  report: DocumentReportRequestBody['report'];
  /** ISO 8601, once withdrawn. */
  withdrawnAt?: string;
  withdrawalReason?: string;
}

/** The write paths of one gateway. @internal */
export function createWriteStore(index: DatasetIndex, issuerOf: (authorityId: string) => string) {
  const reports: StoredReport[] = [];
  const reportsById = new Map<string, StoredReport>();
  const idempotency = new Map<string, { fingerprint: string; body: string }>();
  let reportCounter = 0;

  /** The idempotency key, and a replay or conflict when it was seen; `run` stores the write. */
  function idempotent(
    headers: GatewayRequest['headers'],
    path: string,
    body: unknown,
    requestId: string,
    issues: FieldIssue[],
    run: (key: string) => { status: number; body: unknown } | GatewayResponse,
  ): GatewayResponse {
    const key = headers[HEADERS.idempotencyKey];
    issues.unshift(...idempotencyKeyIssues(key));
    if (issues.length > 0) return invalid(requestId, issues);
    const fingerprint = `${path}\n${canonicalJson(body)}`;
    // Keys are scoped to the credentials, so two clients' keys never collide.
    const scoped = `${headers[HEADERS.authorization] ?? ''}\n${key}`;
    const prior = idempotency.get(scoped);
    if (prior) {
      if (prior.fingerprint !== fingerprint) {
        return fail(409, requestId, 'IDEMPOTENCY_KEY_REUSED', 'The idempotency key was already used with another request');
      }
      return { status: 200, headers: { ...jsonHeaders(requestId), [HEADERS.idempotentReplayed]: 'true' }, body: prior.body };
    }
    const result = run(key!);
    if ('headers' in result) return result;
    const response = respond(result.status, requestId, result.body);
    idempotency.set(scoped, { fingerprint, body: response.body });
    return response;
  }

  function report(req: GatewayRequest, path: string, body: unknown, requestId: string): GatewayResponse {
    const issues: FieldIssue[] = [];
    if (!isObject(body)) issues.push({ path: '(root)', message: 'must be a JSON object' });
    else {
      checkContext(body.context, issues);
      checkReport(body.report, issues);
    }
    return idempotent(req.headers, path, body, requestId, issues, (key) => {
      const b = body as { context: { authorityId: string }; report: DocumentReportRequestBody['report'] };
      const state = b.report.issuingState.trim().toUpperCase();
      if (issuerOf(b.context.authorityId).toUpperCase() !== state) {
        return fail(403, requestId, 'NOT_ISSUER', 'Only the issuing state may report this document');
      }
      const recordId = `SLTD-${state}-R${String(++reportCounter).padStart(6, '0')}`;
      const createdAt = new Date().toISOString();
      const r = b.report;
      index.addDocument({
        recordId,
        documentNumber: normaliseDocumentNumber(r.documentNumber),
        issuingState: state,
        documentType: r.documentType,
        status: r.status,
        ...(r.incidentDate !== undefined ? { incidentDate: r.incidentDate } : {}),
        ...(r.incidentCountry !== undefined ? { incidentCountry: r.incidentCountry.trim().toUpperCase() } : {}),
        // What its full record says: who reported it, under which reference, and when.
        reportingAuthority: b.context.authorityId,
        ...(r.nationalReference !== undefined ? { authorityReference: r.nationalReference } : {}),
        history: [{ at: createdAt, event: 'REPORTED', status: r.status, authority: b.context.authorityId }],
      });
      const stored: StoredReport = { recordId, createdAt, authorityId: b.context.authorityId, idempotencyKey: key, report: r };
      reports.push(stored);
      reportsById.set(recordId, stored);
      return { status: 201, body: { recordId, createdAt } };
    });
  }

  function withdrawal(req: GatewayRequest, path: string, recordId: string, body: unknown, requestId: string): GatewayResponse {
    const issues: FieldIssue[] = [];
    if (!isObject(body)) issues.push({ path: '(root)', message: 'must be a JSON object' });
    else {
      checkContext(body.context, issues);
      checkWithdrawalReason(body.reason, issues);
    }
    return idempotent(req.headers, path, body, requestId, issues, () => {
      const b = body as { context: { authorityId: string }; reason: string };
      const entry = index.documentById(recordId);
      if (!entry) return fail(404, requestId, 'NOT_FOUND', 'No such record');
      if (issuerOf(b.context.authorityId).toUpperCase() !== entry.ownerCountry) {
        return fail(403, requestId, 'NOT_ISSUER', 'Only the issuing state may withdraw this record');
      }
      const stored = reportsById.get(recordId);
      const first = entry.withdrawnAt === undefined;
      // Through the index: the record stops hitting, and the next snapshot delta deletes it.
      const withdrawnAt = index.withdraw(entry);
      if (first && stored) {
        stored.withdrawnAt = withdrawnAt;
        stored.withdrawalReason = b.reason;
      }
      return { status: 200, body: { recordId, withdrawnAt, reason: stored?.withdrawalReason ?? b.reason } };
    });
  }

  return { reports, report, withdrawal, idempotent };
}
