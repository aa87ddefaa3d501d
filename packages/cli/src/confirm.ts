// `borderlink confirm HIT_ID [--urgent] [--wait]`: asks the country that owns a hit's record to confirm it and, with
// --wait, follows the answer live (a status line on a terminal, one line per change otherwise); the exit code says
// the final state. `--resume CONFIRMATION_ID` takes up one asked before.
import { readClientEnv, type Confirmation, type ConfirmationRequestState } from 'borderlink';
import { COMMON_OPTIONS, UsageError, expectPositionals, parseFlags } from './args';
import { CONNECTION_OPTIONS, DEMO_NOTICE, connect } from './connection';
import { CONFIRMATION_EXIT } from './exit-codes';
import { humanText, jsonLine, shellWord } from './output';
import { pendingLine, renderFinal } from './render-second-line';
import { colourWanted, createPaint } from './terminal';

export const OPTIONS = {
  ...COMMON_OPTIONS,
  ...CONNECTION_OPTIONS,
  json: { type: 'boolean' },
  urgent: { type: 'boolean' },
  reason: { type: 'string' },
  wait: { type: 'boolean' },
  resume: { type: 'string' },
} as const;

/** What the owner is told when no --reason is given. */
const DEFAULT_REASON = 'Hit confirmation requested through the borderlink command';
/** Where the subject is held in the demo, which has no location of its own. */
const DEMO_LOCATION = 'UTO-DEMO';

export async function runConfirm(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  const resume = values.resume;
  if (resume !== undefined) {
    expectPositionals(positionals, 0, 'confirm --resume CONFIRMATION_ID');
    for (const flag of ['urgent', 'reason'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to confirm --resume: the request was made`);
  } else {
    expectPositionals(positionals, 1, 'confirm HIT_ID');
    if (positionals[0] === undefined) throw new UsageError('confirm needs the HIT_ID a check answered (or --resume CONFIRMATION_ID)');
  }
  const { client, demo } = await connect(values);
  const json = values.json === true;
  const paint = createPaint(colourWanted(process.stdout));
  const live = !json && process.stdout.isTTY === true;
  const out = (text: string) => process.stdout.write(`${humanText(text, demo, paint)}\n`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let confirmation: Confirmation;
    if (resume !== undefined) {
      confirmation = await client.resumeConfirmation(resume, { signal: stop.signal });
    } else {
      const locationId = values.location ?? readClientEnv(process.env).context.locationId ?? (demo ? DEMO_LOCATION : undefined);
      if (locationId === undefined) throw new UsageError('confirm needs --location ID (or BORDERLINK_LOCATION): where the subject is held');
      confirmation = await client.requestConfirmation(
        { hitId: positionals[0]! },
        { priority: values.urgent ? 'URGENT' : 'ROUTINE', reason: values.reason ?? DEFAULT_REASON, locationId },
        { signal: stop.signal },
      );
    }
    if (json) process.stdout.write(`${jsonLine({ type: resume !== undefined ? 'resumed' : 'requested', ...confirmation.toJSON() }, demo)}\n`);
    else {
      const head = resume !== undefined ? 'Taken up again:' : 'Asked the owner country to confirm the hit:';
      out([...(demo ? [paint.yellow(DEMO_NOTICE)] : []), paint.bold(head), `  ${pendingLine(confirmation.toJSON(), paint)}`].join('\n'));
    }
    if (!values.wait) {
      const state = confirmation.state;
      if (!json && state === 'PENDING') out(paint.dim(`Follow it with: borderlink confirm --resume ${shellWord(confirmation.confirmationId)} --wait`));
      else if (!json) out(renderFinal(confirmation.toJSON(), paint));
      return CONFIRMATION_EXIT[state];
    }
    confirmation.on('confirmation', (event) => {
      if (json) process.stdout.write(`${jsonLine(event, demo)}\n`);
      else if (event.to === 'PENDING') {
        const line = `  ${pendingLine(confirmation.toJSON(), paint)} ${paint.dim('(no answer by the deadline: asked again)')}`;
        if (live) process.stdout.write(`\r\u001b[2K${humanText(line, demo, paint)}`);
        else out(line);
      }
    });
    if (live) process.stdout.write(`${humanText(`  ${pendingLine(confirmation.toJSON(), paint)} ${paint.dim('waiting…')}`, demo, paint)}`);
    let state: ConfirmationRequestState;
    try {
      state = await confirmation.wait({ signal: stop.signal });
    } catch (err) {
      if (live) process.stdout.write('\n');
      if (!stop.signal.aborted) throw err;
      const id = shellWord(confirmation.confirmationId);
      if (json) process.stdout.write(`${jsonLine({ type: 'stopped', ...confirmation.toJSON() }, demo)}\n`);
      else out(paint.yellow(`Stopped waiting; the owner may still answer. Take it up again with: borderlink confirm --resume ${id} --wait`));
      return 130;
    }
    if (live) process.stdout.write('\n');
    if (json) process.stdout.write(`${jsonLine({ type: 'final', ...confirmation.toJSON() }, demo)}\n`);
    else out(renderFinal(confirmation.toJSON(), paint));
    return CONFIRMATION_EXIT[state];
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client.close();
  }
}
