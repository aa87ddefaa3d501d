// The demo dataset as an offline copy: its records as snapshot lines, and a memory store seeded with them.
import type { OfflineRecord, SnapshotChange, SnapshotEnd, Source } from 'borderlink';
import { demoDataset, memoryOfflineStore, type Dataset, type MemoryOfflineStore } from 'borderlink/testing';

/** The records of a dataset as snapshots carry them, per source. */
export function recordsOf(dataset: Dataset): Record<Source, OfflineRecord[]> {
  return {
    SLTD: dataset.documents.map(({ recordId, ownerCountry, actionToBeTaken, ...document }) => ({
      source: 'SLTD',
      recordId,
      ownerCountry: ownerCountry ?? document.issuingState,
      ...(actionToBeTaken !== undefined ? { actionToBeTaken } : {}),
      document,
    })),
    TDAWN: dataset.linkedDocuments.map(({ recordId, ownerCountry, actionToBeTaken, notice, ...document }) => ({
      source: 'TDAWN',
      recordId,
      ownerCountry: ownerCountry ?? document.issuingState,
      ...(actionToBeTaken !== undefined ? { actionToBeTaken } : {}),
      document,
      notice,
    })),
    NOMINAL: dataset.persons.map(({ recordId, ownerCountry, actionToBeTaken, notice, ...person }) => ({
      source: 'NOMINAL',
      recordId,
      ownerCountry: ownerCountry ?? notice.requestingCountry,
      ...(actionToBeTaken !== undefined ? { actionToBeTaken } : {}),
      person,
      notice,
    })),
    SMV: dataset.vehicles.map(({ recordId, ownerCountry, actionToBeTaken, ...vehicle }) => ({
      source: 'SMV',
      recordId,
      ownerCountry: ownerCountry ?? vehicle.registrationCountry,
      ...(actionToBeTaken !== undefined ? { actionToBeTaken } : {}),
      vehicle,
    })),
  };
}

/** A full snapshot of `records`, as of `dataAsOf`. */
export async function* full(source: Source, records: OfflineRecord[], dataAsOf: string): AsyncIterable<SnapshotChange | SnapshotEnd> {
  for (const record of records) yield { op: 'upsert', record };
  yield { op: 'end', source, cursor: 'c1', dataAsOf, full: true, changes: records.length, recordCount: records.length };
}

/** A memory store holding the demo dataset's copy of `sources`, as of `dataAsOf`. */
export async function seeded(sources: readonly Source[] = ['SLTD', 'TDAWN', 'NOMINAL', 'SMV'], dataAsOf = new Date().toISOString()): Promise<MemoryOfflineStore> {
  const store = memoryOfflineStore();
  const records = recordsOf(demoDataset);
  for (const s of sources) await store.apply(s, full(s, records[s], dataAsOf));
  return store;
}
