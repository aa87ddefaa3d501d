// The owner countries, scripted: confirmation requests for hits (`POST /v1/hits/{hitId}/confirmation-requests`, a
// write, idempotent per key) and where each stands (`GET /v1/confirmation-requests/{id}`). Nothing runs on a timer:
// each answer is worked out when asked, from the gateway's clock, so a test's fake clock drives it exactly.
//
// The requests of one hit form a chain: the first, then each that `renews` the one before (at most three). The owner
// answers the chain once, `afterMs` after its first request. A request shows the answer if it came before the request
// lapsed; a request whose deadline passed first is EXPIRED for good (a late answer shows on the request in force, never
// turns an EXPIRED one into an answer: that would be a transition no client may accept).
import type { ConfirmationPriority, ConfirmationRequestState, FieldIssue } from 'borderlink';
import { HEADERS, REQUEST_SCHEMAS, safeParseWorded, toFieldIssues, type ConfirmationRequestBody } from '../protocol/index';
import type { ConfirmationScript } from './dataset';
import { recordIdOfHit } from './hit-ids';
import type { DatasetIndex } from './matching';
import { checkContext, checkContextHeaders } from './requests';
import { fail, invalid, isObject, respond, type GatewayRequest, type GatewayResponse } from './responses';

/** How the gateway's owners answer when a record has no script of its own. @internal */
export const DEFAULT_CONFIRMATION_SCRIPT: ConfirmationScript = Object.freeze({ answer: 'CONFIRMED', afterMs: 2000 });

/** How long a request waits for its owner before the gateway marks it EXPIRED: NCIC's deadlines. @internal */
export const DEFAULT_CONFIRMATION_DEADLINES_MS: Readonly<Record<ConfirmationPriority, number>> = Object.freeze({ URGENT: 10 * 60 * 1000, ROUTINE: 60 * 60 * 1000 });

/** @internal */
export interface ConfirmationDesk {
  /** The script of every hit, instead of its record's. */
  script: ConfirmationScript | undefined;
  deadlinesMs: Readonly<Record<ConfirmationPriority, number>>;
  /** What a pending answer's `retry-after` says. @unit seconds */
  retryAfterSeconds: number;
  /** Epoch milliseconds. */
  now: () => number;
}

interface Chain {
  readonly startedAt: number;
  readonly script: ConfirmationScript;
}

interface StoredRequest {
  readonly confirmationId: string;
  readonly hitId: string;
  readonly chain: Chain;
  readonly attempt: number;
  readonly priority: ConfirmationPriority;
  readonly reason: string;
  readonly locationId: string;
  readonly requestedAt: number;
  readonly dueAt: number;
}

