// The segments of a PAXLST interchange as the WCO/IATA/ICAO implementation guide lays them out (service segments,
// then the message's header, groups 1–5 and its summary), with what this reader does with each. One row per tag;
// the parser walks this table, so a segment the guide defines is either read or passed over by name, never by
// accident.

/** What the reader does with a segment of the guide. */
export type SegmentUse = 'read' | 'skipped';

/** One segment tag of the guide. */
export interface PaxlstSegment {
  /** The segment's name in the guide. */
  readonly name: string;
  /** `read`: its data reaches the manifest; `skipped`: recognised and passed over, for the reason given. */
  readonly use: SegmentUse;
  /** Where it is read or why it is passed over. */
  readonly note: string;
}

/**
 * Every segment the PAXLST implementation guide (v5.0, directories D02B and D05B) defines, with what
 * {@link parsePaxlst} does with it. A tag not in this table is an `UNKNOWN_SEGMENT` warning.
 */
export const PAXLST_SEGMENTS: Readonly<Record<string, PaxlstSegment>> = Object.freeze({
  UNA: { name: 'Service string advice', use: 'read', note: 'the separators and the release character' },
  UNB: { name: 'Interchange header', use: 'read', note: 'syntax, sender, recipient, preparation time, control reference' },
  UNG: { name: 'Functional group header', use: 'read', note: 'group reference, checked against UNE' },
  UNH: { name: 'Message header', use: 'read', note: 'message reference, type PAXLST, common access reference, sequence of transfers' },
  BGM: { name: 'Beginning of message', use: 'read', note: '745 passenger list, 250 crew list (336 master crew list, 266 flight close-out)' },
  RFF: { name: 'Reference', use: 'read', note: 'in the header: the transaction reference; in group 4: booking, passenger, seat and other references' },
  DTM: { name: 'Date/time/period', use: 'read', note: '189/232 departure and arrival (group 3), 329 date of birth (group 4), 36 expiry and 182 issue (group 5)' },
  NAD: { name: 'Name and address', use: 'read', note: 'group 1: the reporting party; group 4: a traveller (FL, DDT passengers; FM, DDU crew)' },
  CTA: { name: 'Contact information', use: 'read', note: 'the reporting party’s contact (group 1)' },
  COM: { name: 'Communication contact', use: 'read', note: 'the reporting party’s numbers (group 1); a traveller’s own numbers are passed over' },
  TDT: { name: 'Details of transport', use: 'read', note: 'flight number and carrier (group 2)' },
  LOC: { name: 'Place/location identification', use: 'read', note: '125/87/92 flight legs (group 3); 22/178/179/174/180 traveller places (group 4); 91 document issuing state (group 5)' },
  ATT: { name: 'Attribute', use: 'read', note: 'sex (ATT+2)' },
  MEA: { name: 'Measurements', use: 'skipped', note: 'checked bags and their weight: nothing a check searches' },
  GEI: { name: 'Processing information', use: 'skipped', note: 'the carrier’s verification indicator: not the state’s to rely on' },
  GIS: { name: 'General indicator', use: 'skipped', note: 'the older directories’ processing indicator, as GEI' },
  FTX: { name: 'Free text', use: 'skipped', note: 'bag tag numbers and remarks: free text is never searched' },
  EMP: { name: 'Employment details', use: 'read', note: 'a crew member’s function' },
  NAT: { name: 'Nationality', use: 'read', note: 'nationality' },
  DOC: { name: 'Document/message details', use: 'read', note: 'travel document type and number (group 5)' },
  CNT: { name: 'Control total', use: 'read', note: '42 passengers, 41 crew: checked against the travellers read' },
  UNT: { name: 'Message trailer', use: 'read', note: 'segment count and reference, checked' },
  UNE: { name: 'Functional group trailer', use: 'read', note: 'message count and reference, checked' },
  UNZ: { name: 'Interchange trailer', use: 'read', note: 'message (or group) count and reference, checked' },
});

// Service segments of other messages and directories a tag may be: named in messages like the guide's own.
const OTHER_KNOWN_TAGS = new Set(['UNS', 'UCI', 'UCM', 'UCS', 'UCD', 'QTY', 'ERP', 'ERC', 'GEI', 'CUX', 'PAT']);

/** The tag as an issue may show it: only a tag the guide (or EDIFACT's service segments) defines. @internal */
export function shownTag(tag: string): string | undefined {
  return Object.hasOwn(PAXLST_SEGMENTS, tag) || OTHER_KNOWN_TAGS.has(tag) ? tag : undefined;
}
