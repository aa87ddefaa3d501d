// `borderlink mrz parse|make`: read an MRZ the way the check does, or write one with formatMrz.
import { ICAO_MRZ_FORMATS, SEXES, formatMrz, parseMrz } from 'borderlink';
import { COMMON_OPTIONS, UsageError, choiceFlag, expectPositionals, parseFlags } from './args';
import { EXIT } from './exit-codes';
import { jsonLine } from './output';
import { renderMrz } from './render';
import { readStdin } from './stdin';
import { colourWanted, createPaint } from './terminal';

export const PARSE_OPTIONS = { ...COMMON_OPTIONS, json: { type: 'boolean' }, strict: { type: 'boolean' } } as const;

export const MAKE_OPTIONS = {
  ...COMMON_OPTIONS,
  json: { type: 'boolean' },
  format: { type: 'string' },
  code: { type: 'string' },
  state: { type: 'string' },
  number: { type: 'string' },
  surname: { type: 'string' },
  given: { type: 'string', multiple: true },
  nationality: { type: 'string' },
  dob: { type: 'string' },
  sex: { type: 'string' },
  expiry: { type: 'string' },
  'personal-number': { type: 'string' },
  optional: { type: 'string', multiple: true },
} as const;

/** formatMrz names its input fields; the user typed flags. */
const FLAG_OF_FIELD: Record<string, string> = {
  format: '--format',
  documentCode: '--code',
  issuingState: '--state',
  documentNumber: '--number',
  surname: '--surname',
  givenNames: '--given',
  nationality: '--nationality',
  birthDate: '--dob',
  sex: '--sex',
  expiryDate: '--expiry',
  personalNumber: '--personal-number',
  optionalData: '--optional',
};

/** `borderlink mrz parse`. */
export async function runMrzParse(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, PARSE_OPTIONS);
  let input: string;
  if (positionals.length === 1 && positionals[0] === '-') input = await readStdin('the MRZ lines');
  else if (positionals.length === 0) throw new UsageError('mrz parse needs the lines (or - to read them from standard input)');
  else {
    expectPositionals(positionals, 3, 'mrz parse (at most three lines)');
    input = positionals.join('\n');
  }
  const parsed = parseMrz(input, { repair: values.strict !== true });
  if (values.json) process.stdout.write(`${jsonLine(parsed, false)}\n`);
  else process.stdout.write(`${renderMrz(parsed, createPaint(colourWanted(process.stdout)))}\n`);
  return parsed.valid ? 0 : EXIT.USAGE;
}

/** `borderlink mrz make`. */
export async function runMrzMake(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, MAKE_OPTIONS);
  expectPositionals(positionals, 0, 'mrz make');
  const required = ['format', 'code', 'state', 'number', 'surname', 'nationality', 'dob', 'sex', 'expiry'] as const;
  const missing = required.filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new UsageError(`mrz make needs ${missing.map((m) => `--${m}`).join(', ')}`);
  const sex = values.sex === '<' ? 'UNSPECIFIED' : choiceFlag(values.sex, '--sex', SEXES)!;
  let lines: string[];
  try {
    lines = formatMrz({
      format: choiceFlag(values.format, '--format', ICAO_MRZ_FORMATS)!,
      documentCode: values.code!,
      issuingState: values.state!,
      documentNumber: values.number!,
      surname: values.surname!,
      givenNames: (values.given ?? []).flatMap((g) => g.split(/\s+/).filter(Boolean)),
      nationality: values.nationality!,
      birthDate: values.dob!,
      sex,
      expiryDate: values.expiry!,
      ...(values['personal-number'] !== undefined ? { personalNumber: values['personal-number'] } : {}),
      ...(values.optional !== undefined ? { optionalData: values.optional } : {}),
    });
  } catch (err) {
    // formatMrz's RangeError names the field, never its value: say it with the flag's name.
    if (err instanceof RangeError) {
      const text = err.message.replace(/^formatMrz: /, '');
      const field = /^(\w+)/.exec(text)?.[1] ?? '';
      const flag = FLAG_OF_FIELD[field];
      throw new UsageError(flag !== undefined ? `${flag}${text.slice(field.length)}` : text);
    }
    throw err;
  }
  process.stdout.write(values.json ? `${JSON.stringify(lines)}\n` : `${lines.join('\n')}\n`);
  return 0;
}
