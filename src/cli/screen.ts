// `borderlink screen`: a manifest streamed line by line through client.checkMany, one JSON line out per row.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import cliProgress, { type SingleBar } from 'cli-progress';
import { BorderlinkError, ConfigError, InputError } from '../errors/index';
import { summarize, type BatchItem, type BatchOutcome, type BatchSummary } from '../queries/batch';
import type { Verdict } from '../queries/types';
import { COMMON_OPTIONS, UsageError, choiceFlag, expectPositionals, integerFlag, parseFlags } from './args';
import { CONNECTION_OPTIONS, DEMO_NOTICE, connect } from './connection';
import { EXIT, exitCodeForVerdict, worseExitCode } from './exit-codes';
import { CsvRecordParser, fieldOfHeader, rowOfJson, subjectsOfRow, type ManifestField, type ManifestRow } from './manifest';
import { colourWanted, createPaint, type Paint } from './terminal';

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...CONNECTION_OPTIONS,
  out: { type: 'string', short: 'o' },
  format: { type: 'string' },
  'batch-size': { type: 'string' },
  concurrency: { type: 'string' },
  'no-progress': { type: 'boolean' },
} as const;

type Format = 'csv' | 'jsonl';

/** A row the screen could not turn into a check: answered at once, beside the stream checkMany answers. */
type Rejected = { id: string; error: BorderlinkError };

/**
 * Manifest rows as BatchItems, pulled lazily by checkMany. Rows that cannot be read go to `rejected` instead, so
 * every row still comes out exactly once.
 */
async function* manifestItems(lines: AsyncIterable<string>, format: Format | undefined, rejected: Rejected[]): AsyncGenerator<BatchItem> {
  let columns: (ManifestField | undefined)[] | undefined;
  let kind = format;
  const csv = new CsvRecordParser();
  let rowNumber = 0;
  let first = true;
  for await (let line of lines) {
    if (first) {
      line = line.replace(/^\uFEFF/, '');
      first = false;
    }
    if (kind === undefined) {
      if (line.trim() === '') continue;
      kind = line.trimStart().startsWith('{') ? 'jsonl' : 'csv';
    }
    if (kind === 'jsonl') {
      if (line.trim() === '') continue;
      const id = String(++rowNumber);
      try {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw new InputError('The line is not JSON', [{ path: 'row', message: 'is not JSON' }]);
        }
        const { row, subjects } = rowOfJson(value);
        const rowId = typeof row.id === 'string' && row.id !== '' ? row.id : id;
        try {
          yield { id: rowId, subjects: subjects ?? subjectsOfRow(row) };
        } catch (err) {
          rejected.push({ id: rowId, error: asRowError(err) });
        }
      } catch (err) {
        rejected.push({ id, error: asRowError(err) });
      }
      continue;
    }
    const record = csv.line(line);
    if (record === undefined) continue;
    if (columns === undefined) {
      columns = record.map(fieldOfHeader);
      if (!columns.some((c) => c !== undefined && c !== 'id')) {
        throw new UsageError('the CSV header names no known column (document number, surname, mrz …; see --help)');
      }
      continue;
    }
    if (record.length === 1 && record[0]!.trim() === '') continue;
    const row: ManifestRow = {};
    columns.forEach((field, i) => {
      if (field !== undefined && record[i] !== undefined) row[field] = record[i];
    });
    const rowNumberId = String(++rowNumber);
    const id = typeof row.id === 'string' && row.id.trim() !== '' ? row.id.trim() : rowNumberId;
    let subjects;
    try {
      subjects = subjectsOfRow(row);
    } catch (err) {
      rejected.push({ id, error: asRowError(err) });
      continue;
    }
    yield { id, subjects };
  }
  if (csv.unterminated) rejected.push({ id: String(++rowNumber), error: new InputError('The manifest ends inside a quoted field', [{ path: 'row', message: 'has an unterminated quote' }]) });
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
  const code =
    row.error === undefined
      ? exitCodeForVerdict(row.result.verdict)
      : row.error instanceof InputError || row.error instanceof ConfigError
        ? EXIT.INCOMPLETE
        : EXIT.GATEWAY;
  tally.exitCode = worseExitCode(tally.exitCode, code);
}

function outputLine(row: BatchOutcome, demo: boolean): string {
  const base = demo ? { gateway: 'demo' } : {};
  if (row.error !== undefined) {
    return JSON.stringify({ id: row.id, verdict: null, hits: [], outcomes: [], error: { code: row.error.code, message: row.error.message }, ...base });
  }
  return JSON.stringify({ id: row.id, verdict: row.result.verdict, hits: row.result.hits, outcomes: row.result.outcomes, ...base });
}

