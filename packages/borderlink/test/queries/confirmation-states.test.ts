// The state machine of a confirmation, every state × every event: the table of the code against the rules written
// out here, once more and independently, and against the table docs/second-line.md shows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONFIRMATION_EVENTS,
  CONFIRMATION_MACHINE_STATES,
  CONFIRMATION_TRANSITIONS,
  GATEWAY_CONFIRMATION_EVENTS,
  isFinalMachineState,
  nextConfirmationState,
  publicConfirmationState,
  type ConfirmationEvent,
  type ConfirmationMachineState,
} from '../../src/queries/confirmation';
import { CONFIRMATION_REQUEST_STATES } from '../../src/queries/values';

const ANSWERS = ['CONFIRMED', 'NOT_CONFIRMED', 'RECORD_NO_LONGER_VALID'] as const;
const isAnswer = (x: string): x is (typeof ANSWERS)[number] => (ANSWERS as readonly string[]).includes(x);

/** The rules, in words turned into code: what each state does with each event. */
function expected(state: ConfirmationMachineState, event: ConfirmationEvent): ConfirmationMachineState | undefined {
  switch (state) {
    case 'PENDING':
      // Asked, waiting: the gateway may say it waits, give the owner's answer, or say the request lapsed; the deadline may pass.
      if (event === 'PENDING') return 'PENDING';
      if (isAnswer(event)) return event;
      if (event === 'EXPIRED' || event === 'DUE') return 'LAPSED';
      return undefined;
    case 'LAPSED':
      // Between two requests: no gateway answer is read; the next request, or the end after three.
      if (event === 'RENEWED') return 'PENDING';
      if (event === 'EXHAUSTED') return 'EXPIRED';
      if (event === 'DUE') return 'LAPSED';
      return undefined;
    case 'EXPIRED':
      // The client's conclusion: a lagging PENDING or EXPIRED leaves it; an answer after it is a late answer.
      if (event === 'PENDING' || event === 'EXPIRED' || event === 'DUE') return 'EXPIRED';
      if (isAnswer(event)) return event;
      return undefined;
    default:
      // An owner's answer: final. Repeated, or a deadline firing after it, changes nothing; anything else contradicts it.
      return event === state || event === 'DUE' ? state : undefined;
  }
}

describe('the confirmation state table', () => {
  it('has a row for every state and a cell for every event, and nothing else', () => {
    expect(Object.keys(CONFIRMATION_TRANSITIONS).sort()).toEqual([...CONFIRMATION_MACHINE_STATES].sort());
    for (const state of CONFIRMATION_MACHINE_STATES) expect(Object.keys(CONFIRMATION_TRANSITIONS[state]).sort(), state).toEqual([...CONFIRMATION_EVENTS].sort());
    expect([...CONFIRMATION_MACHINE_STATES].filter((s) => s !== 'LAPSED').sort()).toEqual([...CONFIRMATION_REQUEST_STATES].sort());
    expect([...GATEWAY_CONFIRMATION_EVENTS].sort()).toEqual([...CONFIRMATION_REQUEST_STATES].sort());
  });

  for (const state of CONFIRMATION_MACHINE_STATES) {
    for (const event of CONFIRMATION_EVENTS) {
      const next = expected(state, event);
      it(`${state} × ${event} → ${next ?? 'refused'}`, () => {
        expect(nextConfirmationState(state, event)).toBe(next);
      });
    }
  }

  it('never leaves an owner’s answer for another state', () => {
    for (const answer of ANSWERS) {
      for (const event of CONFIRMATION_EVENTS) {
        const next = nextConfirmationState(answer, event);
        expect(next === undefined || next === answer, `${answer} × ${event}`).toBe(true);
      }
    }
  });

  it('reaches every state from PENDING, and leaves every state that is not final', () => {
    const reached = new Set<ConfirmationMachineState>(['PENDING']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of [...reached]) {
        for (const e of CONFIRMATION_EVENTS) {
          const n = nextConfirmationState(s, e);
          if (n !== undefined && !reached.has(n)) {
            reached.add(n);
            grew = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...CONFIRMATION_MACHINE_STATES].sort());
    // Every state that is not final has a way on.
    for (const s of CONFIRMATION_MACHINE_STATES.filter((x) => !isFinalMachineState(x))) {
      const onward = CONFIRMATION_EVENTS.map((e) => nextConfirmationState(s, e)).filter((n) => n !== undefined && n !== s);
      expect(onward.length, s).toBeGreaterThan(0);
    }
  });

  it('shows LAPSED to the caller as PENDING, and only the answers and EXPIRED as final', () => {
    expect(publicConfirmationState('LAPSED')).toBe('PENDING');
    expect(CONFIRMATION_MACHINE_STATES.filter(isFinalMachineState).sort()).toEqual(['CONFIRMED', 'EXPIRED', 'NOT_CONFIRMED', 'RECORD_NO_LONGER_VALID']);
  });

  it('is the table docs/second-line.md shows', () => {
    const doc = readFileSync(new URL('../../docs/second-line.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('<!-- confirmation-states -->'), doc.indexOf('<!-- /confirmation-states -->'));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    const header = section.split('\n').find((l) => l.startsWith('| state'))!;
    const events = header.split('|').slice(2, -1).map((c) => c.trim().replace(/`/g, ''));
    expect(events).toEqual([...CONFIRMATION_EVENTS]);
    expect(rows.map((r) => r.split('|')[1]!.trim().replace(/`/g, ''))).toEqual([...CONFIRMATION_MACHINE_STATES]);
    for (const row of rows) {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''));
      const state = cells[0] as ConfirmationMachineState;
      cells.slice(1).forEach((cell, i) => {
        const next = nextConfirmationState(state, CONFIRMATION_EVENTS[i]!);
        expect(cell, `${state} × ${CONFIRMATION_EVENTS[i]}`).toBe(next ?? '✗');
      });
    }
  });
});
