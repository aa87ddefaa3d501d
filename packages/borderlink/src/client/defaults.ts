// What one client gives each call that does not say otherwise. createClient makes the first; withOptions makes one
// over its parent's. Everything else (connections, breaker, budget, cache, in-flight table, batcher, outbox, offline
// copy, listeners, audit) is one for a client and every client derived from it.
import { mergeHeaders, headersKey, type CheckedHeaders } from '../protocol/headers';
import type { QueryContext } from '../queries/types';
import type { ResolvedResilience } from '../resilience/index';
import { noCallOptions, type CheckedCallOptions } from './check-options';
import { contextResolver, type ContextFor } from './context';

/** How a request goes out beyond its body: the integrator's headers, a retry policy of its own. @internal */
export interface RequestProfile {
  readonly headers: CheckedHeaders | undefined;
  /** Undefined: the executor's own (createClient's). */
  readonly retry: ResolvedResilience['retry'] | undefined;
  /**
   * What tells requests of other profiles apart, '' for the plain one: calls share a request (automatic batching, the
   * in-flight table) only under equal keys, since a request carries one set of headers and runs under one policy.
   */
  readonly key: string;
}

/** A request sent with nothing added. @internal */
export const PLAIN_PROFILE: RequestProfile = Object.freeze({ headers: undefined, retry: undefined, key: '' });

/** @internal */
export function requestProfile(headers: CheckedHeaders | undefined, retry: ResolvedResilience['retry'] | undefined): RequestProfile {
  const key = headersKey(headers);
  if (key === '' && retry === undefined) return PLAIN_PROFILE;
  return Object.freeze({ headers: key === '' ? undefined : headers, retry, key: retry === undefined ? key : `${key}\u0003${JSON.stringify(retry)}` });
}

/** A call's profile: its own headers over its client's. @internal */
export function callProfile(base: RequestProfile, headers: CheckedHeaders | undefined): RequestProfile {
  return headers === undefined ? base : requestProfile(mergeHeaders(base.headers, headers), base.retry);
}

/** The headers of one request: the integrator's, then the SDK's own over them. @internal */
export function requestHeaders(profile: RequestProfile, own: Record<string, string>): Record<string, string> {
  // Spread, not assign: each header is defined as a property, whatever its name.
  return profile.headers === undefined ? own : { ...profile.headers, ...own };
}

/** One client's defaults. @internal */
export interface ClientDefaults {
  /** Its timeouts and retry policy; the rest is the shared client's. */
  readonly resilience: ResolvedResilience;
  /** The context as given (merged under each call's). */
  readonly context: Partial<QueryContext>;
  readonly contextFor: ContextFor;
  readonly profile: RequestProfile;
  /** The checked options of a call that gives none. */
  readonly noOptions: CheckedCallOptions;
  /** Refuses a call once the client (or the one it derives from) is closed. */
  assertOpen(): void;
}

/** @internal */
export function clientDefaults(
  resilience: ResolvedResilience,
  context: Partial<QueryContext>,
  headers: CheckedHeaders | undefined,
  retry: ResolvedResilience['retry'] | undefined,
  assertOpen: () => void,
): ClientDefaults {
  return Object.freeze({
    resilience,
    context,
    contextFor: contextResolver(context),
    profile: requestProfile(headers, retry),
    noOptions: noCallOptions(resilience),
    assertOpen,
  });
}