function summaryText(summary: BatchSummary, seconds: number, demo: boolean, interrupted: boolean, paint: Paint): string {
  const v = summary.byVerdict;
  const rate = seconds > 0 ? Math.round(summary.total / seconds) : summary.total;
  const lines = [
    paint.bold(`${interrupted ? 'Stopped after' : 'Screened'} ${summary.total} rows in ${seconds.toFixed(1)} s (${rate} rows/s)`),
    `  ${paint.red(`HIT ${v.HIT}`)} · ${paint.yellow(`POSSIBLE_HIT ${v.POSSIBLE_HIT}`)} · ${paint.magenta(`INCOMPLETE ${v.INCOMPLETE}`)} · ${paint.green(`NO_HIT ${v.NO_HIT}`)} · errors ${summary.errors}`,
  ];
  const list = (record: Record<string, number>) => Object.entries(record).map(([k, n]) => `${k} ${n}`).join(', ');
  if (Object.keys(summary.hitsBySource).length > 0) lines.push(`  hits by source: ${list(summary.hitsBySource)}`);
  if (summary.errors > 0) lines.push(`  errors by code: ${list(summary.errorsByCode)}`);
  if (demo) lines.push(paint.yellow(DEMO_NOTICE));
  return lines.join('\n');
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function runScreen(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  expectPositionals(positionals, 1, 'screen');
  const path = positionals[0];
  if (path === undefined) throw new UsageError('screen needs a manifest file (.csv or .jsonl), or - for standard input');
  const batchSize = integerFlag(values['batch-size'], '--batch-size', 1, 1000);
  const concurrency = integerFlag(values.concurrency, '--concurrency', 1, 64);
  const fromName = /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : /\.csv$/i.test(path) ? 'csv' : undefined;
  const format: Format | undefined = (choiceFlag(values.format, '--format', ['csv', 'jsonl'] as const) as Format | undefined) ?? fromName;

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
  if (values.out !== undefined) {
    out = createWriteStream(values.out);
    try {
      await once(out, 'open');
    } catch {
      throw new UsageError('cannot write the file given to --out');
    }
  }
  const toStdout = values.out === undefined;
  const summaryStream = toStdout ? process.stderr : process.stdout;
  const showProgress = values['no-progress'] !== true && process.stderr.isTTY === true && !(toStdout && process.stdout.isTTY);

  const { client, demo } = await connect(values);
  const rejected: Rejected[] = [];
  const tally: Tally = { summary: summarize([]), exitCode: EXIT.NO_HIT };
  const started = performance.now();
  const stop = new AbortController();
  // Ctrl-C: stop sending, and stop waiting for input that may never come (stdin from a pipe that stays open).
  const onSignal = () => {
    stop.abort();
    lines?.close();
  };
  let lines: ReturnType<typeof createInterface> | undefined;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let bar: SingleBar | undefined;
  const total = showProgress && path !== '-' ? await countLines(path).then((n) => Math.max(0, n - (format === 'jsonl' ? 0 : 1))) : undefined;
  if (showProgress) {
    bar = new cliProgress.SingleBar({
      format:
        total !== undefined
          ? 'screening {bar} {percentage}% | {value}/{total} rows | {rate} rows/s | hits {hits} | ETA {remaining}'
          : 'screening {value} rows | {rate} rows/s | hits {hits}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      gracefulExit: false,
    });
    bar.start(total ?? 0, 0, { rate: 0, hits: 0, remaining: '…' });
  }

  const emit = async (row: BatchOutcome) => {
    addRow(tally, row);
    await write(out, `${outputLine(row, demo)}\n`);
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

  // readline drops lines emitted before its async iterator exists: create both together, right before reading.
  lines = createInterface({ input, crlfDelay: Infinity });
  const lineIterator = lines[Symbol.asyncIterator]();
  let interrupted = false;
  try {
    const rows = client.checkMany(manifestItems({ [Symbol.asyncIterator]: () => lineIterator }, format, rejected), {
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
    if (!stop.signal.aborted) throw err;
    interrupted = true;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar?.stop();
    lines.close();
    if (input !== process.stdin) input.destroy();
    await client.close();
    if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  const paint = createPaint(colourWanted(summaryStream));
  summaryStream.write(`${summaryText(tally.summary, seconds, demo, interrupted, paint)}\n`);
  return interrupted ? 130 : tally.exitCode;
}
