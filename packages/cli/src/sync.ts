// `borderlink sync --store PATH`: brings the offline copy up to date from the gateway, one source after the other (a
// full snapshot the first time, deltas after), then sends again online the checks the copy answered meanwhile, so a
// record entered while the link was down comes out as a late hit.
import cliProgress, { type SingleBar } from 'cli-progress';
import { SOURCES, type LateHitEvent, type Source, type SourceSyncResult } from 'borderlink';
import { COMMON_OPTIONS, UsageError, expectPositionals, parseFlags } from './args';
import { CONNECTION_OPTIONS, DEMO_NOTICE, connect, demoWanted } from './connection';
import { ageText, copyAgeMs } from './copy-age';
import { EXIT, exitCodeForError } from './exit-codes';
import { DEMO_PREFIX, humanText, jsonLine, terminalSafe } from './output';
import { openStore, storeFor, type CommandStore } from './store';
import { colourWanted, createPaint, type Paint } from './terminal';

export const OPTIONS = {
  ...COMMON_OPTIONS,
  ...CONNECTION_OPTIONS,
  store: { type: 'string' },
  sources: { type: 'string' },
  json: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  'allow-shrink': { type: 'boolean' },
} as const;

/** `--sources SLTD,TDAWN`: known sources, any case, each once, in the order given. */
export function sourcesFlag(value: string | undefined): Source[] | undefined {
  if (value === undefined) return undefined;
  const sources: Source[] = [];
  for (const part of value.split(',')) {
    const name = part.trim().toUpperCase();
    const source = SOURCES.find((s) => s === name);
    if (source === undefined) throw new UsageError(`--sources takes ${SOURCES.join(', ')}, separated by commas`);
    if (!sources.includes(source)) sources.push(source);
  }
  return sources;
}

/** Where the progress goes: a bar on a terminal, JSON lines otherwise, or nowhere. */
type Progress = 'bar' | 'json-lines' | 'none';

/** A progress bar per source, one after the other, on stderr. */
function progressBar(sources: readonly Source[], demo: boolean) {
  const demoMark = demo ? `${DEMO_PREFIX} ` : '';
  const bar: SingleBar = new cliProgress.SingleBar({
    format: `${demoMark}syncing {source} ({index} of {count}) · {value} changes applied · {rate} changes/s`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    gracefulExit: false,
  });
  let started = performance.now();
  const payload = (source: Source, changes: number) => {
    const seconds = (performance.now() - started) / 1000;
    return { source, index: sources.indexOf(source) + 1, count: sources.length, rate: seconds > 0 ? Math.round(changes / seconds) : 0 };
  };
  bar.start(0, 0, payload(sources[0]!, 0));
  return {
    progress(source: Source, changes: number) {
      bar.update(changes, payload(source, changes));
    },
    done(source: Source) {
      const next = sources[sources.indexOf(source) + 1];
      if (next === undefined) return;
      started = performance.now();
      bar.update(0, payload(next, 0));
    },
    stop() {
      bar.stop();
    },
  };
}

function sourceLine(result: SourceSyncResult, store: CommandStore, paint: Paint): string {
  const name = `  ${result.source.padEnd(9)}`;
  if (result.ok) {
    const state = store.state(result.source);
    const age = state === undefined ? '' : ` · age ${ageText(copyAgeMs(state))}`;
    const kind = result.full ? 'full snapshot' : 'delta';
    const changes = `${result.changes} ${result.changes === 1 ? 'change' : 'changes'}`;
    const records = `${result.recordCount} ${result.recordCount === 1 ? 'record' : 'records'}`;
    return `${name}${paint.green('synced'.padEnd(9))}${kind} · ${changes} · ${records} · data as of ${result.dataAsOf}${age}`;
  }
  // The copy of a failed source is what it was: say which, so a partial sync cannot pass for a whole one.
  let before: string;
  try {
    const state = store.state(result.source);
    before = state === undefined ? 'never synced' : `as synced ${state.syncedAt} (age ${ageText(copyAgeMs(state))})`;
  } catch {
    before = 'unknown';
  }
  return `${name}${paint.red('FAILED'.padEnd(9))}${result.error.code}: ${result.error.message} — its copy is ${before}`;
}

