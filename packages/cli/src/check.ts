// `borderlink check`: one document, person, vehicle or MRZ, answered for an officer (or as JSON with --json).
import { DOCUMENT_TYPES, SEXES } from 'borderlink';
import { COMMON_OPTIONS, UsageError, choiceFlag, expectPositionals, parseFlags } from './args';
import { CONNECTION_OPTIONS, connect } from './connection';
import { exitCodeForVerdict } from './exit-codes';
import { humanText, jsonLine } from './output';
import { renderCheck } from './render';
import { readStdin } from './stdin';
import { colourWanted, createPaint } from './terminal';

const OPTIONS = {
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
} as const;

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
  const { client, demo } = await connect(values);
  try {
    let result;
    if (kind === 'document') {
      requireFlags(values, ['number', 'state', 'type'], 'check document');
      result = await client.checkDocument({
        documentNumber: values.number!,
        issuingState: values.state!.toUpperCase(),
        documentType: choiceFlag(values.type, '--type', DOCUMENT_TYPES)!,
      });
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
    if (values.json) process.stdout.write(`${jsonLine(result, demo)}\n`);
    else process.stdout.write(`${humanText(renderCheck(result, demo, paint), demo, paint)}\n`);
    return exitCodeForVerdict(result.verdict);
  } finally {
    await client.close();
  }
}
