// What a name may hold is one table (NAME_PUNCTUATION, beside the validator): the pattern, the message of a refused
// name, docs/protocol.md, the OpenAPI document and the TSDoc of a person's surname all say the same characters.
import { readFileSync } from 'node:fs';
import { createClient, InputError } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { describe, expect, it } from 'vitest';
import { NAME_CHARACTERS_MESSAGE, NAME_PUNCTUATION } from '../../src/queries/validate';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const characters = NAME_PUNCTUATION.map((p) => p.character);
const names = NAME_PUNCTUATION.map((p) => p.name);
const context = { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'TEST' } as const;

async function refusal(surname: string): Promise<string | undefined> {
  const client = createClient({ transport: mockTransport(), context });
  try {
    await client.checkPerson({ surname });
    return undefined;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return err.issues.find((i) => i.path === 'surname')?.message;
  } finally {
    await client.close();
  }
}

describe('the characters of a name', () => {
  it('the validator takes every character of the table between letters, and refuses others with a message naming every one', async () => {
    for (const c of characters) expect(await refusal(`ANNA${c}MARIA`), JSON.stringify(c)).toBeUndefined();
    for (const c of ['_', '/', '"', '1', '*', '(']) expect(await refusal(`ANNA${c}MARIA`), c).toBe(NAME_CHARACTERS_MESSAGE);
    for (const name of names) expect(NAME_CHARACTERS_MESSAGE).toContain(name);
  });

  it('docs/protocol.md lists the characters of the table', () => {
    const row = read('../../docs/protocol.md')
      .split('\n')
      .find((l) => l.startsWith('| `surname`, `givenNames[]` |'))!;
    const listed = row.slice(row.indexOf('combining marks'), row.indexOf(' (')).replace(/\bspace\b/, '` `');
    expect([...listed.matchAll(/`(.)`/g)].map((m) => m[1]).sort()).toEqual([...characters].sort());
  });

  it('the OpenAPI document and the TSDoc of a surname name the characters of the table', () => {
    const openapi = read('../../docs/openapi.yaml');
    const description = /^ {4}Name:\n(?: {6}.*\n)*? {6}description: (.*)$/m.exec(openapi)?.[1];
    expect(description).toContain(names.join(', '));
    const tsdoc = read('../../src/queries/types.ts').replace(/\n\s*\* /g, ' ');
    expect(tsdoc).toContain(`spaces, apostrophes, full stops, commas, hyphens`);
    expect(names.join(', ')).toBe('spaces, apostrophes, full stops, commas, hyphens');
  });
});
