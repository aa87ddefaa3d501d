// `borderlink store inventory|check --store PATH`: the inventory of the offline copy a state must keep (when each
// source was last synced, its cursor, record count and age), and SQLite's integrity check of the file.
import { SOURCES } from 'borderlink';
import { COMMON_OPTIONS, expectPositionals, parseFlags } from './args';
import { DEFAULT_MAX_STALENESS_HOURS, ageText, copyAgeMs } from './copy-age';
import { EXIT } from './exit-codes';
import { jsonLine, terminalSafe } from './output';
import { openStore, originOf, shownState } from './store';
import { colourWanted, createPaint } from './terminal';

export const OPTIONS = { ...COMMON_OPTIONS, store: { type: 'string' }, json: { type: 'boolean' } } as const;

/** Longer cursors are cut in the text (the JSON has them whole): they are opaque, and a gateway may make them long. */
const SHOWN_CURSOR = 40;

/** `borderlink store inventory`. */
export async function runStoreInventory(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  expectPositionals(positionals, 0, 'store inventory');
  const store = await openStore(values.store, '--store', { create: false });
  try {
    const now = Date.now();
    // Cursors, times and counts came from the gateway's snapshots.
    const states = terminalSafe(store.inventory());
    const pending = store.outbox.pendingCount();
    const rows = SOURCES.map((source) => {
      const raw = states.find((s) => s.source === source);
      if (raw === undefined) return { source, synced: false as const };
      const state = shownState(raw);
      const age = copyAgeMs(state, now);
      return {
        source,
        synced: true as const,
        origin: originOf(raw),
        syncedAt: state.syncedAt,
        cursor: state.cursor,
        recordCount: state.recordCount,
        dataAsOf: state.dataAsOf,
        ageSeconds: age === undefined ? null : Math.floor(age / 1000),
      };
    });
    if (values.json) {
      process.stdout.write(`${jsonLine({ sources: rows, outboxPending: pending }, false)}\n`);
      return 0;
    }
    const paint = createPaint(colourWanted(process.stdout));
    const synced = rows.filter((r) => r.synced).length;
    const lines = [paint.bold(`Offline copy: ${synced} of ${rows.length} sources synced`)];
    for (const row of rows) {
      const name = `  ${row.source.padEnd(9)}`;
      if (!row.synced) {
        lines.push(`${name}${paint.magenta('never synced')}`);
        continue;
      }
      const old = row.ageSeconds === null || row.ageSeconds > DEFAULT_MAX_STALENESS_HOURS * 3600;
      const age = `age ${ageText(row.ageSeconds === null ? undefined : row.ageSeconds * 1000)}`;
      const cursor = row.cursor.length > SHOWN_CURSOR ? `${row.cursor.slice(0, SHOWN_CURSOR)}…` : row.cursor;
      lines.push(`${name}${row.recordCount} ${row.recordCount === 1 ? 'record' : 'records'} · data as of ${row.dataAsOf} · last synced ${row.syncedAt} · ${old ? paint.magenta(`${age} (over ${DEFAULT_MAX_STALENESS_HOURS} h)`) : age}`);
      lines.push(`${' '.repeat(11)}${paint.dim(`cursor ${cursor}${row.origin === 'demo' ? ' · DEMO copy: synthetic data from the demo gateway' : ''}`)}`);
    }
    lines.push(`  outbox: ${pending} ${pending === 1 ? 'write' : 'writes'} pending`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** `borderlink store check`. */
export async function runStoreCheck(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  expectPositionals(positionals, 0, 'store check');
  const store = await openStore(values.store, '--store', { create: false });
  try {
    const report = store.checkIntegrity();
    if (values.json) {
      process.stdout.write(`${jsonLine(report, false)}\n`);
    } else {
      const paint = createPaint(colourWanted(process.stdout));
      // SQLite writes several findings into one row, a line each: split before the line breaks are stripped.
      const problems = terminalSafe(report.problems.flatMap((p) => p.split('\n')).filter((p) => p.trim() !== ''));
      const lines = report.ok
        ? [paint.green('The store file is whole (SQLite integrity_check: ok).')]
        : [paint.red(`SQLite integrity_check found ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: restore the file or sync a new one`), ...problems.map((p) => `  ${p}`)];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return report.ok ? 0 : EXIT.GATEWAY;
  } finally {
    store.close();
  }
}
