// Rule 2 through borderlink/manifests: names, document numbers, dates of birth and references planted in a PAXLST,
// good and broken in every way this review found, appear in no error, warning, traveller issue, log line (every level
// on) or audit event; only in the manifest's own fields and the CUSRES that answers the carrier.
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type AuditEvent } from 'borderlink';
import { createMockGateway, demoDataset } from 'borderlink/testing';
import { formatCusres, parsePaxlst, screenPaxlst, type ScreenedTraveller } from 'borderlink/manifests';

const PLANTED = ['PLANTSURNAME', 'PLANTGIVEN', 'PLANTDOC9', 'PLANTVISA7', '19770707', '770707', '1977-07-07', 'PLANTPNR', 'PLANTDESK', 'PLANTFLT', 'PLANTTX', 'PLANTREF', 'PLANTSTREET'];
const now = new Date('2025-06-01T00:00:00Z');

const HEAD = ['BGM+745', 'RFF+TN:PLANTTX', 'NAD+MS+++PLANTDESK', 'TDT+20+PLANTFLT', 'LOC+125+FRA', 'LOC+87+UTO'];
const TRAVELLER = ['NAD+FL+++PLANTSURNAME:PLANTGIVEN+PLANTSTREET+CITY', 'DTM+329:19770707:102', 'NAT+2+UTO', 'RFF+AVF:PLANTPNR', 'DOC+P+PLANTDOC9', 'LOC+91+UTO', 'DOC+V+PLANTVISA7', 'LOC+91+UTO'];
function interchange(body: string[], { unt = 0, unz = 'PLANTREF', una = '' } = {}): string {
  const segments = ['UNH+PLANTREF+PAXLST:D:05B:UN:IATA', ...body];
  return `${una}UNB+UNOA:4+A+B+250301:0900+PLANTREF'${segments.map((s) => `${s}'`).join('\n')}UNT+${segments.length + 1 + unt}+PLANTREF'UNZ+1+${unz}'`;
}
const VARIANTS: Record<string, string> = {
  good: interchange([...HEAD, ...TRAVELLER, 'CNT+42:1']),
  badDate: interchange([...HEAD, ...TRAVELLER.map((s) => s.replace('19770707', '19770230'))]),
  futureBirth: interchange([...HEAD, ...TRAVELLER.map((s) => s.replace('19770707', '20770707'))]),
  twoBirths: interchange([...HEAD, ...TRAVELLER, 'DTM+329:770708']),
  docWithoutNumber: interchange([...HEAD, 'NAD+FL+++PLANTSURNAME:PLANTGIVEN', 'DTM+329:19770707:102', 'DOC+P', 'LOC+91+UTO']),
  mistypedDoc: interchange([...HEAD, ...TRAVELLER.map((s) => s.replace('DOC+P+', 'D0C+P+'))]),
  unknownSegment: interchange([...HEAD, 'PLANTSURNAME+PLANTDOC9', ...TRAVELLER]),
  unknownTag: interchange([...HEAD, 'ZZZ+PLANTSURNAME:19770707', ...TRAVELLER]),
  unreleased: interchange([...HEAD, "NAD+FL+++PLANT'SURNAME:PLANTGIVEN", 'DOC+P+PLANTDOC9', 'LOC+91+UTO']),
  cntWrong: interchange([...HEAD, ...TRAVELLER, 'CNT+42:7']),
  untWrong: interchange([...HEAD, ...TRAVELLER], { unt: 1 }),
  unzWrong: interchange([...HEAD, ...TRAVELLER], { unz: 'PLANTOTHER' }),
  cutShort: interchange([...HEAD, ...TRAVELLER]).slice(0, interchange([...HEAD, ...TRAVELLER]).indexOf('PLANTVISA7') + 4),
  tooLong: interchange([...HEAD, `NAD+FL+++PLANTSURNAME${'X'.repeat(5000)}`]),
  badUna: interchange([...HEAD, ...TRAVELLER], { una: "UNA:+.:'" }),
};

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

describe('planted values in a PAXLST', () => {
  it('appear in no error, warning, issue, log line or audit event, whatever is wrong with the message', async () => {
    const gateway = await createMockGateway({
      dataset: { ...demoDataset, documents: [...demoDataset.documents, { recordId: 'SLTD-PLANT', documentNumber: 'PLANTDOC9', issuingState: 'UTO', documentType: 'PASSPORT', status: 'STOLEN' }] },
    });
    closers.push(() => gateway.close());
    const lines: string[] = [];
    const sink = (message: string, fields?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    const audits: AuditEvent[] = [];
    const client = createClient({
      transport: httpTransport({ baseUrl: gateway.url }),
      context: { authorityId: 'UTO-API', operatorId: 'api-0001', purpose: 'MANIFEST_SCREENING' },
      logLevel: 'debug',
      logger: { error: sink, warn: sink, info: sink, debug: sink },
      onAudit: (e) => void audits.push(e),
    });
    closers.push(() => client.close());

    const said: string[] = [];
    let screened = 0;
    for (const [name, text] of Object.entries(VARIANTS)) {
      try {
        const manifest = parsePaxlst(text, { now });
        said.push(...manifest.warnings.map((w) => `${name} warning ${JSON.stringify(w)}`));
        said.push(...manifest.travellers.flatMap((t) => t.issues.map((i) => `${name} issue ${JSON.stringify(i)}`)));
        const rows: ScreenedTraveller[] = [];
        for await (const row of screenPaxlst(client, manifest)) rows.push(row);
        screened += rows.length;
        for (const row of rows) if (row.error !== undefined) said.push(`${name} row error ${row.error.message} ${JSON.stringify(row.error)} ${String(row.error.stack)}`);
        formatCusres(rows, { reference: 'R1', manifest });
      } catch (err) {
        said.push(`${name} refused ${String(err)} ${JSON.stringify(err)} ${(err as Error).stack ?? ''}`);
      }
    }
    expect(screened).toBeGreaterThan(5);
    expect(said.filter((s) => s.includes(' refused '))).toHaveLength(8);
    for (const text of [...said, ...lines, ...audits.map((e) => JSON.stringify(e))]) for (const value of PLANTED) expect(text).not.toContain(value);
  });
});
