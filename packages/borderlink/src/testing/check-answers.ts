// Answering `POST /v1/checks`: each item's subjects looked up in the dataset, one outcome per requested source, one
// hit per record found.
import { SOURCES, type FieldIssue, type Hit, type OutcomeStatus, type Source, type SourceOutcome, type Subject } from 'borderlink';
import { MAX_ITEMS_PER_REQUEST, defaultSources } from '../protocol/index';
import { faultOutcomes, type Fault } from './faults';
import { hitIdOf } from './hit-ids';
import type { DatasetIndex, Found } from './matching';
import { checkContext, checkItem } from './requests';
import { fail, invalid, isObject, respond, type GatewayResponse, type Json } from './responses';

/** Answers check requests from `index`; hit ids are unique over the answerer's life. @internal */
export function createCheckAnswerer(index: DatasetIndex) {
  let hitCounter = 0;

  function toHit(f: Found): Hit {
    const e = f.entry;
    const base = {
      hitId: hitIdOf(++hitCounter, e.recordId),
      source: f.source,
      recordId: e.recordId,
      ownerCountry: e.ownerCountry,
      match: f.match,
      ...(e.actionToBeTaken !== undefined ? { actionToBeTaken: e.actionToBeTaken } : {}),
      confirmation: { state: 'UNCONFIRMED' as const },
    };
    switch (f.kind) {
      case 'document':
        return { ...base, kind: 'document', document: f.entry.document };
      case 'linked-document':
        return { ...base, kind: 'linked-document', document: f.entry.document, notice: f.entry.notice };
      case 'person':
        return { ...base, kind: 'person', person: f.entry.person, notice: f.entry.notice };
      case 'vehicle':
        return { ...base, kind: 'vehicle', vehicle: f.entry.vehicle };
    }
  }

  // Every item of every check request passes here: the sets and maps below are made only when an item needs them.
  function answerItem(item: Json, fault: Fault | undefined) {
    const subjects = item.subjects as Subject[];
    const sources = (item.sources as Source[] | undefined) ?? defaultSources(subjects);
    const found: Found[] = [];
    const sltd = sources.includes('SLTD');
    const tdawn = sources.includes('TDAWN');
    const nominal = sources.includes('NOMINAL');
    const smv = sources.includes('SMV');
    // A source that was given nothing it can search answers ERROR, never NO_HIT.
    let searched: Set<Source> | undefined;
    const search = (source: Source) => (searched ??= new Set<Source>()).add(source);
    for (const subject of subjects) {
      if (subject.kind === 'document') {
        if (sltd) {
          index.findDocuments(subject, found);
          search('SLTD');
        }
        if (tdawn) {
          index.findLinkedDocuments(subject, found);
          search('TDAWN');
        }
        if (nominal && subject.holder && index.findPersons(subject.holder, found)) search('NOMINAL');
      } else if (subject.kind === 'person') {
        if (nominal && index.findPersons(subject, found)) search('NOMINAL');
      } else if (smv) {
        index.findVehicles(subject, found);
        search('SMV');
      }
    }
    // The same record reached twice (two subjects, or a VIN and a plate) is one hit: keep the better match.
    let best: Found[] = found;
    if (found.length > 1) {
      const byRecord = new Map<string, Found>();
      for (const f of found) {
        const key = `${f.source}|${f.entry.recordId}`;
        const prior = byRecord.get(key);
        if (!prior || f.match.score > prior.match.score) byRecord.set(key, f);
      }
      best = [...byRecord.values()];
    }
    const spoilt = faultOutcomes(fault);
    const spoiled = spoilt ? new Set<Source>(spoilt.sources) : undefined;
    const outcomes: SourceOutcome[] = [];
    for (const source of SOURCES) {
      if (!sources.includes(source)) continue;
      if (spoiled?.has(source)) {
        if (spoilt!.status !== undefined) outcomes.push({ source, status: spoilt!.status });
        continue;
      }
      if (searched === undefined || !searched.has(source)) {
        outcomes.push({ source, status: 'ERROR' });
        continue;
      }
      let status: OutcomeStatus = 'NO_HIT';
      for (const f of best) {
        if (f.source !== source) continue;
        if (f.match.method !== 'FUZZY') {
          status = 'HIT';
          break;
        }
        status = 'POSSIBLE_HIT';
      }
      outcomes.push({ source, status, dataAsOf: index.dataAsOf(source) });
    }
    const hits: Hit[] = [];
    for (const f of best) if (!spoiled?.has(f.source)) hits.push(toHit(f));
    if (hits.length > 1) hits.sort((a, b) => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source));
    return { itemId: item.itemId as string, outcomes, hits };
  }

  /** The answer to a parsed check request body. */
  return function answerChecks(body: unknown, requestId: string, fault: Fault | undefined): GatewayResponse {
    if (!isObject(body)) return invalid(requestId, [{ path: '(root)', message: 'must be a JSON object' }]);
    const items = body.items;
    if (Array.isArray(items) && items.length > MAX_ITEMS_PER_REQUEST) {
      return fail(413, requestId, 'TOO_MANY_ITEMS', `A request may hold at most ${MAX_ITEMS_PER_REQUEST} items`, [
        { path: 'items', message: `must hold at most ${MAX_ITEMS_PER_REQUEST} items` },
      ]);
    }
    const issues: FieldIssue[] = [];
    checkContext(body.context, issues);
    if (!Array.isArray(items) || items.length === 0) {
      issues.push({ path: 'items', message: items === undefined ? 'is required' : 'must be an array of at least one item' });
    } else {
      const ids = new Set<string>();
      for (let i = 0; i < items.length; i++) checkItem(items[i], i, ids, issues);
    }
    if (issues.length > 0) return invalid(requestId, issues);
    return respond(200, requestId, { requestId, items: (items as Json[]).map((item) => answerItem(item, fault)) });
  };
}
