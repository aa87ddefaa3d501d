// `borderlink screen`: a manifest streamed line by line through client.checkMany, one JSON line out per row.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import cliProgress, { type SingleBar } from 'cli-progress';
import { BorderlinkError, InputError } from 'borderlink';
import { summarize, type BatchItem, type BatchOutcome, type BatchSummary } from 'borderlink';
import { SOURCES, type Source, type Verdict } from 'borderlink';
import { COMMON_OPTIONS, UsageError, choiceFlag, expectPositionals, integerFlag, parseFlags } from './args';
import { CONNECTION_OPTIONS, DEMO_NOTICE, connect } from './connection';
import { EXIT, FAIL_ON, isAccessRefused, rankingText, rowExitCode, worseExitCode, type FailOn } from './exit-codes';
import { fileError, readProblem, writeProblem } from './files';
import { LineAssembler, MAX_LINE_BYTES, OVER_LONG, linePieces, type LinePiece } from './lines';
import {
  CSV_DELIMITERS,
  CsvRecordParser,
  DELIMITER_NAMES,
  MANIFEST_FIELDS,
  columnsOfHeader,
  delimiterOfHeader,
  headerKey,
  rowOfJson,
  shownColumn,
  subjectsOfRow,
  type CsvDelimiter,
  type JsonRow,
  type ManifestField,
  type ManifestRow,
} from './manifest';
import { DEMO_PREFIX, OutputError, humanText, jsonLine, terminalSafe } from './output';
import { paxlstItems, readPaxlst, sniffEdifact, writeCusres } from './paxlst';
import { BOARDING_ANSWERS, boardingAnswer, type BoardingAnswer, type EdifactIssue, type PaxlstManifest, type PaxlstTraveller } from 'borderlink/manifests';
import { colourWanted, createPaint, type Paint } from './terminal';

export const OPTIONS = {
  ...COMMON_OPTIONS,
  ...CONNECTION_OPTIONS,
  out: { type: 'string', short: 'o' },
  format: { type: 'string' },
  'batch-size': { type: 'string' },
  concurrency: { type: 'string' },
  'no-progress': { type: 'boolean' },
  'ignore-column': { type: 'string', multiple: true },
  cusres: { type: 'string' },
  'cusres-reference': { type: 'string' },
  delimiter: { type: 'string' },
  'fail-on': { type: 'string' },
} as const;

type Format = 'csv' | 'jsonl' | 'paxlst';

/**
 * A row the screen could not turn into a check: answered at once, beside the stream checkMany answers. `id` is null
 * when the row has no id of its own to answer under (missing, repeated, or the row unreadable in a manifest with ids).
 */
type Rejected = { id: string | null; row: number; error: BorderlinkError };

const overLong = () =>
  new InputError(`The row is longer than ${MAX_LINE_BYTES} bytes`, [{ path: 'row', message: `is longer than ${MAX_LINE_BYTES} bytes` }]);

/** How far the manifest was read: what the summary says of the rows a stopped run never screened. */
interface Reading {
  /** Rows read so far, screened or not (the header and blank lines are no rows). */
  rows: number;
  /** Set once the run has stopped: the rows after are counted, never checked. */
  countOnly: boolean;
  /** Set when the manifest was read to its end: `rows` is then all of it. */
  ended: boolean;
}

/**
 * Manifest rows as BatchItems, pulled lazily by checkMany. Rows that cannot be read go to `rejected` instead, so
 * every row still comes out exactly once, and every id at most once. A CSV's delimiter is `delimiter`, or found from
 * its header line ({@link delimiterOfHeader}).
 */
