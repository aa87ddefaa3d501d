// `borderlink check`: one document, person, vehicle or MRZ, answered for an officer (or as JSON with --json), from the
// gateway, or from an offline copy (--offline-store) when the gateway cannot answer.
import { SEXES, type CheckResult, type LateHitEvent, type Source, type SourceState } from 'borderlink';
import { COMMON_OPTIONS, UsageError, choiceFlag, expectPositionals, integerFlag, parseFlags } from './args';
import { CONNECTION_OPTIONS, connect, demoWanted, type ClientExtras } from './connection';
import { DEFAULT_MAX_STALENESS_HOURS, copyAgeMs } from './copy-age';
import { DOCUMENT_TYPE_CHOICES, documentTypeOf } from './document-type';
import { EXIT, exitCodeForVerdict, worseExitCode } from './exit-codes';
import { humanText, jsonLine, terminalSafe } from './output';
import { renderCheck, type CopyView } from './render';
import { readStdin } from './stdin';
import { openStore, storeFor, type CommandStore } from './store';
import { colourWanted, createPaint, type Paint } from './terminal';

export const OPTIONS = {
  ...COMMON_OPTIONS,
  ...CONNECTION_OPTIONS,
  json: { type: 'boolean' },
  mrz: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  'allow-invalid-mrz': { type: 'boolean' },
  number: { type: 'string' },
  state: { type: 'string' },
  type: { type: 'string' },
  surname: { type: 'string' },
  given: { type: 'string', multiple: true },
  dob: { type: 'string' },
  sex: { type: 'string' },
  nationality: { type: 'string' },
  vin: { type: 'string' },
  plate: { type: 'string' },
  country: { type: 'string' },
  'offline-store': { type: 'string' },
  'offline-mode': { type: 'string' },
  'max-staleness-hours': { type: 'string' },
} as const;

/** The library's default deadline of a call, retries included (the help says so too). @unit milliseconds */
const DEFAULT_TIMEOUT_MS = 3000;
/** The longest staleness limit the client takes: 30 days. @unit hours */
const MAX_STALENESS_HOURS = 720;

type Kind = 'document' | 'person' | 'vehicle' | 'mrz';

/** Which subject flags belong to which kind of check; a flag of another kind is refused rather than ignored. */
const KIND_FLAGS: Record<Kind, readonly (keyof typeof OPTIONS)[]> = {
  document: ['number', 'state', 'type'],
  person: ['surname', 'given', 'dob', 'sex', 'nationality'],
  vehicle: ['vin', 'plate', 'country'],
  mrz: ['mrz', 'strict', 'allow-invalid-mrz'],
};

function requireFlags(values: Record<string, unknown>, names: readonly string[], what: string): void {
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length > 0) throw new UsageError(`${what} needs ${missing.map((n) => `--${n}`).join(', ')}`);
}

