// What spans and metrics may say, written once. Every value comes from a closed table (kinds, verdicts, sources,
// statuses), has the shape of one of our codes, or is a number; nothing a caller searched for or a gateway wrote
// reaches an attribute, since none of those has a place here to go.
import { OUTCOME_STATUSES, SOURCES, VERDICTS } from '../queries/values';

/** Attribute names: OpenTelemetry's HTTP client conventions, and ours under `borderlink.`. */
export const ATTR = Object.freeze({
  callKind: 'borderlink.call.kind',
  callMethod: 'borderlink.call.method',
  outcome: 'borderlink.outcome',
  verdict: 'borderlink.verdict',
  servedFrom: 'borderlink.served_from',
  attempts: 'borderlink.attempts',
  requestId: 'borderlink.request_id',
  warnings: 'borderlink.warnings',
  source: 'borderlink.source',
  sourceStatus: 'borderlink.source.status',
  writeStatus: 'borderlink.write.status',
  writeReplayed: 'borderlink.write.replayed',
  queuedReason: 'borderlink.write.queued_reason',
  batchRows: 'borderlink.batch.rows',
  batchErrors: 'borderlink.batch.errors',
  hedged: 'borderlink.attempt.hedged',
  breakerState: 'borderlink.breaker.state',
  errorType: 'error.type',
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  resendCount: 'http.request.resend_count',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  urlTemplate: 'url.template',
});

const SOURCE_STATUS: Readonly<Record<string, string>> = Object.fromEntries(SOURCES.map((s) => [s, `borderlink.source.${s.toLowerCase()}.status`]));

/** The attribute of one source's status on a call's span: `borderlink.source.sltd.status`. */
export const sourceStatusAttribute = (source: string): string => SOURCE_STATUS[source] ?? `borderlink.source.${source.toLowerCase()}.status`;

/** The attribute of how many rows of a batch had a verdict: `borderlink.batch.verdict.hit`. */
export const batchVerdictAttribute = (verdict: string): string => `borderlink.batch.verdict.${verdict.toLowerCase()}`;

const VERDICT_SET: ReadonlySet<string> = new Set(VERDICTS);
const SOURCE_SET: ReadonlySet<string> = new Set(SOURCES);
const STATUS_SET: ReadonlySet<string> = new Set(OUTCOME_STATUSES);
const SERVED_FROM: ReadonlySet<string> = new Set(['network', 'cache', 'offline']);

export const isVerdict = (v: unknown): v is string => typeof v === 'string' && VERDICT_SET.has(v);
export const isSource = (v: unknown): v is string => typeof v === 'string' && SOURCE_SET.has(v);
export const isOutcomeStatus = (v: unknown): v is string => typeof v === 'string' && STATUS_SET.has(v);
export const isServedFrom = (v: unknown): v is string => typeof v === 'string' && SERVED_FROM.has(v);

/** One of our error codes (`TIMEOUT`, `UPSTREAM_UNAVAILABLE`), or `_OTHER` for anything without one. */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return codeOr(code, '_OTHER');
}

/** `value` when it has the shape of one of our codes, else `fallback`. */
export function codeOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(value) ? value : fallback;
}

/** A request id of ours (a UUID), or undefined. */
export function requestIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : undefined;
}

/** The path segments the protocol has; any other segment is an id (a record's), and the template says `{id}`. */
const STATIC_SEGMENTS: ReadonlySet<string> = new Set(['v1', 'checks', 'reports', 'documents', 'withdrawal', 'snapshots', 'records', 'confirmations']);

/** Templates of the paths seen: a client sends a handful (a withdrawal's path differs by its record id only). */
const templates = new Map<string, string>();

/** `url.template` of a request path: `/v1/reports/documents/{id}/withdrawal`, never the id itself, never the query. */
export function urlTemplate(path: string): string {
  const known = templates.get(path);
  if (known !== undefined) return known;
  const bare = path.split('?', 1)[0] ?? '';
  const template = bare
    .split('/')
    .map((segment, i) => (i === 0 || STATIC_SEGMENTS.has(segment) ? segment : '{id}'))
    .join('/');
  // Paths that hold an id are not kept: there is one per record, and the template is quick to make again.
  if (template === bare && templates.size < 64) templates.set(path, template);
  return template;
}

/** `server.address` and `server.port` of a transport's endpoint (an URL, or anything else: then its name alone). */
export function serverOf(endpoint: string): { address: string; port?: number } {
  try {
    const url = new URL(endpoint);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
    const address = url.hostname.replace(/^\[|\]$/g, '') || 'unknown';
    return port === undefined ? { address } : { address, port };
  } catch {
    return { address: 'unknown' };
  }
}
