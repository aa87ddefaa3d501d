// The `borderlink` command, loaded by main.ts. Exit codes in exit-codes.ts; errors are one line on stderr and never quote input.
import { BorderlinkError, InputError, MrzError } from 'borderlink';
import { VERSION } from 'borderlink';
import { UsageError } from './args';
import { runAudit } from './audit';
import { runCheck } from './check';
import { EXIT, exitCodeForError } from './exit-codes';
import { runGateway } from './gateway';
import { HELP } from './help';
import { runMrz } from './mrz';
import { runOutbox } from './outbox';
import { OutputError, jsonLine, stripUnsafe } from './output';
import { runScreen } from './screen';
import { runStore } from './store-command';
import { runSync } from './sync';
import { runRecord } from './record';
import { runConfirm } from './confirm';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  check: runCheck,
  screen: runScreen,
  sync: runSync,
  outbox: runOutbox,
  store: runStore,
  audit: runAudit,
  gateway: runGateway,
  mrz: runMrz,
  record: runRecord,
  confirm: runConfirm,
};

/** The one line an error gets: what went wrong and its code, from messages that hold no searched value. */
export function errorLine(err: unknown): string {
  if (err instanceof MrzError) {
    const errors = err.mrzIssues.filter((i) => i.severity === 'error');
    const where = errors.map((i) => `${i.code}${i.field ? ` in ${i.field}` : ''} (line ${i.line + 1})`).join(', ');
    return `the MRZ is invalid: ${where || err.code}; see it with "borderlink mrz parse", or check it as read with --allow-invalid-mrz`;
  }
  if (err instanceof InputError && err.issues.length > 0) {
    return `invalid input: ${err.issues.map((i) => `${i.path} ${i.message}`).join('; ')} (${err.code})`;
  }
  if (err instanceof BorderlinkError) {
    const request = err.requestId !== undefined && err.code !== 'INVALID_INPUT' && err.code !== 'INVALID_CONFIG' ? `, request ${err.requestId}` : '';
    return `${err.message} (${err.code}${request})`;
  }
  if (err instanceof UsageError || err instanceof OutputError) return err.message;
  if ((err as { code?: unknown } | null)?.code === 'EPIPE') return 'the output was closed before the end (EPIPE)';
  // Not ours: its message could quote anything, so only its kind is shown.
  const kind = err instanceof Error ? ((err as { code?: unknown }).code ?? err.name) : typeof err;
  return `unexpected failure (${String(kind)}); run again with --debug for details`;
}

export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${HELP.main}\n`);
    return EXIT.USAGE;
  }
  if (command === '--help' || command === '-h') {
    process.stdout.write(`${HELP.main}\n`);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'help') {
    const topic = rest.join(' ');
    // Own keys only: `help constructor` is no topic.
    const text = Object.hasOwn(HELP, topic || 'main') ? HELP[topic || 'main'] : undefined;
    if (text === undefined) throw new UsageError('no help on that: try borderlink --help');
    process.stdout.write(`${text}\n`);
    return 0;
  }
  const handler = COMMANDS[command];
  if (handler === undefined) throw new UsageError(`unknown command${/^[a-z-]{1,20}$/.test(command) ? ` ${command}` : ''} (see borderlink --help)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    const sub = rest[0] !== undefined && Object.hasOwn(HELP, `${command} ${rest[0]}`) ? `${command} ${rest[0]}` : command;
    process.stdout.write(`${HELP[sub] ?? HELP.main}\n`);
    return 0;
  }
  return handler(rest);
}

/** Longer than any message of ours: a bound on what an error line can carry. */
const MAX_ERROR_LINE = 2000;

/** The line of an error as printed: from errorLine(), without control characters (it may carry gateway text), bounded. */
function printedLine(err: unknown): string {
  let line: string;
  try {
    line = stripUnsafe(errorLine(err));
  } catch {
    line = 'unexpected failure; run again with --debug for details';
  }
  return line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}…` : line;
}

/**
 * A throw outside every promise chain (an 'error' event nobody listens to, a callback) or a promise nobody awaits:
 * Node's default prints a stack and exits 1, which a script reads as HIT. Here it is one line and exit 6.
 */
function exitOnCrash(debug: boolean): void {
  let crashed = false;
  const crash = (err: unknown) => {
    // Reporting can fail too (stderr closed): one attempt, then exit, so the code is 6 whatever happens.
    if (crashed) return;
    crashed = true;
    try {
      process.stderr.write(`borderlink: ${printedLine(err)}\n`);
      if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    } catch {
      // Nothing more can be said.
    }
    process.exit(EXIT.UNEXPECTED);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/** Under NODE_ENV=test only: a failure planted outside every promise chain, so the tests can prove exitOnCrash. */
function plantTestFault(env: NodeJS.ProcessEnv): void {
  if (env.NODE_ENV !== 'test') return;
  const fault = env.__BORDERLINK_TEST_FAULT;
  const planted = () => new Error('planted failure L898902C3 ERIKSSON');
  if (fault === 'uncaught') {
    setImmediate(() => {
      throw planted();
    });
  } else if (fault === 'rejection') {
    void Promise.reject(planted());
  }
}

/** Runs the command line of this process and sets its exit code. */
export async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const debug = argv.includes('--debug');
  exitOnCrash(debug);
  // The reader went away (`borderlink screen … | head`): say so once and stop, rather than crash on the next write.
  process.stdout.on('error', (err) => {
    process.stderr.write(`borderlink: ${printedLine(err)}\n`);
    process.exit(EXIT.UNEXPECTED);
  });
  plantTestFault(process.env);
  try {
    process.exitCode = await run(argv);
  } catch (err) {
    const line = printedLine(err);
    process.stderr.write(`borderlink: ${line}\n`);
    if (argv.includes('--json')) {
      const code = err instanceof BorderlinkError ? err.code : err instanceof UsageError ? 'USAGE' : 'UNEXPECTED';
      process.stdout.write(`${jsonLine({ error: { code, message: line } }, false)}\n`);
    }
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = exitCodeForError(err);
  }
}

