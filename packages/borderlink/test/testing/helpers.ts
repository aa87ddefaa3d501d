import { checkResponseSchema } from '../../src/protocol/wire';
import type { GatewayHandler, GatewayResponse } from 'borderlink/testing';

export const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'TEST' } as const;

export const passport = { kind: 'document', documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' } as const;

export function post(
  handle: GatewayHandler,
  path: string,
  body: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<GatewayResponse> {
  return handle({ method: 'POST', path, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Parses a 200 check answer, validating it with the protocol's own schema. */
export function parseCheck(res: { status: number; body: string }) {
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${res.body}`);
  return checkResponseSchema.parse(JSON.parse(res.body));
}

export function checkBody(...subjects: object[][]) {
  return { context, items: subjects.map((s, i) => ({ itemId: `item-${i}`, subjects: s })) };
}