async function* manifestItems(
  pieces: AsyncIterable<LinePiece>,
  format: Format | undefined,
  ignored: ReadonlySet<string>,
  rejected: Rejected[],
  delimiter: CsvDelimiter | undefined,
  reading: Reading,
): AsyncGenerator<BatchItem> {
  let kind = format;
  // Made once the header line is whole: its delimiter is found from that line.
  let csv: CsvRecordParser | undefined;
  const line = new LineAssembler();
  let columns: (ManifestField | undefined)[] | undefined;
  let rowNumber = 0;
  let firstPiece = true;
  let firstJsonRow = true;
  // With an id column (CSV) or ids on the first row (JSONL), every row needs its own; without, row numbers are ids.
  let hasIds = false;
  // Whether hasIds is known yet: not before the CSV header or the first readable JSONL row.
  let idsKnown = false;
  // Kept for the whole run, as ids only: two rows under one id would let a reader join a HIT to the wrong row.
  const ids = new Set<string>();

  /** The row's id, or an InputError naming the field `id` (never the value). */
  const idOf = (given: string | undefined, row: number): string => {
    if (given === undefined && hasIds) throw new InputError('The row has no id', [{ path: 'id', message: 'is missing' }]);
    const id = given === undefined ? String(row) : given.trim();
    if (id === '') throw new InputError('The row id is empty', [{ path: 'id', message: 'is empty' }]);
    if (ids.has(id)) throw new InputError('The row id is used by an earlier row', [{ path: 'id', message: 'repeats the id of an earlier row' }]);
    ids.add(id);
    return id;
  };
  /** A row that could not be read: under its row number when numbers are known to be the ids, else under no id. */
  const unreadable = (row: number, error: BorderlinkError) => {
    let id: string | null = null;
    if (idsKnown && !hasIds) {
      try {
        id = idOf(undefined, row);
      } catch {
        // Its number is already another row's id.
      }
    }
    rejected.push({ id, row, error });
  };

  for await (const piece of pieces) {
    if (firstPiece) {
      piece.text = piece.text.replace(/^\uFEFF/, '');
      firstPiece = false;
    }
    if (kind === undefined) {
      if (piece.text.trim() === '') continue;
      kind = piece.text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
      if (kind === 'jsonl' && delimiter !== undefined) throw new UsageError('--delimiter goes with a CSV manifest: the input is JSONL');
    }
    if (kind === 'jsonl') {
      const text = line.add(piece);
      if (text === undefined || (text !== OVER_LONG && text.trim() === '')) continue;
      const row = ++rowNumber;
      reading.rows = row;
      if (reading.countOnly) continue;
      if (text === OVER_LONG) {
        unreadable(row, overLong());
        continue;
      }
      let parsed: JsonRow;
      try {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw new InputError('The line is not JSON', [{ path: 'row', message: 'is not JSON' }]);
        }
        parsed = rowOfJson(value, ignored);
      } catch (err) {
        unreadable(row, asRowError(err));
        continue;
      }
      if (firstJsonRow) {
        firstJsonRow = false;
        hasIds = parsed.fields.has('id');
        idsKnown = true;
        // Nothing is screened yet: the whole run is refused, as for a CSV header.
        if (parsed.unknownKeys.length > 0) {
          throw new UsageError(
            `the first JSONL row has ${parsed.unknownKeys.length === 1 ? 'a key' : 'keys'} the screen does not know: ` +
              `${parsed.unknownKeys.slice(0, 5).map(shownColumn).join(', ')}; known: ${MANIFEST_FIELDS.join(', ')}, subjects; ` +
              'to leave a key out, give --ignore-column NAME',
          );
        }
      }
      let id: string;
      try {
        id = idOf(parsed.fields.has('id') ? (typeof parsed.row.id === 'string' ? parsed.row.id : '') : undefined, row);
      } catch (err) {
        rejected.push({ id: null, row, error: asRowError(err) });
        continue;
      }
      try {
        if (parsed.unknownKeys.length > 0) {
          // Rows have been screened already: this one is refused alone, so an earlier HIT keeps its exit code.
          throw new InputError('The row has a key the screen does not know', [{ path: 'row', message: 'has a key that is no manifest field (see --ignore-column)' }]);
        }
        yield { id, subjects: parsed.subjects ?? subjectsOfRow(parsed.row) };
      } catch (err) {
        rejected.push({ id, row, error: asRowError(err) });
      }
      continue;
    }
    if (csv === undefined) {
      // The header line, whole (within the bound), so its delimiter is known before any record is split.
      const header = line.add(piece);
      if (header === undefined) continue;
      if (header === OVER_LONG) throw new UsageError(`the CSV header is longer than ${MAX_LINE_BYTES} bytes`);
      if (header.trim() === '') continue;
      // Trimmed: a stray tab or space after the last column is no delimiter.
      const found = delimiter ?? delimiterOfHeader(header.trim());
      if (found === undefined) {
        throw new UsageError(`the CSV header holds more than one of ${DELIMITER_NAMES} outside quotes: give --delimiter (one of ${DELIMITER_NAMES})`);
      }
      csv = new CsvRecordParser(MAX_LINE_BYTES, found);
      csv.feed(header);
    } else {
      csv.feed(piece.text, piece.bytes);
      if (!piece.end) continue;
    }
    const record = csv.endLine();
    if (record === undefined) continue;
    if (columns === undefined) {
      if (record === OVER_LONG) throw new UsageError(`the CSV header is longer than ${MAX_LINE_BYTES} bytes`);
      if (record.length === 1 && record[0]!.trim() === '') continue;
      columns = columnsOfHeader(record, ignored);
      hasIds = columns.includes('id');
      idsKnown = true;
      continue;
    }
    if (record !== OVER_LONG && record.length === 1 && record[0]!.trim() === '') continue;
    const row = ++rowNumber;
    reading.rows = row;
    if (reading.countOnly) continue;
    if (record === OVER_LONG) {
      unreadable(row, overLong());
      continue;
    }
    const fields: ManifestRow = {};
    columns.forEach((field, i) => {
      if (field !== undefined && record[i] !== undefined) fields[field] = record[i];
    });
    let id: string;
    try {
      id = idOf(hasIds ? ((fields.id as string | undefined) ?? '') : undefined, row);
    } catch (err) {
      rejected.push({ id: null, row, error: asRowError(err) });
      continue;
    }
    let subjects;
    try {
      // A field past the last column is data no column names (a delimiter in an unquoted field, another delimiter than
      // the header's): left out, it would not be searched and the row could read NO_HIT. Empty ones (a trailing
      // delimiter) hold nothing.
      for (let i = columns.length; i < record.length; i++) {
        if (record[i]!.trim() !== '') {
          throw new InputError('The row has more fields than the header has columns', [
            { path: 'row', message: `has a field past the last of the header's ${columns.length} columns (a delimiter in an unquoted field?)` },
          ]);
        }
      }
      subjects = subjectsOfRow(fields);
    } catch (err) {
      rejected.push({ id, row, error: asRowError(err) });
      continue;
    }
    yield { id, subjects };
  }
  if (csv?.unterminated === true) {
    reading.rows = ++rowNumber;
    if (!reading.countOnly) unreadable(rowNumber, new InputError('The manifest ends inside a quoted field', [{ path: 'row', message: 'has an unterminated quote' }]));
  }
  reading.ended = true;
}

