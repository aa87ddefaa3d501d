// The mock's hit ids name their record (`HIT-00000A-SLTD-UTO-0001`): a confirmation request for a hit is answered
// from the id alone, so it works for a hit answered before a restart, or by another process (the command's demo), and
// the gateway keeps no table of the hits it gave.

const HIT_ID = /^HIT-[0-9A-Z]{6,}-(.+)$/s;

/** The hit id of the `n`th hit, on the record `recordId`. @internal */
export function hitIdOf(n: number, recordId: string): string {
  return `HIT-${n.toString(36).toUpperCase().padStart(6, '0')}-${recordId}`;
}

/** The record id a hit id of this gateway names, or undefined for any other text. @internal */
export function recordIdOfHit(hitId: string): string | undefined {
  return HIT_ID.exec(hitId)?.[1];
}
