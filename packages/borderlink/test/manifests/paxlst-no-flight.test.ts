import { describe, expect, it } from 'vitest';
import { parsePaxlst } from '../../src/manifests';
import { writePaxlst } from '../../src/testing';

describe('a PAXLST without a flight', () => {
  it('reads a traveller whose NAD follows the header as a traveller, not as the reporting party', () => {
    const text = writePaxlst({ messages: [{ flights: [], travellers: [{ surname: 'ERIKSSON', documents: [{ number: 'L898902C3', issuingState: 'UTO' }] }] }] });
    const manifest = parsePaxlst(text);
    const travellers = manifest.messages.flatMap((m) => m.travellers);
    expect(travellers.map((t) => [t.role, t.surname, t.documents.map((d) => d.number)])).toEqual([['passenger', 'ERIKSSON', ['L898902C3']]]);
    expect(manifest.messages[0]!.reportingParty).toBeUndefined();
  });
});