function asRowError(err: unknown): BorderlinkError {
  return err instanceof BorderlinkError ? err : new InputError('The row could not be read', [{ path: 'row', message: 'could not be read' }]);
}

/** Lines in a file, for the progress bar's total; fast, and approximate only for quoted multi-line fields. */
async function countLines(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 16);
    let count = 0;
    let last = 10;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) if (buffer[i] === 10) count++;
      last = buffer[bytesRead - 1]!;
    }
    return last === 10 ? count : count + 1;
  } finally {
    await handle.close();
  }
}

interface Tally {
  summary: BatchSummary;
  exitCode: number;
  /** Rows that got a result (not an error). */
  screened: number;
  /** For each source, the rows it was asked for. */
  sourcesAsked: Partial<Record<Source, number>>;
  /** PAXLST: the travellers answered, by the boarding answer each gets. */
  boarding: Record<BoardingAnswer, number>;
}

/** summarize() of one row, added into the running totals: a manifest's rows are never all held in memory. */
function addRow(tally: Tally, row: BatchOutcome, failOn: FailOn): void {
  const one = summarize([row]);
  const s = tally.summary;
  s.total += one.total;
  s.errors += one.errors;
  for (const [verdict, n] of Object.entries(one.byVerdict)) s.byVerdict[verdict as Verdict] += n;
  for (const [code, n] of Object.entries(one.errorsByCode)) s.errorsByCode[code] = (s.errorsByCode[code] ?? 0) + n;
  for (const [source, n] of Object.entries(one.hitsBySource)) s.hitsBySource[source] = (s.hitsBySource[source] ?? 0) + n;
  if (row.error === undefined) {
    tally.screened++;
    // A source the client could not ask (NOT_ASKED) was not asked.
    const asked = new Set(row.result.outcomes.filter((o) => o.status !== 'NOT_ASKED').map((o) => o.source));
    for (const source of asked) tally.sourcesAsked[source] = (tally.sourcesAsked[source] ?? 0) + 1;
  }
  const code = rowExitCode(row.error === undefined ? { verdict: row.result.verdict } : { error: row.error }, failOn);
  tally.exitCode = worseExitCode(tally.exitCode, code, failOn);
}

