// `borderlink screen` on a PAXLST: telling one from a CSV or JSONL by its first segment, its travellers as checkMany
// rows, and the CUSRES answer written by --cusres.
import { writeFile } from 'node:fs/promises';
import type { BatchItem, BatchOutcome, BorderlinkError } from 'borderlink';
import { EdifactError, formatCusres, parsePaxlst, toBatchItem, type PaxlstManifest, type ScreenedTraveller } from 'borderlink/manifests';
import { UsageError } from './args';
import { OutputError } from './output';

/** Enough of the start of a file to tell a PAXLST: `UNA` and its six characters, or `UNB` and a separator. */
const EDIFACT_START = /^(?:UNA[^A-Za-z0-9\s]|UNB[^A-Za-z0-9\s])/;

/**
 * Reads the start of `input` and says whether it is EDIFACT (its first segment a UNA or a UNB, after a byte order
 * mark and blanks); `stream` gives the input again from its first byte.
 */
export async function sniffEdifact(input: AsyncIterable<Buffer | string>): Promise<{ edifact: boolean; stream: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let text = '';
  let done = false;
  while (text.replace(/^[\uFEFF\s]+/, '').length < 4) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    head.push(chunk);
    text += chunk.toString('latin1');
    if (text.length > 4096) break;
  }
  const start = text.replace(/^(?:\u00EF\u00BB\u00BF|[\uFEFF\s])+/, '');
  async function* stream(): AsyncGenerator<Buffer> {
    yield* head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    }
  }
  return { edifact: EDIFACT_START.test(start), stream: stream() };
}

/** The whole interchange, read and checked before anything is screened. */
export async function readPaxlst(stream: AsyncIterable<Buffer>): Promise<PaxlstManifest> {
  return parsePaxlst(stream);
}

/** A traveller the screen could not check: answered at once, under its index. */
export interface RejectedTraveller {
  id: string;
  row: number;
  error: BorderlinkError;
}

/** The travellers as checkMany rows, ids their index; one that cannot be checked as sent goes to `rejected`. */
export function* paxlstItems(manifest: PaxlstManifest, rejected: { push(row: RejectedTraveller): unknown }): Generator<BatchItem> {
  for (const traveller of manifest.travellers) {
    try {
      yield toBatchItem(traveller);
    } catch (err) {
      if (!(err instanceof EdifactError)) throw err;
      rejected.push({ id: String(traveller.index), row: traveller.index, error: err });
    }
  }
}

/** The CUSRES reference when --cusres-reference is not given: the time, to the second (UTC). */
function defaultReference(at: Date): string {
  return at.toISOString().replace(/\D/g, '').slice(2, 14);
}

/**
 * Writes the CUSRES answer of a screened manifest: every traveller answered, `contact` for one without an answer
 * (a run stopped half way). UNOC answers are written in ISO 8859-1, others in UTF-8. An answer from the demo
 * gateway is marked as a test interchange.
 */
export async function writeCusres(
  path: string,
  manifest: PaxlstManifest,
  outcomes: ReadonlyMap<string, Pick<BatchOutcome, 'result' | 'error'>>,
  reference: string | undefined,
  demo: boolean,
): Promise<void> {
  const rows: ScreenedTraveller[] = [];
  for (const traveller of manifest.travellers) {
    const id = String(traveller.index);
    const outcome = outcomes.get(id);
    if (outcome === undefined) continue;
    rows.push(outcome.error !== undefined ? { id, traveller, error: outcome.error } : { id, traveller, result: outcome.result! });
  }
  const ref = reference ?? defaultReference(new Date());
  if (!/^[A-Za-z0-9]{1,14}$/.test(ref)) throw new UsageError('--cusres-reference must be 1 to 14 letters or digits');
  // From the demo gateway, a test interchange: a carrier's system must not act on synthetic answers.
  const text = formatCusres(rows, { reference: ref, manifest, ...(demo ? { test: true } : {}) });
  try {
    await writeFile(path, text, manifest.interchange.syntax.identifier === 'UNOC' ? 'latin1' : 'utf8');
  } catch {
    throw new OutputError('the CUSRES answer could not be written to the file given to --cusres');
  }
}