function lateHitLine(event: LateHitEvent, paint: Paint): string {
  const where = event.locationId !== undefined ? ` at ${event.locationId}` : '';
  const records = event.records.map((r) => `${r.source} ${r.recordId}`).join(', ');
  return [
    `${paint.enabled ? paint.banner('LATE HIT', 'red') : 'LATE HIT'} ${paint.bold(`— online ${event.verdict} for a check the copy answered: ${records}`)}`,
    `  checked ${event.checkedAt} by ${event.operatorId} for ${event.authorityId}${where} · request ${event.requestId} · re-screen request ${event.rescreenRequestId}`,
  ].join('\n');
}

export async function runSync(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  expectPositionals(positionals, 0, 'sync');
  const sources = sourcesFlag(values.sources) ?? [...SOURCES];
  const demo = demoWanted(values);
  const inner = await openStore(values.store, '--store', { create: true });
  let store: CommandStore;
  let connection;
  try {
    store = storeFor(inner, '--store', { demo, rescreen: true });
    connection = await connect(values, process.env, { offline: { store, sources } });
  } catch (err) {
    inner.close();
    throw err;
  }
  const { client } = connection;
  const json = values.json === true;
  const progress: Progress = json ? 'json-lines' : values['no-progress'] === true ? 'none' : process.stderr.isTTY ? 'bar' : 'json-lines';
  // With --json everything is a JSON line on stdout; otherwise progress lines go to stderr, beside the text on stdout.
  const progressOut = json ? process.stdout : process.stderr;
  const bar = progress === 'bar' ? progressBar(sources, demo) : undefined;
  const lateHits: LateHitEvent[] = [];
  client.on('syncProgress', (e) => {
    bar?.progress(e.source, e.changes);
    if (progress === 'json-lines') progressOut.write(`${jsonLine(e, demo)}\n`);
  });
  for (const type of ['sync', 'syncFailed'] as const) {
    client.on(type, (e) => {
      bar?.done(e.source);
      if (json) process.stdout.write(`${jsonLine(e, demo)}\n`);
    });
  }
  client.on('lateHit', (e) => {
    lateHits.push(e);
    if (json) process.stdout.write(`${jsonLine(e, demo)}\n`);
  });

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let results: SourceSyncResult[];
  let rescreened = 0;
  try {
    try {
      results = await client.offline!.sync({ sources, signal: stop.signal, allowShrink: values['allow-shrink'] === true });
      // The gateway answered: what the copy answered meanwhile goes online now (joined if the sync started it).
      if (results.some((r) => r.ok) && !stop.signal.aborted) rescreened = await client.offline!.rescreen();
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      bar?.stop();
      await client.close();
    }
    const failed = results.filter((r): r is Extract<SourceSyncResult, { ok: false }> => !r.ok);
    if (json) {
      const summary = {
        type: 'summary',
        sources: results.map((r) => (r.ok ? r : { source: r.source, ok: false, error: { code: r.error.code, message: r.error.message } })),
        rescreened,
        lateHits: lateHits.length,
      };
      process.stdout.write(`${jsonLine(summary, demo)}\n`);
    } else {
      const paint = createPaint(colourWanted(process.stdout));
      // Error messages and record ids can hold the gateway's text.
      const safe = terminalSafe({ results, lateHits });
      const synced = results.length - failed.length;
      const lines = [
        paint.bold(`${demo ? 'Synced the demo dataset' : 'Synced the offline copy'}: ${synced} of ${results.length} ${results.length === 1 ? 'source' : 'sources'}${stop.signal.aborted ? ' (stopped)' : ''}`),
      ];
      if (demo) lines.push(paint.yellow(DEMO_NOTICE));
      lines.push(...safe.results.map((r) => sourceLine(r, store, paint)));
      if (!demo) {
        const late = lateHits.length === 0 ? 'no late hit' : `${lateHits.length} late ${lateHits.length === 1 ? 'hit' : 'hits'}`;
        lines.push('', `Re-screened online ${rescreened} ${rescreened === 1 ? 'check' : 'checks'} the copy had answered: ${late}`);
        for (const event of safe.lateHits) lines.push(lateHitLine(event, paint));
      }
      process.stdout.write(`${humanText(lines.join('\n'), demo, paint)}\n`);
    }
    if (stop.signal.aborted) return 130;
    if (lateHits.length > 0) return EXIT.HIT;
    return failed.length > 0 ? exitCodeForError(failed[0]!.error) : 0;
  } finally {
    store.close();
  }
}
