// The one table of the command's commands and subcommands: `run` dispatches by it, `help` answers by it, the main
// help lists it, and test/help-table.test.ts walks it (help of every entry, exit 0, with its usage). A command or a
// subcommand is added here, or it does not exist.
import { registerFlags } from './args';
import { OPTIONS as AUDIT_OPTIONS, runAuditVerify } from './audit';
import { OPTIONS as CHECK_OPTIONS, runCheck } from './check';
import { OPTIONS as CONFIRM_OPTIONS, runConfirm } from './confirm';
import { OPTIONS as GATEWAY_OPTIONS, runGateway } from './gateway';
import { HELP, mainHelp } from './help';
import { MAKE_OPTIONS, PARSE_OPTIONS, runMrzMake, runMrzParse } from './mrz';
import { FLUSH_OPTIONS, runOutboxFlush, runOutboxList } from './outbox';
import { OPTIONS as RECORD_OPTIONS, runRecord } from './record';
import { OPTIONS as SCREEN_OPTIONS, runScreen } from './screen';
import { OPTIONS as STORE_OPTIONS, runStoreCheck, runStoreInventory } from './store-command';
import { OPTIONS as SYNC_OPTIONS, runSync } from './sync';

/** Runs a command with the arguments after its name (and its subcommand's); resolves to the exit code. */
export type Runner = (args: string[]) => Promise<number>;

export interface Subcommand {
  readonly name: string;
  readonly run: Runner;
}

export interface Command {
  readonly name: string;
  /** The lines of the main help: what is typed after `borderlink`, and what it does. */
  readonly synopsis: readonly (readonly [usage: string, what: string])[];
  /** What `borderlink help NAME [SUB]` and `borderlink NAME [SUB] --help` print: its usage first. */
  readonly help: string;
  /** Runs what follows the name when it names no subcommand; a command without one is its subcommands only. */
  readonly run?: Runner;
  readonly subcommands?: readonly Subcommand[];
}

/** `check document …` is `check` itself, which reads the kind of subject from its first argument. */
const checkKind = (kind: string): Subcommand => ({ name: kind, run: (args) => runCheck([kind, ...args]) });

export const COMMANDS: readonly Command[] = [
  {
    name: 'check',
    synopsis: [
      ['check --mrz LINE1 LINE2 [LINE3]', 'check the document and holder of an MRZ'],
      ['check document|person|vehicle …', 'check one subject'],
      ['check … --offline-store PATH', 'answer from the copy when the gateway cannot'],
    ],
    help: HELP.check,
    run: runCheck,
    subcommands: [checkKind('document'), checkKind('person'), checkKind('vehicle')],
  },
  { name: 'record', synopsis: [['record SOURCE RECORD_ID', 'the full record a hit points to (second line)']], help: HELP.record, run: runRecord },
  { name: 'confirm', synopsis: [['confirm HIT_ID [--urgent] [--wait]', 'ask the owner country to confirm a hit']], help: HELP.confirm, run: runConfirm },
  {
    name: 'screen',
    synopsis: [['screen MANIFEST.csv|.jsonl|.edi|-', 'screen a manifest (CSV, JSONL, PAXLST), JSON lines out']],
    help: HELP.screen,
    run: runScreen,
  },
  { name: 'sync', synopsis: [['sync --store PATH [--sources …]', 'sync the offline copy, re-screen what it answered']], help: HELP.sync, run: runSync },
  {
    name: 'outbox',
    synopsis: [['outbox list|flush --store PATH', 'the writes queued for the gateway: list, send']],
    help: HELP.outbox,
    subcommands: [
      { name: 'list', run: runOutboxList },
      { name: 'flush', run: runOutboxFlush },
    ],
  },
  {
    name: 'store',
    synopsis: [['store inventory|check --store PATH', "the copy's inventory; the file's integrity"]],
    help: HELP.store,
    subcommands: [
      { name: 'inventory', run: runStoreInventory },
      { name: 'check', run: runStoreCheck },
    ],
  },
  {
    name: 'audit',
    synopsis: [['audit verify PATH… [--public-key F]', "check an audit log's chain and checkpoints"]],
    help: HELP.audit,
    subcommands: [{ name: 'verify', run: runAuditVerify }],
  },
  { name: 'gateway', synopsis: [['gateway [--port 8080] …', 'run the mock gateway for development']], help: HELP.gateway, run: runGateway },
  {
    name: 'mrz',
    synopsis: [
      ['mrz parse LINE1 LINE2 [LINE3]', 'read an MRZ: fields, check digits, repairs'],
      ['mrz make --format TD3 …', 'write an MRZ'],
    ],
    help: HELP.mrz,
    subcommands: [
      { name: 'parse', run: runMrzParse },
      { name: 'make', run: runMrzMake },
    ],
  },
];

// Every flag of every command: a flag given to the wrong command is named in its refusal, as a word of no flag is not.
registerFlags([AUDIT_OPTIONS, CHECK_OPTIONS, CONFIRM_OPTIONS, GATEWAY_OPTIONS, MAKE_OPTIONS, PARSE_OPTIONS, FLUSH_OPTIONS, RECORD_OPTIONS, SCREEN_OPTIONS, STORE_OPTIONS, SYNC_OPTIONS]);

/** `borderlink --help`, `borderlink help`. */
export const MAIN_HELP = mainHelp(COMMANDS.flatMap((c) => c.synopsis));

/** The command of the table called `name` (its own entries only: `constructor` is none). */
export function commandNamed(name: string | undefined): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** What `borderlink help WORDS…` prints: the main help, a command's, a subcommand's; undefined for anything else. */
export function helpOf(words: readonly string[]): string | undefined {
  if (words.length === 0 || (words.length === 1 && words[0] === 'help')) return MAIN_HELP;
  const [name, sub, ...more] = words;
  const command = commandNamed(name);
  if (command === undefined || more.length > 0) return undefined;
  if (sub !== undefined && !(command.subcommands ?? []).some((s) => s.name === sub)) return undefined;
  return command.help;
}
