// The --help texts. Kept beside each other so the exit-code table and the environment are written once.
import { DOCUMENT_TYPES, PURPOSES, SEXES, SOURCES } from 'borderlink';
import { DEFAULT_MAX_STALENESS_HOURS } from './copy-age';
import { CONFIRMATION_EXIT_CODES, EXIT_CODES, rankingText } from './exit-codes';
import { STORE_KEYS } from './store-keys';

const exitTable = EXIT_CODES.map((e) => `  ${e.code}  ${e.meaning}`).join('\n');
const confirmationExitTable = CONFIRMATION_EXIT_CODES.map((e) => `  ${String(e.code).padStart(2)}  ${e.meaning}`).join('\n');

const connection = `Where to check (check, screen, sync, outbox flush, record, confirm):
  --gateway URL        the national gateway (env BORDERLINK_GATEWAY_URL). Only when no connection flag
                       and no BORDERLINK_ variable at all is set (not even to ""), the embedded DEMO
                       gateway answers from synthetic data, and every line of its answers says so;
                       anything configured without a gateway URL is refused (exit 4).
  --token TOKEN        bearer token (env BORDERLINK_TOKEN; prefer the variable: flags show in ps)
  --ca FILE            CA certificate(s) to trust for an https gateway (PEM)
  --cert FILE --key FILE  client certificate and key for mutual TLS (PEM)
  --timeout MS         deadline of one check, retries included (default 3000)
  --authority ID       authority the query is made for   (env BORDERLINK_AUTHORITY; demo: UTO-DEMO)
  --operator ID        operator making the query          (env BORDERLINK_OPERATOR;  demo: $USER)
  --purpose P          ${PURPOSES.join('|')}
                                                          (env BORDERLINK_PURPOSE;   demo: TEST)
  --location ID        where the query is made from       (env BORDERLINK_LOCATION)
  Against a real gateway, --authority, --operator and --purpose are required.`;

const common = `  --debug              show the stack of an unexpected error
  -h, --help           this help`;

const [hmac, encryption] = STORE_KEYS;

const storeKeys = `The store's keys come from the environment, never from a flag (flags land in shell history and ps):
  ${hmac.variable.padEnd(33)}key of the keyed hashes the copy is looked up by
  ${encryption.variable.padEnd(33)}key (AES-256-GCM) of what the store keeps encrypted
each 32 random bytes written as 64 hex digits or in base64 (openssl rand -hex 32); or set
${hmac.file} and ${encryption.file} to files holding them (as that text, or
the 32 bytes themselves). A store file is opened with the keys it was made with, or not at all.
The store needs better-sqlite3, an optional peer dependency: npm install better-sqlite3@12 (beside
@borderlink/cli; npm install -g better-sqlite3@12 when the command is installed globally).`;

/**
 * The main help (`borderlink --help`, `borderlink help`), around the usage lines of every command: those come from the
 * table of commands (commands.ts), so the list and what runs never differ.
 */
export function mainHelp(synopsis: readonly (readonly [usage: string, what: string])[]): string {
  const width = Math.max(...synopsis.map(([usage]) => usage.length)) + 2;
  const usage = [...synopsis, ['help COMMAND [SUBCOMMAND]', 'help of one command'] as const, ['--version', '']]
    .map(([line, what]) => `  borderlink ${what === '' ? line : `${line.padEnd(width)}${what}`}`)
    .join('\n');
  return `borderlink: check travel documents, persons and vehicles against law-enforcement databases
(${SOURCES.join(', ')}) through a national gateway.

Usage:
${usage}

With nothing configured (no connection flag, no BORDERLINK_ variable, not even an empty one), checks
run against the embedded DEMO gateway: synthetic data, not a real check. Every line of a demo answer
says so ("DEMO │ " in text, "gateway": "demo" in JSON). Anything configured without a gateway URL
is a usage error (exit 4), never a demo check.

Exit codes:
${exitTable}

Environment: BORDERLINK_GATEWAY_URL, BORDERLINK_TOKEN, BORDERLINK_AUTHORITY, BORDERLINK_OPERATOR,
BORDERLINK_PURPOSE, BORDERLINK_LOCATION (a variable set to nothing is an error, never unset);
BORDERLINK_LOG=debug|info|warn|error|off writes the SDK's log to stderr (no personal data in it);
the offline store's keys ${hmac.variable} and
${encryption.variable} (or their _FILE variables; these alone never count as a gateway
configured); NO_COLOR turns colour off, FORCE_COLOR on.
Errors are one line on stderr, "borderlink: …", and never quote what was searched. Control
characters and bidi overrides in what the gateway sends are removed before anything is printed.`;
}

