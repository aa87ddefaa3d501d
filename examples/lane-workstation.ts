// A first-line lane workstation: the passport scanner hands over the MRZ, the officer sees one clear answer.
//   npx tsx examples/lane-workstation.ts                       (the ICAO specimen passport, on the demo gateway)
//   npx tsx examples/lane-workstation.ts '<line1>' '<line2>'   (your own MRZ)
// Set BORDERLINK_GATEWAY_URL (and BORDERLINK_TOKEN) to check against a real gateway instead of the demo one.
import { createClient, httpTransport, isClear, MrzError, type BorderlinkError, type MrzCheckResult } from 'borderlink';
import { mockTransport } from 'borderlink/testing';

const scanned = process.argv.length > 2
  ? process.argv.slice(2)
  : ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

const gatewayUrl = process.env.BORDERLINK_GATEWAY_URL;
const client = createClient({
  transport: gatewayUrl ? httpTransport({ baseUrl: gatewayUrl, token: process.env.BORDERLINK_TOKEN }) : mockTransport(),
  context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK', locationId: 'UTO-LANE-07' },
  timeoutMs: 2500, // an officer waits seconds, not minutes: past this the answer is INCOMPLETE or an error
});

/** What the lane screen shows. A hit is a lead for second line, never a conclusion: the owner country confirms it. */
function display(result: MrzCheckResult): string {
  const doc = result.mrz.document;
  const lines = [`Document ${doc?.documentType ?? '?'} of ${doc?.issuingState ?? '?'}${result.mrz.specimen ? ' (SPECIMEN)' : ''}`];
  for (const c of result.mrz.corrections) lines.push(`  scanner misread repaired at line ${c.line + 1} column ${c.column + 1}${c.verified ? ' (verified)' : ''}`);
  switch (result.verdict) {
    case 'NO_HIT':
      lines.push('GREEN  no record in any database asked: continue the normal check');
      break;
    case 'HIT':
      lines.push('RED    record found: do not return the document, refer to second line');
      for (const hit of result.hits) lines.push(`       ${hit.source} ${hit.kind}, owner ${hit.ownerCountry}, action ${hit.actionToBeTaken ?? 'see record'}`);
      break;
    case 'POSSIBLE_HIT':
      lines.push('AMBER  possible match: compare the record with the traveller before deciding');
      break;
    case 'INCOMPLETE':
      lines.push('AMBER  not every database answered: this is NOT a clear result; check again or use the fallback procedure');
      for (const o of result.outcomes.filter((x) => x.status !== 'NO_HIT' && x.status !== 'HIT')) lines.push(`       ${o.source}: ${o.status}`);
      break;
  }
  return lines.join('\n');
}

try {
  const result = await client.checkMrz(scanned);
  console.log(display(result));
  console.log(isClear(result) ? 'clear' : 'not clear');
} catch (err) {
  const e = err as BorderlinkError;
  if (e instanceof MrzError) console.log(`RESCAN  the MRZ could not be used (${e.mrzIssues.filter((i) => i.severity === 'error').map((i) => i.code).join(', ')})`);
  else console.log(`AMBER  no answer (${e.code}${e.retryable ? ', try again' : ''}): this is NOT a clear result`);
  process.exitCode = 1;
} finally {
  await client.close();
}