/** The run's exit code: the worst row, but never 0 (nor 3, nor 4) when nothing was screened at all. */
function exitCodeOf(tally: Tally): number {
  const fromGateway = tally.exitCode === EXIT.GATEWAY || tally.exitCode === EXIT.ACCESS_REFUSED;
  return tally.screened === 0 && !fromGateway ? EXIT.NOTHING_SCREENED : tally.exitCode;
}

/**
 * One JSON line: the row's id, verdict and the request id of the check that answered it (null for a row never sent),
 * and for a PAXLST traveller the boarding answer it gets at the gate (the CUSRES answer): a traveller whose only
 * search answered NO_HIT, but who is not cleared to board (no document searched), reads CONTACT.
 */
function outputLine(row: BatchOutcome | Rejected, demo: boolean, boarding: BoardingAnswer | undefined): string {
  const gate = boarding === undefined ? {} : { boarding };
  if (row.error !== undefined) {
    const at = 'row' in row ? { row: row.row } : {};
    const error = { code: row.error.code, message: row.error.message };
    return jsonLine({ id: row.id, ...at, verdict: null, requestId: row.error.requestId ?? null, ...gate, hits: [], outcomes: [], error }, demo);
  }
  const { result } = row;
  return jsonLine({ id: row.id, verdict: result.verdict, requestId: result.requestId, ...gate, hits: result.hits, outcomes: result.outcomes }, demo);
}

/** Shown of a PAXLST's warnings: the first few, by position and code (never their segments' values). */
const WARNINGS_SHOWN = 5;

/** How a run that stopped before its end left its rows: how many have no answer, of how many. */
interface Unanswered {
  /** Rows without an answer line. */
  count: number;
  /** Rows in the manifest, when it was read (or counted) to its end; else the rows read. */
  of: number;
  /** `of` is every row of the manifest. */
  whole: boolean;
  /** What was not read, when `whole` is false. */
  rest: 'standard input' | 'the file';
}

/** What the summary says beside the totals. */
interface SummaryNotes {
  warnings?: readonly EdifactIssue[] | undefined;
  /** The access refusal that stopped the run. */
  refused?: BorderlinkError | undefined;
  unanswered?: Unanswered | undefined;
  /** PAXLST: every traveller's boarding answer is counted, those without an answer as CONTACT. */
  boarding?: boolean;
  /** The exit code of the run, and what decided it. */
  exit: { code: number; failOn: FailOn; ranked: number };
}

function unansweredText(u: Unanswered): string {
  if (u.whole) return `${u.count} of ${u.of} rows never screened (no answer: screen them again)`;
  const rest = u.rest === 'standard input' ? 'the rest of standard input was not read' : 'the rest of the file was not counted';
  return `${u.count} of the ${u.of} rows read never screened, and ${rest}`;
}