/** The help of each command, by its name in the table of commands (commands.ts); a subcommand has its command's. */
export const HELP = {
  check: `Usage:
  borderlink check --mrz LINE1 LINE2 [LINE3] [--strict] [--allow-invalid-mrz]
  borderlink check --mrz -                      (the lines from standard input)
  borderlink check document --number N --state UTO --type ${DOCUMENT_TYPES.join('|')}|P|I|V
  borderlink check person --surname S [--given G]… [--dob YYYY-MM-DD] [--sex ${SEXES.filter((s) => s !== 'UNSPECIFIED').join('|')}] [--nationality UTO]
  borderlink check vehicle --vin VIN | --plate PLATE --country UTO
  any of them with --offline-store PATH [--offline-mode fallback|first] [--max-staleness-hours N]

The verdict comes first: HIT, POSSIBLE_HIT, INCOMPLETE or NO_HIT, then each hit with its status,
owner country, notice and the action to be taken, then each source's answer (and, for an MRZ, its
issues and the characters repaired).

  --json               the CheckResult as one JSON object ("gateway": "demo" on demo answers)
  --strict             MRZ: judge the characters as read, no OCR repair
  --allow-invalid-mrz  MRZ: check the fields as read even when check digits fail

The offline copy (made and kept current by borderlink sync):
  --offline-store PATH the copy answers when the gateway cannot (a connection error, a timeout, a
                       5xx): the answer then says OFFLINE COPY and why, each source's data-as-of and
                       age, and its notes (EXACT_MATCH_ONLY, COPY_TOO_OLD, NOT_SYNCED, …); --json adds
                       "servedFrom": "offline" and "offlineCopy": { reason, sources: [{ ageSeconds, … }] }
  --offline-mode M     fallback (default): the gateway, and the copy when it cannot answer; first: the
                       copy at once, then the same check online (waited for, up to --timeout): a record
                       found only online is a LATE HIT (exit 1; with --json a second line { "online" })
  --max-staleness-hours N  a copy older than this gives no clear answer: a source it finds nothing in is
                       INCOMPLETE (exit 3). A HIT from the copy is a HIT whatever its age.
                       0 to 720 (default ${DEFAULT_MAX_STALENESS_HOURS})
  Checks the copy answered are kept (encrypted) and re-screened online by the next borderlink sync.

${connection}
${storeKeys}
${common}

Exit codes:
${exitTable}`,

  sync: `Usage:
  borderlink sync --store PATH [--sources ${SOURCES.join(',')}] [--json] [--no-progress] [--allow-shrink]

Brings the offline copy in PATH up to date, one source after the other: a full snapshot the first
time (the file is made when missing), deltas after. A source whose sync fails keeps its previous copy
whole, and each source says how it went. Then the checks the copy answered within the last 72 hours
go online again: a record found only online is a LATE HIT, with the check's request, time, operator
and authority.

Progress: a bar on a terminal; otherwise JSON lines on stderr ({"type":"syncProgress","source",
"changes"}). With --json, stdout has JSON lines only: the progress, each source's {"type":"sync"} or
{"type":"syncFailed","code"}, each {"type":"lateHit"}, and last {"type":"summary","sources",
"rescreened","lateHits"} (a failed source with its error's code and message).

With nothing configured it syncs the demo dataset of the DEMO gateway, and says so on every line. The
store then holds a demo copy (synthetic data): a real gateway never answers from it nor syncs into it,
and the demo gateway never uses a real one (exit 4: use another store file).

  --store PATH         the store file (SQLite; made when missing, in a folder that exists)
  --sources LIST       the sources to sync, separated by commas (default all)
  --json               JSON lines on stdout
  --no-progress        no bar, no progress lines
  --allow-shrink       apply a snapshot that removes more than half of a source's copy (refused
                       otherwise, STORE_SHRINK_REFUSED: confirm it with the gateway's operator first)
${connection}
${storeKeys}
${common}

Exit code: 0 every source synced; 1 a re-screen found a late hit; 5 a source could not be synced (its
error code is named; the others are synced), 8 when the gateway refused access (401, 403); 4 a bad
command line, keys or store; 130 after Ctrl-C.`,

  outbox: `Usage:
  borderlink outbox list --store PATH [--json]
  borderlink outbox flush --store PATH --gateway URL --authority ID --operator ID --purpose P [--json]

The writes (reports and withdrawals) a client queued in the store's outbox when the gateway could
not take them.

list: for each, oldest first, its idempotency key, kind, when it was queued and how many replays were
tried; never its body (it holds personal data). With --json, one JSON line per write.

flush: sends them to the gateway, in order, each under its own idempotency key (a write the gateway
had stored already is stored once), and prints per key: delivered (with the record id), or REJECTED
with the gateway's code (e.g. NOT_ISSUER: show it to a person; it is not sent again); then the writes
still pending. With --json: {"type":"delivered"|"rejected"|"pending", "idempotencyKey", …} lines and a
last {"type":"summary","delivered","rejected","pending"}. Only to a real gateway: the demo gateway
would take the writes, and they would reach nobody.

  --store PATH         the store file
  --json               JSON lines
${connection}
${storeKeys}
${common}

Exit code: list 0; flush 0 when every write was delivered, 5 when one was rejected or stays pending;
4 a bad command line, keys or store (or no real gateway for flush).`,

  store: `Usage:
  borderlink store inventory --store PATH [--json]
  borderlink store check --store PATH [--json]

inventory: the record a state keeps of its offline copy: for each source, when it was last synced,
its cursor, its record count, its data-as-of and its age (past ${DEFAULT_MAX_STALENESS_HOURS} h, by default, what it does not
find is no clear answer), whether it is a demo copy, and the writes pending in the outbox. With
--json: { "sources": [{ "source", "synced", "syncedAt", "cursor", "recordCount", "dataAsOf",
"ageSeconds", "origin" }], "outboxPending" }.

check: SQLite's integrity_check over the whole file (after a crash, or as a health check).

  --store PATH         the store file
  --json               one JSON object
${storeKeys}
${common}

Exit code: 0; check: 5 when the file is damaged; 4 a bad command line, keys or store.`,

  audit: `Usage:
  borderlink audit verify PATH… [--public-key FILE] [--checkpoints FILE] [--prefix NAME] [--json]

Checks an audit log written by borderlink/audit (its files, or the folder holding them, in any
order): every line must be a canonical record carrying the SHA-256 of the line before it, across
its rotated files, and every checkpoint must verify under the Ed25519 public key. It says where the
chain first breaks (a line changed, removed or moved, a file missing, a checkpoint that does not
verify, or fewer checkpoints than its writer makes) by file, line and byte offset, never what the
line says. A log that ends in a line cut off (its writer was killed mid-write) verifies up to its
last complete line, and it says where it stops. What follows the last checkpoint rests on the chain
alone: give the checkpoints kept away from the log to tell a log cut short from one that ends there.

  --public-key FILE    the Ed25519 public key (PEM) the checkpoints are checked with; without it the
                       chain alone is checked and the checkpoints are counted, not checked
  --checkpoints FILE   checkpoints kept away from the log (one JSON object a line, as onNotice gave
                       them, or a JSON array): each must be in the log as it was signed
  --prefix NAME        with a folder holding more than one log: the prefix of this log's file names
  --json               the report as one JSON object: { ok, files, records, checkpoints: { verified,
                       unverified, last?, afterLast, found }, first,
                       last, broken?: { file, line, offset, reason, expectedSeq?, foundSeq?,
                       explanation }, endsCutOff?, cutOff, gaps, removed, closed }
${common}

Exit code: 0 the log is intact; 5 it is broken; 4 a bad command line, a path or key that cannot be read.`,

  screen: `Usage:
  borderlink screen MANIFEST.csv|MANIFEST.jsonl|MANIFEST.edi|- [--out FILE] [--batch-size 100]
                   [--concurrency 4] [--ignore-column NAME]… [--delimiter ;] [--fail-on hit|error]
                   [--cusres FILE [--cusres-reference REF]]

Streams the rows through the gateway in batches, one JSON line out per row:
  { "id", "verdict", "requestId", "hits": […], "outcomes": […] }, or for a row that could not be
  checked { "id", "row", "verdict": null, "requestId", …, "error": { "code", "message" } } ("id":
  null when the row has no id of its own; "requestId" null when the row was never sent). The
  request id is what to quote to the gateway's operator about a row. A PAXLST traveller's line also
  has "boarding": BOARD, NO_BOARD or CONTACT, the answer the carrier gets for it (a traveller
  whose only check, its person, is NO_HIT but whose document was not searched is CONTACT).
then a summary with the sources asked and for how many rows, and the exit code with the ranking
that chose it (on stderr when the JSON lines go to stdout). A progress bar (rows/s, hits, ETA)
shows on a terminal. Ctrl-C stops sending; the summary then says how many rows were never screened.

Columns (header names case-insensitive; spaces and _ - . # / ( ) ignored):
  id (row_id); documentNumber (document_number, document, doc_no, doc_number, passport,
  passport_no, passport_number, travel_document_number); issuingState (issuing_state, issuer,
  issuing_country, country_of_issue, state_of_issue); documentType (document_type, doc_type, type:
  ${DOCUMENT_TYPES.join(', ')} or P, I, V; default PASSPORT); surname (last_name, family_name);
  givenNames (given_names, first_name, forename; space-separated); dateOfBirth (date_of_birth, dob,
  birth_date); nationality (citizenship); sex (gender); or mrz (lines split by \\n or |).
A CSV is split by commas, or by the ; tab or | its header line holds outside quotes (--delimiter
names it; a header with more than one of them is refused, exit 4). A column the screen does not
know is refused (exit 4) unless --ignore-column names it: a column is never dropped unseen, nor a
field past the last column (such a row is a row error, not checked; empty ones are ignored). A row with a document number is checked as a document, a row with a
surname as a person. With an id column each row needs its own id (an empty or repeated one is a
row error, not checked); without one, the row number is the id. JSONL rows use the same keys (or
{ id, subjects } and nothing else); the first row's keys are checked like a header. A line (or CSV record) longer
than 64 KiB is a row error.
A UN/EDIFACT PAXLST (passenger or crew list), told by its first segment (UNA or UNB) whatever the
file's name, is read whole and checked first (envelope counts, CNT totals): a broken one is refused
(exit 4) naming the segment's position, line and tag. Each traveller is one row, its id its number
in the interchange (from 1), its documents and itself checked; a traveller that cannot be checked
as sent (a date of birth that cannot be, a document without its number) is a row error.

  --out FILE           write the JSON lines to FILE (default: stdout)
  --format csv|jsonl|paxlst  input format (default: a PAXLST by its first segment, else from the
                       file name; stdin: guessed from the first line)
  --cusres FILE        PAXLST only: write the CUSRES answer, per traveller board (0Z) only for a clear
                       result, no board (1Z) for a HIT, contact (2Z) for anything else or no answer
  --cusres-reference REF  the answer's interchange reference, 1–14 letters or digits (default: the time)
  --ignore-column NAME leave this column (or JSONL key) out; repeatable
  --delimiter D        CSV only: the field delimiter, one of , ; tab | (default: from the header)
  --fail-on hit|error  what ranks first for the exit code: hit (default: a HIT is never hidden
                       behind an error) or error (any error outranks every verdict)
  --batch-size N       rows per request, 1–1000 (default 100)
  --concurrency N      requests in flight, 1–64 (default 4)
  --no-progress        no progress bar
${connection}
${common}

Exit code: the worst row, ranked (a row that could not be read is INCOMPLETE)
  ${rankingText('hit')}
or with --fail-on error (each error by the code check gives it)
  ${rankingText('error')}
The first 401 or 403 (access refused, 8) stops the run: no row read after it is sent.
7 when no row was screened (an empty or header-only manifest, or every row unreadable). 4 for a bad
command line, an unreadable manifest or an unknown column; 6 when the JSON lines could not be
written; 130 after Ctrl-C.`,

  record: `Usage:
  borderlink record ${SOURCES.join('|')} RECORD_ID [--json]

The full record a hit points to, for the second line: for SLTD the document with who reported it
and its history; for TDAWN and NOMINAL the notice in full (aliases, physical description,
languages, when it was published and expires); for SMV the vehicle's full description. The gateway
decides which purposes may read one: a BORDER_CHECK is usually refused (PURPOSE_NOT_ALLOWED, exit 8):
give --purpose SECOND_LINE or INVESTIGATION. The demo gateway gives them to its TEST purpose.

  --json               the record as one JSON object: { "record", "warnings", "requestId", … }
${connection}
${common}

Exit code: 0 the record was read; 4 a bad command line; 8 refused (PURPOSE_NOT_ALLOWED, FORBIDDEN,
UNAUTHENTICATED); 5 not found, or any other gateway error.`,

  confirm: `Usage:
  borderlink confirm HIT_ID [--urgent] [--reason TEXT] [--wait] [--json] [--location ID]
  borderlink confirm --resume CONFIRMATION_ID [--wait] [--json]

Asks the country that owns the hit's record to confirm it: a hit is a lead until it does. URGENT
when the subject is held (answer due within 10 minutes), ROUTINE otherwise (60). With --wait, follows
the answer: a status line on a terminal, one line per change otherwise; when a deadline passes with
no answer, the next request is sent, at most three, then EXPIRED. Ctrl-C stops waiting (exit 130)
and prints how to take it up again with --resume.

  --urgent             priority URGENT (default ROUTINE)
  --reason TEXT        why, for the owner (it goes to the gateway only; default: a line saying the
                       command asked)
  --location ID        where the subject is held (env BORDERLINK_LOCATION; required unless demo)
  --wait               follow the confirmation until the owner answers or it expires
  --resume ID          take up a confirmation asked before, by its confirmation id
  --json               JSON lines: {"type":"requested"|"resumed"}, each {"type":"confirmation"}
                       change, and last {"type":"final"} (or "stopped")
${connection}
${common}

Exit codes:
${confirmationExitTable}
   4  a bad command line;  5  a gateway error;  6  anything unexpected;  8  access refused (401, 403);
 130  stopped with Ctrl-C`,

  gateway: `Usage:
  borderlink gateway [--port 8080] [--host 127.0.0.1] [--tls | --tls-key FILE --tls-cert FILE]
                     [--dataset FILE.json] [--faults SPEC] [--token TOKEN] [--latency MS]

Runs the mock gateway (protocol v1, demo dataset unless --dataset) until Ctrl-C or SIGTERM.
The first line on stdout is its URL and nothing else, for scripts; notes go to stderr.

  --port N             port, 0 for a free one (default 8080)
  --host ADDR          address to listen on (default 127.0.0.1)
  --tls                HTTPS with a throw-away CA and certificate made by the openssl binary in a
                       temp dir; the CA's path is printed: pass it to clients with --ca
  --tls-key FILE --tls-cert FILE   HTTPS with your own key and certificate
  --dataset FILE       records to answer from (a Dataset as JSON; see docs/testing.md)
  --faults SPEC        faults for the first requests, e.g. 503,reset,unavailable:TDAWN or random:0.3
  --token TOKEN        require "authorization: Bearer TOKEN"
  --latency MS         added to every request
${common}`,

  mrz: `Usage:
  borderlink mrz parse LINE1 LINE2 [LINE3] [--json] [--strict]
  borderlink mrz parse -                        (the lines from standard input)
  borderlink mrz make --format TD3 --code P --state UTO --number L898902C3 --surname ERIKSSON
                      --given ANNA --given MARIA --nationality UTO --dob 1974-08-12 --sex F
                      --expiry 2012-04-15 [--personal-number N] [--optional DATA]… [--json]

parse prints the format, validity, fields, check digits, issues and corrections (OCR repairs).
Exit code 0 when the MRZ is valid, 4 when it is not.
  --strict             no OCR repair: judge the characters exactly as read
  --json               the parse result (or the lines made) as JSON

make prints the lines (formats TD1, TD2, TD3, MRVA, MRVB; --sex M, F, X or <).
${common}`,
} satisfies Record<string, string>;
