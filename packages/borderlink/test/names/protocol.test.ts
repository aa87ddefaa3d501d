// Protocol v1's `nameVariants` on a person subject and `match.matchedVariant` on a hit: documented with the cap the
// code keeps, refused past it, and read leniently (an odd matchedVariant never costs the hit).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createClient, InputError, MAX_NAME_VARIANTS, type Transport, type TransportRequest } from 'borderlink';
import { REQUEST_SCHEMAS } from '../../src/protocol/wire';

const context = { authorityId: 'UTO-POLICE', operatorId: 'officer-0042', purpose: 'SECOND_LINE' } as const;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed YAML document
const openapi: any = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'));

/** A gateway that answers every check with one person hit whose match holds `match`. */
function answering(match: Record<string, unknown>): { transport: Transport; sent: TransportRequest[] } {
  const sent: TransportRequest[] = [];
  const transport: Transport = {
    endpoint: 'test://names',
    async send(request) {
      sent.push(request);
      const hit = {
        kind: 'person',
        hitId: 'H-1',
        source: 'NOMINAL',
        recordId: 'NOMINAL-1',
        ownerCountry: 'UTO',
        match: { method: 'NORMALISED', score: 1, matchedFields: ['surname'], ...match },
        confirmation: { state: 'UNCONFIRMED' },
        person: { surname: 'VASILYEVA', givenNames: ['YULIYA'], dateOfBirth: '1985-11-02', nationalities: ['RUS'] },
        notice: { type: 'RED', reference: 'A-1/2026', requestingCountry: 'UTO' },
      };
      const body = JSON.stringify({ requestId: 'gw-1', items: [{ itemId: '1', outcomes: [{ source: 'NOMINAL', status: 'HIT' }], hits: [hit] }] });
      return { status: 200, headers: { 'content-type': 'application/json' }, body };
    },
    close: () => Promise.resolve(),
  };
  return { transport, sent };
}

describe('nameVariants on the wire', () => {
  it('is documented with the cap the schemas keep', () => {
    const property = openapi.components.schemas.PersonQuery.properties.nameVariants;
    expect(property.maxItems).toBe(MAX_NAME_VARIANTS);
    const person = (n: number) => [{ kind: 'person', surname: 'TSOI', nameVariants: Array.from({ length: n }, () => ({ surname: 'TSOY', givenNames: [] })) }];
    expect(REQUEST_SCHEMAS.subjects.safeParse(person(MAX_NAME_VARIANTS)).success).toBe(true);
    expect(REQUEST_SCHEMAS.subjects.safeParse(person(MAX_NAME_VARIANTS + 1)).success).toBe(false);
  });

  it('refuses more spellings than the cap from a caller, naming the field and never a name', async () => {
    const { transport, sent } = answering({});
    const client = createClient({ transport, context });
    const nameVariants = Array.from({ length: MAX_NAME_VARIANTS + 1 }, (_, i) => ({ surname: `VARIANT${'X'.repeat(i)}`, givenNames: [] }));
    const error = await client.checkPerson({ surname: 'TSOI', nameVariants }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toEqual([{ path: 'nameVariants', message: `must hold at most ${MAX_NAME_VARIANTS} names` }]);
    expect((error as Error).message).not.toContain('VARIANT');
    expect(sent).toHaveLength(0);
    await client.close();
  });

  it('sends a caller’s own spellings instead of the computed ones, and none for an empty list', async () => {
    const { transport, sent } = answering({});
    const client = createClient({ transport, context });
    await client.checkPerson({ surname: 'Цой', givenNames: ['Юлия'], nameVariants: [{ surname: 'Tsoy', givenNames: ['Yuliya'] }] });
    await client.checkPerson({ surname: 'Цой', givenNames: ['Юлия'], nameVariants: [] });
    const subjects = sent.map((r) => (JSON.parse(r.body!) as { items: { subjects: Record<string, unknown>[] }[] }).items[0]!.subjects[0]!);
    expect(subjects[0]).toMatchObject({ surname: 'TSOI', givenNames: ['IULIIA'], nameVariants: [{ surname: 'Tsoy', givenNames: ['Yuliya'] }] });
    expect(subjects[1]).toMatchObject({ surname: 'TSOI', givenNames: ['IULIIA'], nameVariants: [] });
    await client.close();
  });
});

describe('match.matchedVariant in an answer', () => {
  it('is kept as the gateway sent it', async () => {
    const { transport } = answering({ matchedVariant: { surname: 'VASILYEVA', givenNames: ['YULIYA'] } });
    const client = createClient({ transport, context });
    const result = await client.checkPerson({ surname: 'Васильева', givenNames: ['Юлия'] });
    expect(result.hits[0]!.match.matchedVariant).toEqual({ surname: 'VASILYEVA', givenNames: ['YULIYA'] });
    expect(result.warnings).toEqual([]);
    await client.close();
  });

  it('keeps the hit when it is unreadable, with a warning naming the field and never its value', async () => {
    for (const matchedVariant of ['VASILYEVA', { surname: 42, givenNames: ['YULIYA'] }, { surname: 'X'.repeat(1001), givenNames: [] }]) {
      const { transport } = answering({ matchedVariant });
      const client = createClient({ transport, context });
      const result = await client.checkPerson({ surname: 'Васильева', givenNames: ['Юлия'] });
      expect(result.verdict).toBe('HIT');
      expect(result.hits).toHaveLength(1);
      expect(result.warnings.map((w) => w.path)[0]).toMatch(/^hits\.0\.match\.matchedVariant/);
      expect(JSON.stringify(result.warnings)).not.toContain('VASILYEVA');
      await client.close();
    }
  });
});