function exitText(exit: SummaryNotes['exit']): string {
  const ranking = rankingText(exit.failOn);
  if (exit.code === 130) return `exit 130: stopped before the end; the rows answered rank exit ${exit.ranked} (${ranking})`;
  if (exit.code === EXIT.UNEXPECTED) return 'exit 6: the JSON lines could not all be written';
  if (exit.code === EXIT.NOTHING_SCREENED) return 'exit 7: no row was screened';
  return `exit ${exit.code}: the worst row by ${ranking}${exit.failOn === 'error' ? ' (--fail-on error)' : ''}`;
}

function summaryText(tally: Tally, seconds: number, demo: boolean, paint: Paint, notes: SummaryNotes): string {
  // Error codes come from the gateway: untrusted like every gateway string.
  const summary = terminalSafe(tally.summary);
  const v = summary.byVerdict;
  const rate = seconds > 0 ? Math.round(summary.total / seconds) : summary.total;
  const stopped = notes.unanswered !== undefined || notes.exit.code === EXIT.UNEXPECTED;
  const lines = [
    paint.bold(`${stopped ? 'Stopped after' : 'Screened'} ${summary.total} rows in ${seconds.toFixed(1)} s (${rate} rows/s)`),
    `  ${paint.red(`HIT ${v.HIT}`)} · ${paint.yellow(`POSSIBLE_HIT ${v.POSSIBLE_HIT}`)} · ${paint.magenta(`INCOMPLETE ${v.INCOMPLETE}`)} · ${paint.green(`NO_HIT ${v.NO_HIT}`)} · errors ${summary.errors}`,
  ];
  const list = (record: Record<string, number>) => Object.entries(record).map(([k, n]) => `${k} ${n}`).join(', ');
  // Which sources were asked for how many rows: a manifest whose documents were never checked cannot look clean.
  const asked = SOURCES.filter((source) => tally.sourcesAsked[source] !== undefined).map((source) => `${source} ${tally.sourcesAsked[source]}`);
  lines.push(`  sources asked: ${asked.length > 0 ? asked.join(' · ') : 'none'}`);
  if (notes.boarding === true) {
    // What the carrier is told: a traveller never answered is CONTACT in the CUSRES answer too.
    const counts = { ...tally.boarding, CONTACT: tally.boarding.CONTACT + (notes.unanswered?.count ?? 0) };
    lines.push(`  boarding (the CUSRES answer): ${BOARDING_ANSWERS.map((a) => `${a} ${counts[a]}`).join(' · ')}`);
  }
  // Segments passed over and fields that could not be read: an operator should know the manifest was not read whole.
  const warnings = notes.warnings ?? [];
  if (warnings.length > 0) {
    const shown = warnings.slice(0, WARNINGS_SHOWN).map((w) => `segment ${w.segment} (line ${w.line}) ${w.code}`);
    const more = warnings.length > WARNINGS_SHOWN ? `, and ${warnings.length - WARNINGS_SHOWN} more` : '';
    lines.push(paint.yellow(`  PAXLST: ${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`));
  }
  if (Object.keys(summary.hitsBySource).length > 0) lines.push(`  hits by source: ${list(summary.hitsBySource)}`);
  if (summary.errors > 0) lines.push(`  errors by code: ${list(summary.errorsByCode)}`);
  if (notes.refused !== undefined) {
    lines.push(paint.red(`  stopped: the gateway refused access (${notes.refused.code}): fix the token, the certificate, the authority or the purpose`));
  }
  if (notes.unanswered !== undefined) lines.push(paint.magenta(`  ${unansweredText(notes.unanswered)}`));
  if (tally.screened === 0 && !stopped) lines.push(paint.magenta('  no row was screened: this is NOT a clear result'));
  lines.push(`  ${exitText(notes.exit)}`);
  if (demo) lines.push(paint.yellow(DEMO_NOTICE));
  return humanText(lines.join('\n'), demo, paint);
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** `--delimiter`: one of {@link CSV_DELIMITERS}, a tab also as `tab` or `\t`. */
function delimiterFlag(value: string | undefined): CsvDelimiter | undefined {
  if (value === undefined) return undefined;
  const text = value === 'tab' || value === '\\t' ? '\t' : value;
  const found = CSV_DELIMITERS.find((d) => d === text);
  if (found === undefined) throw new UsageError(`--delimiter must be one of ${DELIMITER_NAMES}`);
  return found;
}

/** The manifest file, open for reading; a UsageError that says why not, and which path was given (files.ts). */
async function openManifest(path: string): Promise<Readable> {
  const what = 'cannot read the manifest file';
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new UsageError(fileError(what, path, readProblem(err)));
  }
  // On Linux a folder opens; reading it fails later, as an unexpected error.
  const folder = await handle.stat().then((stats) => stats.isDirectory(), () => false);
  if (folder) {
    await handle.close();
    throw new UsageError(fileError(what, path, readProblem({ code: 'EISDIR' })));
  }
  return handle.createReadStream();
}