export async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  const first = positionals[0];
  const kind: Kind | undefined =
    first === 'document' || first === 'person' || first === 'vehicle' ? first : values.mrz !== undefined ? 'mrz' : undefined;
  if (kind === undefined) {
    throw new UsageError(first === undefined ? 'check what? use check document|person|vehicle, or check --mrz (see --help)' : 'check takes document, person or vehicle, or --mrz (see --help)');
  }
  for (const [other, flags] of Object.entries(KIND_FLAGS)) {
    if (other === kind) continue;
    const stray = flags.find((f) => values[f] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} does not apply to ${kind === 'mrz' ? 'check --mrz' : `check ${kind}`}`);
  }

  let mrzLines: string[] | undefined;
  if (kind === 'mrz') {
    const given = [...(values.mrz ?? []), ...positionals];
    if (given.includes('-')) {
      if (given.length > 1) throw new UsageError('--mrz - reads the lines from standard input: give no lines beside it');
      mrzLines = (await readStdin('the MRZ lines')).split(/\r?\n/);
    } else {
      expectPositionals(given, 3, 'check --mrz (at most three lines)');
      mrzLines = given.flatMap((l) => l.split(/\r?\n/));
    }
  } else {
    expectPositionals(positionals, 1, `check ${kind}`);
  }

  const paint = createPaint(colourWanted(process.stdout));
  const copy = await offlineOptions(values);
  let connection;
  try {
    connection = await connect(values, process.env, copy?.extras);
  } catch (err) {
    copy?.store.close();
    throw err;
  }
  const { client, demo } = connection;
  // Before the check: in `first` mode the online answer can come before the check returns.
  const lateHits: LateHitEvent[] = [];
  client.on('lateHit', (event) => lateHits.push(event));
  try {
    let result;
    if (kind === 'document') {
      requireFlags(values, ['number', 'state', 'type'], 'check document');
      const documentType = documentTypeOf(values.type!);
      if (documentType === undefined) throw new UsageError(`--type must be ${DOCUMENT_TYPE_CHOICES}`);
      result = await client.checkDocument({ documentNumber: values.number!, issuingState: values.state!.toUpperCase(), documentType });
    } else if (kind === 'person') {
      requireFlags(values, ['surname'], 'check person');
      const sex = choiceFlag(values.sex, '--sex', SEXES);
      result = await client.checkPerson({
        surname: values.surname!,
        givenNames: (values.given ?? []).flatMap((g) => g.split(/\s+/).filter(Boolean)),
        ...(values.dob !== undefined ? { dateOfBirth: values.dob } : {}),
        ...(sex !== undefined ? { sex } : {}),
        ...(values.nationality !== undefined ? { nationality: values.nationality.toUpperCase() } : {}),
      });
    } else if (kind === 'vehicle') {
      if (values.vin === undefined && values.plate === undefined) throw new UsageError('check vehicle needs --vin, or --plate with --country');
      if (values.plate !== undefined) requireFlags(values, ['country'], 'check vehicle --plate');
      result = await client.checkVehicle({
        ...(values.vin !== undefined ? { vin: values.vin } : {}),
        ...(values.plate !== undefined ? { plate: values.plate } : {}),
        ...(values.country !== undefined ? { registrationCountry: values.country.toUpperCase() } : {}),
      });
    } else {
      result = await client.checkMrz(mrzLines!.join('\n'), {
        repair: values.strict !== true,
        allowInvalidMrz: values['allow-invalid-mrz'] === true,
      });
    }
    const view = copy === undefined ? undefined : copyView(copy.store, copy.maxStalenessHours);
    const fromCopy = result.servedFrom === 'offline';
    if (values.json) process.stdout.write(`${jsonLine(fromCopy && view !== undefined ? { ...result, offlineCopy: offlineCopyJson(result, view) } : result, demo)}\n`);
    else process.stdout.write(`${humanText(renderCheck(result, demo, paint, view), demo, paint)}\n`);
    let exitCode = exitCodeForVerdict(result.verdict);
    if (fromCopy && result.offlineReason === 'OFFLINE_FIRST' && copy !== undefined) {
      // `first`: the copy answered at once, and the same check went online; it is waited for here (a command that
      // exits at once would cut it), and a record found online only is a late hit.
      const kept = copy.store.lastKept;
      const answered = kept !== undefined && (await copy.store.settled(kept, (integerFlag(values.timeout, '--timeout', 1, 600_000) ?? DEFAULT_TIMEOUT_MS) + 1000));
      const late = lateHits.find((e) => e.requestId === result.requestId);
      if (values.json) process.stdout.write(`${jsonLine({ online: { answered, lateHit: late ?? null } }, demo)}\n`);
      else process.stdout.write(`${humanText(onlineText(answered, late, kept !== undefined && !demo, paint), demo, paint)}\n`);
      if (late !== undefined) exitCode = worseExitCode(exitCode, EXIT.HIT);
    }
    return exitCode;
  } finally {
    await client.close();
    copy?.store.close();
  }
}

/** What --offline-store and its flags ask for: the store (opened) and the client's offline options. */
async function offlineOptions(values: {
  'offline-store'?: string | undefined;
  'offline-mode'?: string | undefined;
  'max-staleness-hours'?: string | undefined;
  gateway?: string | undefined;
}): Promise<{ store: CommandStore; extras: ClientExtras; maxStalenessHours: number } | undefined> {
  const path = values['offline-store'];
  if (path === undefined) {
    for (const flag of ['offline-mode', 'max-staleness-hours'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --offline-store PATH`);
    }
    return undefined;
  }
  const mode = choiceFlag(values['offline-mode'], '--offline-mode', ['fallback', 'first'] as const) ?? 'fallback';
  const maxStalenessHours = integerFlag(values['max-staleness-hours'], '--max-staleness-hours', 0, MAX_STALENESS_HOURS) ?? DEFAULT_MAX_STALENESS_HOURS;
  // Which gateway answers decides which copy may: a demo copy never answers for a real gateway, nor the reverse.
  const demo = demoWanted(values);
  const inner = await openStore(path, '--offline-store', { create: false });
  let store: CommandStore;
  try {
    // Re-screening is `borderlink sync`'s: it waits for it, where a check would cut it half way when it exits.
    store = storeFor(inner, '--offline-store', { demo, rescreen: false });
  } catch (err) {
    inner.close();
    throw err;
  }
  return { store, maxStalenessHours, extras: { offline: { store, mode, maxStalenessMs: maxStalenessHours * 3_600_000 } } };
}

function copyView(store: CommandStore, maxStalenessHours: number): CopyView {
  const states: Partial<Record<Source, SourceState>> = {};
  try {
    for (const state of store.inventory()) states[state.source] = state;
  } catch {
    // The answer is printed all the same, without the ages.
  }
  return { states, maxStalenessHours, now: Date.now() };
}

/** What --json adds to an answer from the copy: why, the limit, and each source's copy with its age. */
function offlineCopyJson(result: CheckResult, view: CopyView) {
  return {
    reason: result.offlineReason ?? null,
    maxStalenessHours: view.maxStalenessHours,
    sources: result.outcomes.map((o) => {
      const state = view.states[o.source];
      const age = state === undefined ? undefined : copyAgeMs(state, view.now);
      return {
        source: o.source,
        dataAsOf: state?.dataAsOf ?? null,
        syncedAt: state?.syncedAt ?? null,
        ageSeconds: age === undefined ? null : Math.floor(age / 1000),
        offlineNote: o.offlineNote ?? null,
      };
    }),
  };
}

/** What the online check that followed an answer from the copy (`first`) said. */
function onlineText(answered: boolean, event: LateHitEvent | undefined, kept: boolean, paint: Paint): string {
  if (event !== undefined) {
    // Record ids are the gateway's text.
    const late = terminalSafe(event);
    const records = late.records.map((r) => `${r.source} ${r.recordId}`).join(', ');
    return [
      '',
      `${paint.enabled ? paint.banner('LATE HIT', 'red') : 'LATE HIT'} ${paint.bold(`— the gateway found ${late.records.length === 1 ? 'a record' : 'records'} the copy did not have: ${records}`)}`,
      paint.dim(`  online ${late.verdict} · re-screen request ${late.rescreenRequestId}`),
    ].join('\n');
  }
  if (answered) return `\n${paint.dim('The gateway answered the same check too, and found no record the copy did not have.')}`;
  const then = kept ? '; the check is kept, and sent again online by the next borderlink sync' : '';
  return `\n${paint.yellow(`The gateway did not answer the same check in time${then}.`)}`;
}
