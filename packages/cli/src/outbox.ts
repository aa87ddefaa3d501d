// `borderlink outbox list|flush --store PATH`: the writes queued in the store's durable outbox, and their replay to
// the gateway under their own idempotency keys. A queued write's body holds personal data: it is never printed.
import type { OutboxEntry } from 'borderlink';
import { COMMON_OPTIONS, UsageError, expectPositionals, parseFlags } from './args';
import { CONNECTION_OPTIONS, connect, demoWanted } from './connection';
import { EXIT } from './exit-codes';
import { jsonLine, terminalSafe } from './output';
import { openStore } from './store';
import { colourWanted, createPaint, type Paint } from './terminal';

const LIST_OPTIONS = { ...COMMON_OPTIONS, store: { type: 'string' }, json: { type: 'boolean' } } as const;
export const FLUSH_OPTIONS = { ...LIST_OPTIONS, ...CONNECTION_OPTIONS } as const;

/** A queued write as the command shows it: its key, kind, when it was queued and how often it was tried; no body. */
function shown(entry: Pick<OutboxEntry, 'idempotencyKey' | 'kind' | 'attempts'> & { queuedAt: number | string }) {
  return terminalSafe({
    idempotencyKey: entry.idempotencyKey,
    kind: entry.kind,
    queuedAt: typeof entry.queuedAt === 'number' ? new Date(entry.queuedAt).toISOString() : entry.queuedAt,
    attempts: entry.attempts,
  });
}

function pendingLine(entry: ReturnType<typeof shown>, paint: Paint): string {
  return `  ${paint.yellow('pending'.padEnd(10))}${entry.idempotencyKey}  ${entry.kind.padEnd(10)} queued ${entry.queuedAt} · ${entry.attempts} ${entry.attempts === 1 ? 'attempt' : 'attempts'}`;
}

/** `borderlink outbox list`. */
export async function runOutboxList(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, LIST_OPTIONS);
  expectPositionals(positionals, 0, 'outbox list');
  const store = await openStore(values.store, '--store', { create: false });
  try {
    // Every queued write, a page at a time (a page holds at most 10,000).
    const pending: ReturnType<typeof shown>[] = [];
    for (let page = store.outbox.pending(10_000); page.length > 0; page = store.outbox.pending(10_000, page.at(-1)!.position)) {
      pending.push(...page.map(shown));
    }
    if (values.json) {
      for (const entry of pending) process.stdout.write(`${jsonLine(entry, false)}\n`);
      return 0;
    }
    const paint = createPaint(colourWanted(process.stdout));
    if (pending.length === 0) {
      process.stdout.write('The outbox is empty: no write waits for the gateway.\n');
      return 0;
    }
    const lines = [paint.bold(`${pending.length} ${pending.length === 1 ? 'write waits' : 'writes wait'} in the outbox, oldest first (borderlink outbox flush sends them):`)];
    lines.push(...pending.map((e) => pendingLine(e, paint)));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** `borderlink outbox flush`. */
export async function runOutboxFlush(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, FLUSH_OPTIONS);
  expectPositionals(positionals, 0, 'outbox flush');
  // The demo gateway would take every write and each would be marked delivered, reaching nobody: a lost report.
  if (demoWanted(values)) {
    throw new UsageError('outbox flush sends queued writes to a real gateway only: give --gateway URL and the context (--authority, --operator, --purpose); the demo gateway would take them and they would reach nobody');
  }
  const store = await openStore(values.store, '--store', { create: false });
  try {
    const { client } = await connect(values, process.env, { outbox: { store: store.outbox } });
    const json = values.json === true;
    const paint = createPaint(colourWanted(process.stdout));
    const out = (line: string) => process.stdout.write(`${line}\n`);
    try {
      const outbox = client.outbox!;
      if (outbox.pendingCount() === 0) {
        if (json) out(jsonLine({ type: 'summary', delivered: 0, rejected: 0, pending: 0 }, false));
        else out('The outbox is empty: nothing to send.');
        return 0;
      }
      client.on('delivered', (event) => {
        const e = terminalSafe(event);
        if (json) out(jsonLine(e, false));
        else out(`  ${paint.green('delivered'.padEnd(10))}${e.idempotencyKey}  ${e.kind.padEnd(10)} record ${e.recordId}${e.replayed ? ' (the gateway had it already: stored once)' : ''}`);
      });
      client.on('rejected', (event) => {
        const e = terminalSafe(event);
        if (json) out(jsonLine(e, false));
        else out(`  ${paint.red('REJECTED'.padEnd(10))}${e.idempotencyKey}  ${e.kind.padEnd(10)} ${e.code}: the gateway refused it for good; show it to a person (it is not sent again)`);
      });
      const result = await outbox.flush();
      // What still waits: the oldest page of it, and how many in all (result.pending).
      const pending = outbox.pending().map(shown);
      if (json) {
        for (const entry of pending) out(jsonLine({ type: 'pending', ...entry }, false));
        out(jsonLine({ type: 'summary', ...result }, false));
      } else {
        for (const entry of pending) out(pendingLine(entry, paint));
        if (result.pending > pending.length) out(`  … and ${result.pending - pending.length} more (borderlink outbox list shows them all)`);
        const still = result.pending > 0 ? `; ${result.pending} still pending: the gateway did not take ${result.pending === 1 ? 'it' : 'them'} now (flush again later; the keys stay the same)` : '';
        out(paint.bold(`Delivered ${result.delivered}, rejected ${result.rejected}${still}`));
      }
      return result.rejected > 0 || result.pending > 0 ? EXIT.GATEWAY : 0;
    } finally {
      await client.close();
    }
  } finally {
    store.close();
  }
}
