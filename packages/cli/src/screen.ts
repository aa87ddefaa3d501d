// `borderlink screen`: a manifest streamed line by line through client.checkMany, one JSON line out per row.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import cliProgress, { type SingleBar } from 'cli-progress';
import { BorderlinkError, ConfigError, InputError } from 'borderlink';
import { summarize, type BatchItem, type BatchOutcome, type BatchSummary } from 'borderlink';
import { SOURCES, type Source, type Verdict } from 'borderlink';
import { COMMON_OPTIONS, UsageError, choiceFlag, expectPositionals, integerFlag, parseFlags } from './args';
import { CONNECTION_OPTIONS, DEMO_NOTICE, connect } from './connection';
import { EXIT, exitCodeForVerdict, worseExitCode } from './exit-codes';
import { LineAssembler, MAX_LINE_BYTES, OVER_LONG, linePieces, type LinePiece } from './lines';
import {
  CsvRecordParser,
  MANIFEST_FIELDS,
  columnsOfHeader,
  headerKey,
  rowOfJson,
  shownColumn,
  subjectsOfRow,
  type JsonRow,
  type ManifestField,
  type ManifestRow,
} from './manifest';
import { DEMO_PREFIX, OutputError, humanText, jsonLine, terminalSafe } from './output';
import { paxlstItems, readPaxlst, sniffEdifact, writeCusres } from './paxlst';
import type { PaxlstManifest } from 'borderlink/manifests';
import { colourWanted, createPaint, type Paint } from './terminal';

const OPTIONS = {
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
} as const;

type Format = 'csv' | 'jsonl' | 'paxlst';

/**
 * A row the screen could not turn into a check: answered at once, beside the stream checkMany answers. `id` is null
 * when the row has no id of its own to answer under (missing, repeated, or the row unreadable in a manifest with ids).
 */
type Rejected = { id: string | null; row: number; error: BorderlinkError };

const overLong = () =>
  new InputError(`The row is longer than ${MAX_LINE_BYTES} bytes`, [{ path: 'row', message: `is longer than ${MAX_LINE_BYTES} bytes` }]);

/**
 * Manifest rows as BatchItems, pulled lazily by checkMany. Rows that cannot be read go to `rejected` instead, so
 * every row still comes out exactly once, and every id at most once.
 */
async function* manifestItems(
  pieces: AsyncIterable<LinePiece>,
  format: Format | undefined,
  ignored: ReadonlySet<string>,
  rejected: Rejected[],
): AsyncGenerator<BatchItem> {
  let kind = format;
  const csv = new CsvRecordParser();
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
    }
    if (kind === 'jsonl') {
      const text = line.add(piece);
      if (text === undefined || (text !== OVER_LONG && text.trim() === '')) continue;
      const row = ++rowNumber;
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
    csv.feed(piece.text, piece.bytes);
    if (!piece.end) continue;
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
      subjects = subjectsOfRow(fields);
    } catch (err) {
      rejected.push({ id, row, error: asRowError(err) });
      continue;
    }
    yield { id, subjects };
  }
  if (csv.unterminated) {
    unreadable(++rowNumber, new InputError('The manifest ends inside a quoted field', [{ path: 'row', message: 'has an unterminated quote' }]));
  }
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
}

/** summarize() of one row, added into the running totals: a manifest's rows are never all held in memory. */
function addRow(tally: Tally, row: BatchOutcome): void {
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
  const code =
    row.error === undefined
      ? exitCodeForVerdict(row.result.verdict)
      : row.error instanceof InputError || row.error instanceof ConfigError
        ? EXIT.INCOMPLETE
        : EXIT.GATEWAY;
  tally.exitCode = worseExitCode(tally.exitCode, code);
}

/** The run's exit code: the worst row, but never 0 (nor 3) when nothing was screened at all. */
function exitCodeOf(tally: Tally): number {
  return tally.screened === 0 && tally.exitCode !== EXIT.GATEWAY ? EXIT.NOTHING_SCREENED : tally.exitCode;
}

function outputLine(row: BatchOutcome | Rejected, demo: boolean): string {
  if (row.error !== undefined) {
    const at = 'row' in row ? { row: row.row } : {};
    return jsonLine({ id: row.id, ...at, verdict: null, hits: [], outcomes: [], error: { code: row.error.code, message: row.error.message } }, demo);
  }
  return jsonLine({ id: row.id, verdict: row.result.verdict, hits: row.result.hits, outcomes: row.result.outcomes }, demo);
}

