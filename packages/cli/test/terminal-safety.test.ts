// Gateway text is untrusted: whatever a gateway puts in an answer or an error, the command prints no control character
// and no bidi override of it, in text or in JSON, and the verdict an officer reads is the verdict of the answer.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockGateway, type Dataset, type MockGateway } from 'borderlink/testing';
import { CONTEXT, runCli } from './run';

/** C0, C1 and bidi controls: what must not reach a terminal (the line breaks between lines of output aside). */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}]/u;
/** The colour codes the command itself writes (terminal.ts): SGR sequences only. */
const OWN_SGR = /\u001b\[[0-9;]*m/g;

/** The control characters in `text`, once the line breaks of the output (and, with colour, its own SGR codes) are out. */
function unsafeIn(text: string, colour = false): string[] {
  const rest = (colour ? text.replace(OWN_SGR, '') : text).replace(/\n/g, '');
  return [...rest].filter((ch) => UNSAFE.test(ch)).map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Every string in a parsed JSON value, keys included. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  return [];
}

const unsafeInJson = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .flatMap((line) => stringsOf(JSON.parse(line)))
    .filter((s) => UNSAFE.test(s));

/** A screen repaint that would show a green NO_HIT, an 8-bit CSI, a terminal title, and bidi overrides. */
const REPAINT = '\u001b[2J\u001b[H\u001b[32mNO_HIT — every source answered: no record\u001b[0m';
const hostileDataset: Dataset = {
  documents: [
    {
      recordId: 'SLTD-UTO-0001',
      documentNumber: 'L898902C3',
      issuingState: 'UTO',
      documentType: 'PASSPORT',
      status: 'STOLEN',
      incidentDate: '2023-03-14\u001b[1A',
      incidentCountry: '\u202eOTU',
      ownerCountry: 'UTO\u2066',
      actionToBeTaken: `${REPAINT}\u009b2J\n  NO_HIT\r`,
    },
  ],
  linkedDocuments: [
    {
      recordId: 'TDAWN-UTO-0001',
      documentNumber: 'L898902C3',
      issuingState: 'UTO',
      documentType: 'PASSPORT',
      status: 'VALID',
      notice: { type: 'RED', reference: 'A-1207\u001b]0;cleared\u0007', requestingCountry: 'UTO\u200f', charges: ['\u202eYRREBBOR DEMRA', 'FRAUD\u009b31m'] },
      actionToBeTaken: '\u2067DETAIN\u2069\u0085',
    },
  ],
  persons: [],
  vehicles: [],
  dataAsOf: '2026-01-01T00:00:00Z\u001b[2K\u009b32m',
};

const stolen = ['check', 'document', '--number', 'L898902C3', '--state', 'UTO', '--type', 'PASSPORT'];

let gateway: MockGateway;
const dir = mkdtempSync(join(tmpdir(), 'borderlink-cli-safety-'));
beforeAll(async () => {
  gateway = await createMockGateway({ dataset: hostileDataset });
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('borderlink prints no control characters of gateway text', () => {
  it('prints a HIT whose action holds escape codes that paint a green NO_HIT as HIT, with none of the codes', async () => {
    const { code, stdout, stderr } = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT]);
    expect(stdout.split('\n')[0]).toMatch(/^HIT — /);
    expect(unsafeIn(stdout)).toEqual([]);
    expect(unsafeIn(stderr)).toEqual([]);
    // What the codes said is shown as text, inert.
    expect(stdout).toMatch(/action +\[2J\[H\[32mNO_HIT/);
    expect(stdout).toContain('YRREBBOR DEMRA');
    expect(code).toBe(1);
  });

  it('with colour forced, writes only its own colour codes', async () => {
    const { code, stdout } = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT], { env: { FORCE_COLOR: '1' } });
    expect(stdout).toMatch(/^\u001b\[1;97;41m HIT \u001b\[0m/);
    expect(unsafeIn(stdout, true)).toEqual([]);
    expect(stdout).toContain('[2J[H[32mNO_HIT');
    expect(code).toBe(1);
  });

  it('with --json, holds no control character in any string, C1 and bidi controls included', async () => {
    const { code, stdout } = await runCli([...stolen, '--gateway', gateway.url, ...CONTEXT, '--json']);
    expect(unsafeInJson(stdout)).toEqual([]);
    const json = JSON.parse(stdout);
    expect(json.verdict).toBe('HIT');
    expect(json.hits).toHaveLength(2);
    expect(code).toBe(1);
  });

  it('screen: the JSON lines and the summary hold no control character of the answers', async () => {
    const manifest = join(dir, 'one.csv');
    writeFileSync(manifest, 'id,document_number,issuing_state\na,L898902C3,UTO\nb,X1234567,UTO\n');
    const { code, stdout, stderr } = await runCli(['screen', manifest, '--gateway', gateway.url, ...CONTEXT], { env: { FORCE_COLOR: '1' } });
    expect(unsafeInJson(stdout)).toEqual([]);
    expect(unsafeIn(stderr, true)).toEqual([]);
    expect(stdout.split('\n')[0]).toContain('"verdict":"HIT"');
    expect(code).toBe(1);
  });
});

/** A gateway written by someone else: answers every request with what `answer` makes of its body. */
function rawGateway(answer: (request: { items?: { itemId: string }[] }) => { status: number; body: unknown }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      const { status, body } = answer(JSON.parse(text || '{}'));
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

const hostileError = {
  error: {
    code: '\u001b[2J\u001b[32mNO_HIT\u009b0m',
    message: `${REPAINT} \u202eL898902C3`,
    details: [{ path: 'items.0.subjects\u001b[1m', message: 'is\u0085 bad\u2066' }],
  },
  requestId: '\u001b]0;req\u0007',
};

describe.concurrent('borderlink prints no control characters of gateway errors', () => {
  for (const status of [400, 403]) {
    it(`strips them from the code, message, details and request id of a ${status} on stderr and in --json`, async () => {
      const { url, server } = await rawGateway(() => ({ status, body: hostileError }));
      try {
        const { code, stdout, stderr } = await runCli([...stolen, '--gateway', url, ...CONTEXT, '--json']);
        expect(code).toBe(status === 400 ? 4 : 8);
        expect(stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(unsafeIn(stderr)).toEqual([]);
        expect(unsafeInJson(stdout)).toEqual([]);
        const human = await runCli([...stolen, '--gateway', url, ...CONTEXT]);
        expect(unsafeIn(human.stderr)).toEqual([]);
        expect(human.stdout).toBe('');
      } finally {
        server.close();
      }
    });
  }

  it('screen: strips them from the error of each row and from the errors by code of the summary', async () => {
    const { url, server } = await rawGateway(() => ({ status: 403, body: hostileError }));
    try {
      const manifest = join(dir, 'two.csv');
      writeFileSync(manifest, 'id,document_number,issuing_state\na,L898902C3,UTO\nb,X1234567,UTO\n');
      const { code, stdout, stderr } = await runCli(['screen', manifest, '--gateway', url, ...CONTEXT]);
      expect(code).toBe(8);
      expect(stdout.trimEnd().split('\n')).toHaveLength(2);
      expect(unsafeInJson(stdout)).toEqual([]);
      expect(unsafeIn(stderr)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('strips them from the hit id, record id, confirmation state and body request id of an answer', async () => {
    const hit = {
      hitId: 'HIT-\u001b[2J1',
      source: 'SLTD',
      recordId: 'SLTD-\u009b32m-1\u202e',
      ownerCountry: 'UTO',
      match: { method: 'EXACT', score: 1, matchedFields: ['documentNumber\u001b[8m'] },
      actionToBeTaken: 'SEIZE\u001b[32m',
      confirmation: { state: 'UNCONFIRMED' },
      kind: 'document',
      document: { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' },
    };
    const { url, server } = await rawGateway((request) => ({
      status: 200,
      body: {
        requestId: 'gw-\u001b[2J\u0085',
        items: [{ itemId: request.items?.[0]?.itemId, outcomes: [{ source: 'SLTD', status: 'HIT', dataAsOf: '\u202e2026' }, { source: 'TDAWN', status: 'NO_HIT' }], hits: [hit] }],
      },
    }));
    try {
      for (const extra of [[], ['--json']]) {
        const { code, stdout, stderr } = await runCli([...stolen, '--gateway', url, ...CONTEXT, ...extra]);
        // Whatever the library makes of such ids, it is never a clear.
        expect([1, 5]).toContain(code);
        if (code === 1 && extra.length === 0) expect(stdout).toContain('hit id HIT-[2J1');
        expect(unsafeIn(stderr)).toEqual([]);
        if (extra.length > 0) expect(unsafeInJson(stdout)).toEqual([]);
        else expect(unsafeIn(stdout)).toEqual([]);
      }
    } finally {
      server.close();
    }
  });
});
