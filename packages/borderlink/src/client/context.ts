// Rule 4: every query says who, for which authority, and why. The client's context is validated once; a call's own
// context is merged over it and validated each time, before anything is sent.
import { overDefined } from '../internal/options';
import type { QueryContext } from '../queries/types';
import { parseContext } from '../queries/validate';

/** @internal */
export type ContextFor = (callContext: Partial<QueryContext> | undefined) => QueryContext;

/** @internal */
export function contextResolver(base: Partial<QueryContext>): ContextFor {
  let valid: QueryContext | undefined;
  return (callContext) => {
    if (callContext !== undefined) return parseContext(overDefined(base, callContext));
    // Frozen: every call without a context of its own shares it, and its JSON is written once (protocol/request-body.ts).
    return (valid ??= Object.freeze(parseContext(base)));
  };
}