function summaryText(tally: Tally, seconds: number, demo: boolean, interrupted: boolean, paint: Paint): string {
  // Error codes come from the gateway: untrusted like every gateway string.
  const summary = terminalSafe(tally.summary);
  const v = summary.byVerdict;
  const rate = seconds > 0 ? Math.round(summary.total / seconds) : summary.total;
  const lines = [
    paint.bold(`${interrupted ? 'Stopped after' : 'Screened'} ${summary.total} rows in ${seconds.toFixed(1)} s (${rate} rows/s)`),
    `  ${paint.red(`HIT ${v.HIT}`)} · ${paint.yellow(`POSSIBLE_HIT ${v.POSSIBLE_HIT}`)} · ${paint.magenta(`INCOMPLETE ${v.INCOMPLETE}`)} · ${paint.green(`NO_HIT ${v.NO_HIT}`)} · errors ${summary.errors}`,
  ];
  const list = (record: Record<string, number>) => Object.entries(record).map(([k, n]) => `${k} ${n}`).join(', ');
  // Which sources were asked for how many rows: a manifest whose documents were never checked cannot look clean.
  const asked = SOURCES.filter((source) => tally.sourcesAsked[source] !== undefined).map((source) => `${source} ${tally.sourcesAsked[source]}`);
  lines.push(`  sources asked: ${asked.length > 0 ? asked.join(' · ') : 'none'}`);
  if (Object.keys(summary.hitsBySource).length > 0) lines.push(`  hits by source: ${list(summary.hitsBySource)}`);
  if (summary.errors > 0) lines.push(`  errors by code: ${list(summary.errorsByCode)}`);
  if (tally.screened === 0 && !interrupted) lines.push(paint.magenta('  no row was screened: this is NOT a clear result'));
  if (demo) lines.push(paint.yellow(DEMO_NOTICE));
  return humanText(lines.join('\n'), demo, paint);
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

export async function runScreen(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  expectPositionals(positionals, 1, 'screen');
  const path = positionals[0];
  if (path === undefined) throw new UsageError('screen needs a manifest file (.csv or .jsonl), or - for standard input');
  const batchSize = integerFlag(values['batch-size'], '--batch-size', 1, 1000);
  const concurrency = integerFlag(values.concurrency, '--concurrency', 1, 64);
  const fromName = /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : /\.csv$/i.test(path) ? 'csv' : undefined;
  const format: Format | undefined = (choiceFlag(values.format, '--format', ['csv', 'jsonl', 'paxlst'] as const) as Format | undefined) ?? fromName;
  if (values['cusres-reference'] !== undefined && !/^[A-Za-z0-9]{1,14}$/.test(values['cusres-reference'])) {
    throw new UsageError('--cusres-reference must be 1 to 14 letters or digits');
  }
  if (values['cusres-reference'] !== undefined && values.cusres === undefined) throw new UsageError('--cusres-reference goes with --cusres FILE');
  const ignored = new Set((values['ignore-column'] ?? []).map(headerKey));

  let input: Readable;
  if (path === '-') input = process.stdin;
  else {
    input = createReadStream(path);
    try {
      await once(input, 'open');
    } catch {
      throw new UsageError('cannot read the manifest file');
    }
  }
  let out: Writable = process.stdout;
  let outError: unknown;
  if (values.out !== undefined) {
    out = createWriteStream(values.out);
    try {
      await once(out, 'open');
    } catch {
      throw new UsageError('cannot write the file given to --out');
    }
    out.on('error', (err) => (outError ??= err));
  }
  // A PAXLST is told by its first segment (UNA or UNB), whatever the file is called, and read whole before anything
  // is screened: a message cut short or miscounted is refused (exit 4), not half screened.
  const sniffed = values.format === 'csv' || values.format === 'jsonl' ? { edifact: false, stream: input } : await sniffEdifact(input);
  let manifest: PaxlstManifest | undefined;
  if (sniffed.edifact || format === 'paxlst') manifest = await readPaxlst(sniffed.stream as AsyncIterable<Buffer>);
  if (values.cusres !== undefined && manifest === undefined) throw new UsageError('--cusres answers a PAXLST manifest: the input is not one');
  const outcomes = new Map<string, BatchOutcome | Rejected>();
  const toStdout = values.out === undefined;
  const summaryStream = toStdout ? process.stderr : process.stdout;
  const showProgress = values['no-progress'] !== true && process.stderr.isTTY === true && !(toStdout && process.stdout.isTTY);

  const { client, demo } = await connect(values);
  const rejected: Rejected[] = [];
  const tally: Tally = { summary: summarize([]), exitCode: EXIT.NO_HIT, screened: 0, sourcesAsked: {} };
  const started = performance.now();
  const stop = new AbortController();
  // Ctrl-C: stop sending, and stop waiting for input that may never come (stdin from a pipe that stays open).
  const onSignal = () => {
    stop.abort();
    input.destroy();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

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
    addRow(tally, row.error !== undefined ? { id: row.id ?? '', error: row.error } : row);
    if (manifest !== undefined && row.id !== null) outcomes.set(row.id, row);
    await write(`${outputLine(row, demo)}\n`);
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

  let interrupted = false;
  try {
    const items = manifest !== undefined ? paxlstItems(manifest, rejected) : manifestItems(linePieces(sniffed.stream), format === 'paxlst' ? undefined : format, ignored, rejected);
    const rows = client.checkMany(items, {
      signal: stop.signal,
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
    for await (const row of rows) {
      await drainRejected();
      await emit(row);
    }
    await drainRejected();
    interrupted = stop.signal.aborted;
  } catch (err) {
    // Stopped by Ctrl-C or a failed --out: the summary so far is still printed. A refused manifest is not a stop.
    if (!(err instanceof OutputError) && (!stop.signal.aborted || err instanceof UsageError)) throw err;
    interrupted = true;
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
  summaryStream.write(`${summaryText(tally, seconds, demo, interrupted || outError !== undefined, paint)}\n`);
  // Rows may be missing from the file: exit 6, never the verdict of the rows that were written.
  if (outError !== undefined) {
    const code = (outError as { code?: unknown }).code;
    throw new OutputError(`the JSON lines could not all be written to the file given to --out${typeof code === 'string' && /^E[A-Z]{1,20}$/.test(code) ? ` (${code})` : ''}`);
  }
  return interrupted ? 130 : exitCodeOf(tally);
}
