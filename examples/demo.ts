// `npm run demo`: starts the mock gateway in this process, runs a document, a person and a vehicle check against it
// over HTTP, and prints the answers. Synthetic data on the ICAO specimen state UTO; nothing leaves this machine.
import { createClient, httpTransport, type CheckResult } from 'borderlink';
import { createMockGateway } from 'borderlink/testing';

const gateway = await createMockGateway();
const client = createClient({
  transport: httpTransport({ baseUrl: gateway.url }),
  context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'demo-officer', purpose: 'TEST', locationId: 'UTO-DEMO-CROSSING' },
  timeoutMs: 3000,
});

function show(title: string, result: CheckResult): void {
  console.log(`\n${title}`);
  console.log(`  VERDICT  ${result.verdict}   (${result.durationMs} ms, ${result.attempts} attempt${result.attempts === 1 ? '' : 's'})`);
  for (const hit of result.hits) {
    const what =
      hit.kind === 'document' || hit.kind === 'linked-document'
        ? `document ${hit.document?.status}`
        : hit.kind === 'person'
          ? `person, ${hit.notice?.type} notice ${hit.notice?.reference}`
          : `vehicle ${hit.vehicle?.make} ${hit.vehicle?.model}, stolen ${hit.vehicle?.theftDate}`;
    console.log(`  HIT      ${hit.source} ${what}; owner ${hit.ownerCountry}; match ${hit.match.method}; action ${hit.actionToBeTaken ?? '-'}`);
  }
  console.log(`  SOURCES  ${result.outcomes.map((o) => `${o.source} ${o.status}`).join(', ')}`);
}

try {
  console.log(`Mock gateway (demo dataset, synthetic data) at ${gateway.url}`);
  show(
    'Document L898902C3 (UTO passport)',
    await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' }),
  );
  show(
    'Person ERIKSSON, ANNA MARIA, born 1974-08-12',
    await client.checkPerson({ surname: 'ERIKSSON', givenNames: ['ANNA', 'MARIA'], dateOfBirth: '1974-08-12', sex: 'F', nationality: 'UTO' }),
  );
  show('Vehicle VIN WVWZZZ1JZXW000001', await client.checkVehicle({ vin: 'WVWZZZ1JZXW000001' }));
  show(
    'Document X0000001 (UTO passport, in no database)',
    await client.checkDocument({ documentNumber: 'X0000001', issuingState: 'UTO', documentType: 'PASSPORT' }),
  );
} finally {
  await client.close();
  await gateway.close();
}