/** A PAXLST's travellers, until the run only counts (its count is the manifest's): none is sent after. */
function* untilCounting<T>(items: Iterable<T>, reading: Reading): Generator<T> {
  for (const item of items) {
    if (reading.countOnly) return;
    yield item;
  }
}

/** checkMany's view of the rows: it cannot end them, so that a stopped run can still count the rest. */
function detached<T>(source: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => ({ next: () => source.next() }) };
}

export async function runScreen(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  expectPositionals(positionals, 1, 'screen');
  const path = positionals[0];
  if (path === undefined) throw new UsageError('screen needs a manifest file (.csv or .jsonl), or - for standard input');
  const batchSize = integerFlag(values['batch-size'], '--batch-size', 1, 1000);
  const concurrency = integerFlag(values.concurrency, '--concurrency', 1, 64);
  const fromName = /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : /\.csv$/i.test(path) ? 'csv' : undefined;
  const chosen = choiceFlag(values.format, '--format', ['csv', 'jsonl', 'paxlst'] as const) as Format | undefined;
  const format: Format | undefined = chosen ?? fromName;
  const failOn = choiceFlag(values['fail-on'], '--fail-on', FAIL_ON) ?? 'hit';
  const delimiter = delimiterFlag(values.delimiter);
  const notCsv = (what: string) => new UsageError(`--delimiter goes with a CSV manifest: the input is ${what}`);
  if (delimiter !== undefined && format === 'jsonl') throw notCsv('JSONL');
  if (delimiter !== undefined && format === 'paxlst') throw notCsv('a PAXLST');
  if (values['cusres-reference'] !== undefined && !/^[A-Za-z0-9]{1,14}$/.test(values['cusres-reference'])) {
    throw new UsageError('--cusres-reference must be 1 to 14 letters or digits');
  }
  if (values['cusres-reference'] !== undefined && values.cusres === undefined) throw new UsageError('--cusres-reference goes with --cusres FILE');
  const ignored = new Set((values['ignore-column'] ?? []).map(headerKey));

  const input: Readable = path === '-' ? process.stdin : await openManifest(path);
  let out: Writable = process.stdout;
  let outError: unknown;
  if (values.out !== undefined) {
    out = createWriteStream(values.out);
    try {
      await once(out, 'open');
    } catch (err) {
      input.destroy();
      throw new UsageError(fileError('cannot write the file given to --out', values.out, writeProblem(err)));
    }
    out.on('error', (err) => (outError ??= err));
  }
  // A PAXLST is told by its first segment (UNA or UNB), whatever the file is called, and read whole before anything
  // is screened: a message cut short or miscounted is refused (exit 4), not half screened.
  const sniffed = chosen === 'csv' || chosen === 'jsonl' ? { edifact: false, stream: input } : await sniffEdifact(input);
  let manifest: PaxlstManifest | undefined;
  if (sniffed.edifact && delimiter !== undefined) throw notCsv('a PAXLST');
  if (sniffed.edifact || format === 'paxlst') manifest = await readPaxlst(sniffed.stream as AsyncIterable<Buffer>);
  if (values.cusres !== undefined && manifest === undefined) throw new UsageError('--cusres answers a PAXLST manifest: the input is not one');
  const travellers = new Map<string, PaxlstTraveller>(manifest?.travellers.map((t) => [String(t.index), t]));
  const outcomes = new Map<string, BatchOutcome | Rejected>();
  const toStdout = values.out === undefined;
  const summaryStream = toStdout ? process.stderr : process.stdout;
  const showProgress = values['no-progress'] !== true && process.stderr.isTTY === true && !(toStdout && process.stdout.isTTY);

  const { client, demo } = await connect(values);
  const rejected: Rejected[] = [];
  const tally: Tally = { summary: summarize([]), exitCode: EXIT.NO_HIT, screened: 0, sourcesAsked: {}, boarding: { BOARD: 0, NO_BOARD: 0, CONTACT: 0 } };
  const started = performance.now();
  const stop = new AbortController();
  const reading: Reading = { rows: 0, countOnly: false, ended: false };
  let signalled = false;
  // Whether standard input had ended when Ctrl-C stopped the run: destroyed then, it ends whether it had or not.
  let stdinEnded = false;
  // Ctrl-C: stop sending, and stop waiting for input that may never come (stdin from a pipe that stays open). A file
  // is kept open: its rest is counted for the summary.
  const onSignal = () => {
    signalled = true;
    stop.abort();
    if (input === process.stdin) {
      stdinEnded = reading.ended;
      input.destroy();
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // The first 401 or 403 stops the run: every later request would be refused the same way, and a gateway that counts
  // refused logins may lock the account. No row is read after it: the requests under way end (each row with its error;
  // rows checkMany had read already may still go out in one), and the rest of a file is counted, never sent. Standard
  // input is not read on (it may never end): the run is aborted there and then.
  let refused: BorderlinkError | undefined;
  const refuse = (err: BorderlinkError) => {
    refused = err;
    if (input !== process.stdin) {
      reading.countOnly = true;
      return;
    }
    stdinEnded = reading.ended;
    stop.abort();
    input.destroy();
  };

  let bar: SingleBar | undefined;
  const total = manifest !== undefined ? manifest.travellers.length : showProgress && path !== '-' ? await countLines(path).then((n) => Math.max(0, n - (format === 'jsonl' ? 0 : 1))) : undefined;
  if (showProgress) {
    const demoMark = demo ? `${DEMO_PREFIX} ` : '';
    bar = new cliProgress.SingleBar({
      format:
        total !== undefined
          ? `${demoMark}screening {bar} {percentage}% | {value}/{total} rows | {rate} rows/s | hits {hits} | ETA {remaining}`
          : `${demoMark}screening {value} rows | {rate} rows/s | hits {hits}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      gracefulExit: false,
    });
    bar.start(total ?? 0, 0, { rate: 0, hits: 0, remaining: '…' });
  }

  const write = async (text: string) => {
    try {
      if (outError === undefined && !out.write(text)) await once(out, 'drain');
    } catch (err) {
      outError ??= err;
    }
    if (outError !== undefined) throw new OutputError('the JSON lines could not be written');
  };
  const emit = async (row: BatchOutcome | Rejected) => {
    addRow(tally, row.error !== undefined ? { id: row.id ?? '', error: row.error } : row, failOn);
    if (row.error !== undefined && refused === undefined && isAccessRefused(row.error)) refuse(row.error);
    let boarding: BoardingAnswer | undefined;
    if (manifest !== undefined) {
      const traveller = row.id === null ? undefined : travellers.get(row.id);
      boarding = boardingAnswer(row.error !== undefined ? { error: row.error, traveller } : { result: row.result, traveller });
      tally.boarding[boarding]++;
      if (row.id !== null) outcomes.set(row.id, row);
    }
    await write(`${outputLine(row, demo, boarding)}\n`);
    if (bar !== undefined) {
      const s = tally.summary;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? s.total / seconds : 0;
      if (total !== undefined && s.total > total) bar.setTotal(s.total);
      // From the rate since the start: steadier than cli-progress's own ETA over its last few updates.
      const remaining = total !== undefined && rate > 0 ? formatSeconds(Math.max(0, total - s.total) / rate) : '…';
      bar.update(s.total, { rate: Math.round(rate), hits: s.byVerdict.HIT + s.byVerdict.POSSIBLE_HIT, remaining });
    }
  };
  const drainRejected = async () => {
    while (rejected.length > 0) await emit(rejected.shift()!);
  };

  let unanswered: Unanswered | undefined;
  try {
    const items = manifest !== undefined ? undefined : manifestItems(linePieces(sniffed.stream), format === 'paxlst' ? undefined : format, ignored, rejected, delimiter, reading);
    const rows = client.checkMany(items !== undefined ? detached(items) : untilCounting(paxlstItems(manifest!, rejected), reading), {
      signal: stop.signal,
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
    try {
      for await (const row of rows) {
        await drainRejected();
        await emit(row);
      }
      await drainRejected();
    } catch (err) {
      // Stopped by Ctrl-C, a refused access or a failed --out: the summary so far is still printed. A refused
      // manifest is not a stop.
      if (!(err instanceof OutputError) && (!stop.signal.aborted || err instanceof UsageError)) throw err;
    }
    if (stop.signal.aborted || outError !== undefined || refused !== undefined) {
      unanswered = manifest !== undefined
        ? { count: manifest.travellers.length - tally.summary.total, of: manifest.travellers.length, whole: true, rest: 'the file' }
        : await countUnanswered(items!, reading, tally.summary.total, path === '-' ? { stdinEnded: signalled || refused !== undefined ? stdinEnded : reading.ended } : { stop: () => input.destroy() });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar?.stop();
    if (input !== process.stdin) input.destroy();
    await client.close();
    if (out !== process.stdout) {
      await new Promise<void>((resolve) =>
        out.end((err?: unknown) => {
          if (err) outError ??= err;
          resolve();
        }),
      );
    }
  }
  // Written after an interruption too: a traveller without an answer is "contact", never "board".
  if (values.cusres !== undefined && manifest !== undefined) await writeCusres(values.cusres, manifest, outcomes, values['cusres-reference'], demo);
  const seconds = (performance.now() - started) / 1000;
  const paint = createPaint(colourWanted(summaryStream));
  // Rows may be missing from the file: exit 6, never the verdict of the rows that were written.
  const exitCode = outError !== undefined ? EXIT.UNEXPECTED : signalled ? 130 : exitCodeOf(tally);
  const notes: SummaryNotes = {
    warnings: manifest?.warnings,
    refused,
    unanswered,
    boarding: manifest !== undefined,
    exit: { code: exitCode, failOn, ranked: exitCodeOf(tally) },
  };
  summaryStream.write(`${summaryText(tally, seconds, demo, paint, notes)}\n`);
  if (outError !== undefined) {
    const code = (outError as { code?: unknown }).code;
    throw new OutputError(`the JSON lines could not all be written to the file given to --out${typeof code === 'string' && /^E[A-Z]{1,20}$/.test(code) ? ` (${code})` : ''}`);
  }
  return exitCode;
}

/**
 * The rows of a stopped run that have no answer: those read and not answered, and, in a file, the rest of it, counted
 * without being checked. A second Ctrl-C while it counts stops the count (`stop` closes the file; the summary then
 * says the rest was not counted). Standard input is not read on: it may never end.
 */
async function countUnanswered(
  items: AsyncGenerator<BatchItem>,
  reading: Reading,
  answered: number,
  input: { stop: () => void } | { stdinEnded: boolean },
): Promise<Unanswered> {
  const unanswered = (whole: boolean, rest: Unanswered['rest']): Unanswered => ({ count: Math.max(0, reading.rows - answered), of: reading.rows, whole, rest });
  if ('stdinEnded' in input) return unanswered(input.stdinEnded, 'standard input');
  if (!reading.ended) {
    reading.countOnly = true;
    process.once('SIGINT', input.stop);
    try {
      while (!(await items.next()).done);
    } catch {
      // The file closed by a second Ctrl-C, or a manifest that breaks further on: the rows read so far are counted.
    } finally {
      process.off('SIGINT', input.stop);
    }
  }
  return unanswered(reading.ended, 'the file');
}
