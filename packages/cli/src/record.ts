// `borderlink record SOURCE RECORD_ID`: the full record a hit points to, for the second line (or as JSON with --json).
import { SOURCES } from 'borderlink';
import { COMMON_OPTIONS, UsageError, choiceFlag, expectPositionals, parseFlags } from './args';
import { CONNECTION_OPTIONS, DEMO_NOTICE, connect } from './connection';
import { humanText, jsonLine } from './output';
import { renderRecord } from './render-second-line';
import { colourWanted, createPaint } from './terminal';

export const OPTIONS = { ...COMMON_OPTIONS, ...CONNECTION_OPTIONS, json: { type: 'boolean' } } as const;

export async function runRecord(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  expectPositionals(positionals, 2, 'record SOURCE RECORD_ID');
  const [sourceText, recordId] = positionals;
  if (sourceText === undefined || recordId === undefined) throw new UsageError(`record needs SOURCE (${SOURCES.join(', ')}) and RECORD_ID (see --help)`);
  const source = choiceFlag(sourceText, 'SOURCE', SOURCES)!;
  const { client, demo } = await connect(values);
  try {
    const answer = await client.fetchRecord({ source, recordId });
    if (values.json) {
      process.stdout.write(`${jsonLine(answer, demo)}\n`);
    } else {
      const paint = createPaint(colourWanted(process.stdout));
      const text = demo ? `${paint.yellow(DEMO_NOTICE)}\n${renderRecord(answer, paint)}` : renderRecord(answer, paint);
      process.stdout.write(`${humanText(text, demo, paint)}\n`);
    }
    return 0;
  } finally {
    await client.close();
  }
}
