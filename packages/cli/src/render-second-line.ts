// What the second line reads: a full record, and where a confirmation stands. Every string from the gateway has been
// through terminalSafe() before it is put in a line; the command's own colour codes are added after.
import type { ConfirmationRequestState, ConfirmationView, FullRecord, RecordResult } from 'borderlink';
import { terminalSafe } from './output';
import type { Paint } from './terminal';

const SOURCE_NAMES: Record<FullRecord['source'], string> = {
  SLTD: 'stolen or lost travel document',
  TDAWN: 'valid document linked to a notice',
  NOMINAL: 'wanted or sought person',
  SMV: 'stolen vehicle',
};

const given = (value: string | undefined): string => value ?? '?';
const list = (values: string[] | undefined): string => (values === undefined || values.length === 0 ? '—' : values.join(', '));

function row(label: string, value: string): string {
  return `  ${label.padEnd(14)} ${value}`;
}

/** The lines of a notice in full. */
function noticeLines(notice: Extract<FullRecord, { source: 'TDAWN' | 'NOMINAL' }>['notice'], paint: Paint): string[] {
  const n = notice ?? {};
  const charges = n.charges !== undefined && n.charges.length > 0 ? ` — ${n.charges.join(', ')}` : '';
  const lines = [row('notice', paint.bold(`${given(n.type)} ${given(n.reference)}, requested by ${given(n.requestingCountry)}${charges}`))];
  if (n.publishedAt !== undefined || n.expiresAt !== undefined) lines.push(row('published', `${given(n.publishedAt)} · expires ${given(n.expiresAt)}`));
  if (n.aliases !== undefined) lines.push(row('aliases', list(n.aliases)));
  if (n.physicalDescription !== undefined) lines.push(row('description', n.physicalDescription));
  if (n.languages !== undefined) lines.push(row('languages', list(n.languages)));
  return lines;
}

function documentLine(d: Extract<FullRecord, { source: 'SLTD' | 'TDAWN' }>['document']): string {
  const doc = d ?? {};
  const incident = doc.incidentDate !== undefined ? `, incident ${doc.incidentDate}${doc.incidentCountry ? ` in ${doc.incidentCountry}` : ''}` : '';
  return row('document', `${given(doc.documentType)} ${given(doc.documentNumber)} issued by ${given(doc.issuingState)} · ${given(doc.status)}${incident}`);
}

/** The human reading of `borderlink record`. */
export function renderRecord(answer: RecordResult, paint: Paint): string {
  const { record, warnings, requestId, durationMs } = terminalSafe(answer);
  const lines = [paint.bold(`RECORD ${record.recordId} · ${record.source} · ${SOURCE_NAMES[record.source]}`)];
  lines.push(row('owner country', given(record.ownerCountry)));
  lines.push(row('action', paint.bold(record.actionToBeTaken ?? 'none given: ask the owner country')));
  switch (record.source) {
    case 'SLTD': {
      lines.push(documentLine(record.document));
      const by = record.reportingAuthority !== undefined ? `${record.reportingAuthority}${record.authorityReference ? ` (${record.authorityReference})` : ''}` : '?';
      lines.push(row('reported by', by));
      lines.push('', paint.bold('History'));
      const history = record.history ?? [];
      if (history.length === 0) lines.push('  none given');
      for (const h of history) lines.push(`  ${given(h.at).padEnd(22)} ${given(h.event).padEnd(16)} ${(h.status ?? '').padEnd(14)} ${h.authority ?? ''}`.trimEnd());
      break;
    }
    case 'TDAWN':
      lines.push(documentLine(record.document), ...noticeLines(record.notice, paint));
      break;
    case 'NOMINAL': {
      const p = record.person ?? {};
      lines.push(row('person', `${given(p.surname)}, ${p.givenNames?.join(' ') ?? '?'} · born ${given(p.dateOfBirth)} · ${list(p.nationalities)}`));
      lines.push(...noticeLines(record.notice, paint));
      break;
    }
    case 'SMV': {
      const v = record.vehicle ?? {};
      lines.push(row('vehicle', `${given(v.make)} ${given(v.model)}, ${given(v.colour)}${v.manufactureYear ? `, ${v.manufactureYear}` : ''}${v.bodyType ? `, ${v.bodyType}` : ''}`));
      lines.push(row('identifiers', `VIN ${given(v.vin)} · plate ${given(v.plate)} (${given(v.registrationCountry)})${v.engineNumber ? ` · engine ${v.engineNumber}` : ''}`));
      lines.push(row('stolen', given(v.theftDate)));
      if (v.description !== undefined) lines.push(row('description', v.description));
      break;
    }
  }
  if (warnings.length > 0) lines.push('', paint.yellow(`The gateway sent ${warnings.length === 1 ? 'a field' : `${warnings.length} fields`} that could not be read: ${warnings.map((w) => w.path).join(', ')}`));
  lines.push('', paint.yellow(`A hit on this record is a lead until ${given(record.ownerCountry)} confirms it (borderlink confirm HIT_ID).`));
  lines.push(paint.dim(`request ${requestId} · ${durationMs} ms`));
  return lines.join('\n');
}

const FINAL: Record<Exclude<ConfirmationRequestState, 'PENDING'>, { text: string; colour: 'red' | 'green' | 'yellow' | 'magenta' }> = {
  CONFIRMED: { text: 'the owner confirms the hit: act on it', colour: 'red' },
  NOT_CONFIRMED: { text: 'the owner does not confirm the hit: do not act on it', colour: 'yellow' },
  RECORD_NO_LONGER_VALID: { text: 'the record no longer holds: do not act on it', colour: 'yellow' },
  EXPIRED: { text: 'no answer after three requests: the hit is still a lead; follow your procedure', colour: 'magenta' },
};

/** One line of where a pending confirmation stands. */
export function pendingLine(view: ConfirmationView, paint: Paint): string {
  const v = terminalSafe(view);
  return `${paint.yellow('PENDING')} · ${v.priority} · request ${v.attempt} of 3 · ${v.confirmationId} · due ${v.dueAt}`;
}

/** What the officer reads once a confirmation is final. */
export function renderFinal(view: ConfirmationView, paint: Paint): string {
  const v = terminalSafe(view);
  if (v.state === 'PENDING') return pendingLine(view, paint);
  const f = FINAL[v.state];
  const lines = [paint.enabled ? `${paint.banner(v.state, f.colour)} ${paint.bold(f.text)}` : `${v.state} — ${f.text}`];
  if (v.response?.instructions !== undefined) lines.push(row('instructions', paint.bold(v.response.instructions)));
  if (v.response?.ownerReference !== undefined) lines.push(row('owner ref.', v.response.ownerReference));
  if (v.respondedAt !== undefined) lines.push(row('answered at', v.respondedAt));
  lines.push(row('request', `${v.attempt} of 3 · ${v.confirmationId} · ${v.priority}`));
  lines.push(row('hit id', v.hitId));
  return lines.join('\n');
}
