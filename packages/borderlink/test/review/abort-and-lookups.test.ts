import { describe, expect, it } from 'vitest';
import { addAbortListener, removeAbortListener } from '../../src/internal/abort';
import { computeCheckDigit, isKnownStateCode } from 'borderlink';

describe('abort listeners on a signal that has already aborted', () => {
  it('are still called (soon), unless removed first', async () => {
    const controller = new AbortController();
    controller.abort();
    const calls: string[] = [];
    const kept = () => calls.push('kept');
    const removed = () => calls.push('removed');
    addAbortListener(controller.signal, kept);
    addAbortListener(controller.signal, removed);
    removeAbortListener(controller.signal, removed);
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toEqual(['kept']);
  });
});

describe('MRZ helpers on values that are not strings', () => {
  it('refuse with a RangeError or answer false, never a TypeError', () => {
    expect(() => computeCheckDigit(null as never)).toThrow(RangeError);
    expect(isKnownStateCode(null as never)).toBe(false);
    expect(isKnownStateCode(42 as never)).toBe(false);
  });
});