type Idempotent = (
  headers: GatewayRequest['headers'],
  path: string,
  body: unknown,
  requestId: string,
  issues: FieldIssue[],
  run: (key: string) => { status: number; body: unknown } | GatewayResponse,
) => GatewayResponse;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The confirmation paths of one gateway. @internal */
export function createConfirmationDesk(index: DatasetIndex, desk: ConfirmationDesk, idempotent: Idempotent) {
  const byId = new Map<string, StoredRequest>();
  /** The request that renewed each request, by the renewed one's id: a chain has one next request. */
  const renewedBy = new Map<string, StoredRequest>();
  let counter = 0;

  /** When the owner answers the chain: never for NEVER. */
  const answerAt = (chain: Chain): number => (chain.script.answer === 'NEVER' ? Number.POSITIVE_INFINITY : chain.startedAt + (chain.script.afterMs ?? 0));

  function stateOf(r: StoredRequest, now: number): ConfirmationRequestState {
    const at = answerAt(r.chain);
    if (at <= now && at < r.dueAt) return r.chain.script.answer as ConfirmationRequestState;
    return now >= r.dueAt ? 'EXPIRED' : 'PENDING';
  }

  function statusOf(r: StoredRequest, now: number) {
    const state = stateOf(r, now);
    const { instructions, ownerReference } = r.chain.script;
    const answered = state !== 'PENDING' && state !== 'EXPIRED';
    return {
      confirmationId: r.confirmationId,
      hitId: r.hitId,
      priority: r.priority,
      attempt: r.attempt,
      reason: r.reason,
      locationId: r.locationId,
      state,
      requestedAt: iso(r.requestedAt),
      dueAt: iso(r.dueAt),
      ...(answered ? { respondedAt: iso(answerAt(r.chain)) } : {}),
      ...(answered && (instructions !== undefined || ownerReference !== undefined)
        ? { response: { ...(instructions !== undefined ? { instructions } : {}), ...(ownerReference !== undefined ? { ownerReference } : {}) } }
        : {}),
    };
  }

  /** `POST /v1/hits/{hitId}/confirmation-requests`. */
  function request(req: GatewayRequest, path: string, hitId: string, body: unknown, requestId: string): GatewayResponse {
    const issues: FieldIssue[] = [];
    if (!isObject(body)) issues.push({ path: '(root)', message: 'must be a JSON object' });
    else {
      checkContext(body.context, issues);
      const own = { priority: body.priority, reason: body.reason, locationId: body.locationId };
      const parsed = safeParseWorded(REQUEST_SCHEMAS.confirmation, own);
      if (!parsed.success) issues.push(...toFieldIssues(parsed.error, own));
      if (body.renews !== undefined && !REQUEST_SCHEMAS.renews.safeParse(body.renews).success) issues.push({ path: 'renews', message: 'must be a confirmation id' });
    }
    return idempotent(req.headers, path, body, requestId, issues, () => {
      const b = body as unknown as ConfirmationRequestBody;
      const recordId = recordIdOfHit(hitId);
      const entry = recordId === undefined ? undefined : index.entryById(recordId);
      if (entry === undefined) return fail(404, requestId, 'NOT_FOUND', 'No such hit');
      const now = desk.now();
      let chain: Chain;
      let attempt = 1;
      if (b.renews !== undefined) {
        const prior = byId.get(b.renews);
        if (prior === undefined || prior.hitId !== hitId) return invalid(requestId, [{ path: 'renews', message: 'must name a confirmation request of this hit' }]);
        if (prior.attempt >= 3) return invalid(requestId, [{ path: 'renews', message: 'must name the first or second request: a hit is asked at most three times' }]);
        // Renewed already (by another client that took the lapsed request up): that renewal is the answer.
        const next = renewedBy.get(prior.confirmationId);
        if (next !== undefined) {
          const body = { confirmationId: next.confirmationId, state: 'PENDING', dueAt: iso(next.dueAt) };
          return respond(200, requestId, body, { [HEADERS.idempotentReplayed]: 'true' });
        }
        chain = prior.chain;
        attempt = prior.attempt + 1;
      } else {
        // A withdrawn record no longer holds, whatever its script says.
        const script =
          entry.withdrawnAt !== undefined ? { answer: 'RECORD_NO_LONGER_VALID' as const } : (desk.script ?? entry.origin.confirmation ?? DEFAULT_CONFIRMATION_SCRIPT);
        chain = { startedAt: now, script };
      }
      const stored: StoredRequest = {
        confirmationId: `CONF-${String(++counter).padStart(6, '0')}`,
        hitId,
        chain,
        attempt,
        priority: b.priority,
        reason: b.reason,
        locationId: b.locationId,
        requestedAt: now,
        dueAt: now + desk.deadlinesMs[b.priority],
      };
      byId.set(stored.confirmationId, stored);
      if (b.renews !== undefined) renewedBy.set(b.renews, stored);
      // PENDING, as every new request is: the owner's answer, even one already given, is read with a GET.
      return { status: 201, body: { confirmationId: stored.confirmationId, state: 'PENDING', dueAt: iso(stored.dueAt) } };
    });
  }

  /** `GET /v1/confirmation-requests/{confirmationId}`. */
  function status(req: GatewayRequest, confirmationId: string, requestId: string): GatewayResponse {
    const issues: FieldIssue[] = [];
    checkContextHeaders(req.headers, issues);
    if (issues.length > 0) return invalid(requestId, issues);
    const stored = byId.get(confirmationId);
    if (stored === undefined) return fail(404, requestId, 'NOT_FOUND', 'No such confirmation request');
    const answer = statusOf(stored, desk.now());
    // Ask again later: the owner has not answered yet.
    return respond(200, requestId, answer, answer.state === 'PENDING' ? { [HEADERS.retryAfter]: String(desk.retryAfterSeconds) } : undefined);
  }

  return { request, status };
}
