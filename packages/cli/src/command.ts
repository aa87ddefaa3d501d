// The `borderlink` command, loaded by main.ts. Exit codes in exit-codes.ts; errors are one line on stderr and never quote input.
import { BorderlinkError, InputError, MrzError } from 'borderlink';
import { VERSION } from 'borderlink';
import { UsageError, nearestName } from './args';
import { COMMANDS, MAIN_HELP, commandNamed, helpOf, type Command } from './commands';
import { EXIT, exitCodeForError } from './exit-codes';
import { OutputError, jsonLine, stripUnsafe } from './output';

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

/** A word typed where a command goes may be printed when it is shaped like one (not a value typed by mistake). */
const COMMAND_SHAPE = /^[a-z-]{1,20}$/;

/** `store sync`: sync is no subcommand of store but a command of its own, which the message may say. */
function elsewhere(word: string | undefined): string {
  return commandNamed(word) !== undefined ? `; ${word} is a command of its own: borderlink help ${word}` : '';
}

/** A word that names no subcommand of `command`: the subcommands there are, never the word (unless it is a command). */
function noSubcommand(command: Command, word: string | undefined): UsageError {
  const names = (command.subcommands ?? []).map((s) => s.name);
  const choices = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
  return new UsageError(`${command.name} takes ${choices} (see borderlink help ${command.name})${elsewhere(word)}`);
}

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`${MAIN_HELP}\n`);
    return EXIT.USAGE;
  }
  if (name === '--help' || name === '-h') {
    process.stdout.write(`${MAIN_HELP}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (name === 'help') {
    const text = helpOf(rest);
    if (text === undefined) throw new UsageError(`no help on that: try borderlink --help${rest.length === 2 ? elsewhere(rest[1]) : ''}`);
    process.stdout.write(`${text}\n`);
    return 0;
  }
  const command = commandNamed(name);
  if (command === undefined) {
    // Named only when near a command: a lower-case word of no command may be a name typed first by mistake.
    const near = COMMAND_SHAPE.test(name) ? nearestName(name, COMMANDS.map((c) => c.name)) : undefined;
    const shown = near !== undefined ? name : undefined;
    throw new UsageError(`unknown command${shown !== undefined ? ` ${shown}` : ''}${near !== undefined ? ` (did you mean ${near}?)` : ''} (see borderlink --help)`);
  }
  // `X --help` and `X SUB --help` (anywhere after the name) print the help `help X [SUB]` prints.
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  const sub = command.subcommands?.find((s) => s.name === rest[0]);
  if (sub !== undefined) return sub.run(rest.slice(1));
  if (command.run === undefined) throw noSubcommand(command, rest[0]);
  return command.run(rest);
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

