// Request ids are unique, in the UUID text form protocol v1 documents, and not shared between processes.
import { describe, expect, it, vi } from 'vitest';
import { newRequestId } from '../../src/internal/ids';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('are in the UUID v4 text form and never repeat within a process', () => {
    const ids = Array.from({ length: 100_000 }, () => newRequestId());
    for (const id of ids.slice(0, 1000)) expect(id).toMatch(UUID_V4);
    expect(ids.at(-1)).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('start from random bits of their own in each process (a fresh module stands for one)', async () => {
    vi.resetModules();
    const other = (await import('../../src/internal/ids')).newRequestId();
    const mine = newRequestId();
    // The counter is the last group; what comes before it is drawn at random per process.
    expect(other.slice(0, 24)).not.toBe(mine.slice(0, 24));
  });
});
