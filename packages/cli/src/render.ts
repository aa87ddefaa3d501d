// What an officer reads: the verdict first, then each hit with what to do, then each source's answer.
import type { MrzCheckDigitName, ParsedMrz } from 'borderlink';
import type { CheckResult, Hit, OutcomeStatus, Source, SourceState, Verdict } from 'borderlink';
import { DEMO_NOTICE } from './connection';
import { DEFAULT_MAX_STALENESS_HOURS, ageText, copyAgeMs, noteText, reasonText } from './copy-age';
import { terminalSafe } from './output';
import type { Paint } from './terminal';

const verdicts: Record<Verdict, { text: string; colour: 'red' | 'green' | 'yellow' | 'magenta' }> = {
  HIT: { text: 'HIT — a record matches: a lead until its owner country confirms it', colour: 'red' },
  POSSIBLE_HIT: { text: 'POSSIBLE_HIT — a similar record: compare it before deciding', colour: 'yellow' },
  INCOMPLETE: { text: 'INCOMPLETE — not every source answered: this is NOT a clear result', colour: 'magenta' },
  NO_HIT: { text: 'NO_HIT — every source answered: no record', colour: 'green' },
};

const sourceNames: Record<Hit['kind'], string> = {
  document: 'stolen or lost travel document',
  'linked-document': 'valid document linked to a notice',
  person: 'wanted person',
  vehicle: 'stolen vehicle',
};

export function verdictLine(verdict: Verdict, paint: Paint): string {
  const v = verdicts[verdict];
  return paint.enabled ? `${paint.banner(verdict, v.colour)} ${paint.bold(v.text.slice(verdict.length + 1))}` : v.text;
}

function statusColour(status: OutcomeStatus, paint: Paint): string {
  if (status === 'HIT') return paint.red(status);
  if (status === 'POSSIBLE_HIT') return paint.yellow(status);
  if (status === 'NO_HIT') return paint.green(status);
  return paint.magenta(status);
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(14)} ${value}`;
}

/** A descriptive field the gateway did not give (or gave unreadably): the hit is still shown. */
const given = (value: string | undefined): string => value ?? '?';
const list = (values: string[] | undefined): string => (values === undefined ? '?' : values.join(', '));

function hitLines(hit: Hit, index: number, count: number, paint: Paint): string[] {
  const lines = [paint.bold(`Hit ${index + 1} of ${count} · ${hit.source} · ${sourceNames[hit.kind]}`)];
  if (hit.kind === 'document' || hit.kind === 'linked-document') {
    lines.push(row('status', paint.red(given(hit.document?.status))));
  } else if (hit.kind === 'vehicle') {
    lines.push(row('status', paint.red(`STOLEN${hit.vehicle?.theftDate ? ` (${hit.vehicle.theftDate})` : ''}`)));
  } else {
    lines.push(row('status', paint.red('WANTED')));
  }
  lines.push(row('owner country', given(hit.ownerCountry)));
  if (hit.kind === 'linked-document' || hit.kind === 'person') {
    const n = hit.notice ?? {};
    const charges = n.charges !== undefined && n.charges.length > 0 ? ` — ${n.charges.join(', ')}` : '';
    lines.push(row('notice', `${given(n.type)} ${given(n.reference)}, requested by ${given(n.requestingCountry)}${charges}`));
  } else {
    lines.push(row('notice', 'none'));
  }
  lines.push(row('action', paint.bold(hit.actionToBeTaken ?? 'none given: ask the owner country')));
  lines.push(row('match', `${hit.match.method} ${hit.match.score.toFixed(2)} on ${hit.match.matchedFields?.join(', ') || '—'}`));
  if (hit.kind === 'document' || hit.kind === 'linked-document') {
    const d = hit.document ?? {};
    const incident = d.incidentDate !== undefined ? `, incident ${d.incidentDate}${d.incidentCountry ? ` in ${d.incidentCountry}` : ''}` : '';
    lines.push(row('record', `${given(d.documentType)} ${given(d.documentNumber)} issued by ${given(d.issuingState)}${incident}`));
  } else if (hit.kind === 'person') {
    const p = hit.person ?? {};
    lines.push(row('record', `${given(p.surname)}, ${p.givenNames?.join(' ') ?? '?'} · born ${given(p.dateOfBirth)} · ${list(p.nationalities)}`));
  } else {
    const v = hit.vehicle ?? {};
    lines.push(row('record', `${given(v.make)} ${given(v.model)}, ${given(v.colour)} · VIN ${given(v.vin)} · plate ${given(v.plate)} (${given(v.registrationCountry)})`));
  }
  lines.push(row('record id', `${hit.recordId} · hit id ${hit.hitId}`));
  const state = hit.confirmation?.state;
  lines.push(row('confirmation', state === 'UNCONFIRMED' ? `UNCONFIRMED: a lead until ${given(hit.ownerCountry)} confirms it` : given(state)));
  return lines;
}

/** What the command knows of the offline copy a check may be answered from. */
export interface CopyView {
  /** Where each synced source's copy stands (from the store), for its age. */
  states: Partial<Record<Source, SourceState>>;
  /** The staleness limit the check was made with. @unit hours */
  maxStalenessHours: number;
  /** @unit epoch milliseconds */
  now: number;
}

/** The line that says the answer came from the offline copy, not the gateway. */
export const OFFLINE_NOTICE = 'OFFLINE COPY — answered from the offline copy, not the gateway';

/** The human answer to a check. Every gateway string in it has been through terminalSafe(). */
export function renderCheck(answer: CheckResult & { mrz?: ParsedMrz }, demo: boolean, paint: Paint, copy?: CopyView): string {
  const result = terminalSafe(answer);
  const offline = result.servedFrom === 'offline';
  const lines = [verdictLine(result.verdict, paint)];
  if (demo) lines.push(paint.yellow(DEMO_NOTICE));
  if (offline) lines.push(paint.yellow(`${OFFLINE_NOTICE}: ${reasonText(result.offlineReason)}`));
  result.hits.forEach((hit, i) => lines.push('', ...hitLines(hit, i, result.hits.length, paint)));
  lines.push('', paint.bold('Sources'));
  for (const o of result.outcomes) {
    let about = o.dataAsOf ? `data as of ${o.dataAsOf}` : '';
    if (o.servedFrom === 'offline') {
      const state = copy?.states[o.source];
      const age = state !== undefined ? ` · age ${ageText(copyAgeMs(state, copy!.now))}` : '';
      about = `offline copy${about ? ` · ${about}` : ''}${age}`;
    }
    lines.push(`  ${o.source.padEnd(9)}${statusColour(o.status, paint).padEnd(paint.enabled ? 24 : 14)}${about ? paint.dim(about) : ''}`.trimEnd());
    if (o.offlineNote !== undefined) lines.push(`${' '.repeat(16)}${paint.yellow(noteText(o.offlineNote, copy?.maxStalenessHours ?? DEFAULT_MAX_STALENESS_HOURS))}`);
  }
  if (result.mrz !== undefined) lines.push('', ...mrzSummary(result.mrz, paint));
  const attempts = result.attempts === 1 ? '1 attempt' : `${result.attempts} attempts`;
  const from = result.servedFrom === 'cache' ? ' · from cache' : offline ? ' · from the offline copy' : '';
  lines.push('', paint.dim(`request ${result.requestId} · ${result.durationMs} ms · ${attempts}${from}`));
  return lines.join('\n');
}

function issueLines(mrz: ParsedMrz, paint: Paint): string[] {
  if (mrz.issues.length === 0) return [row('issues', 'none')];
  return mrz.issues.map((issue, i) => {
    const text = `${issue.code} (${issue.severity}): ${issue.message}`;
    return row(i === 0 ? 'issues' : '', issue.severity === 'error' ? paint.red(text) : paint.yellow(text));
  });
}

/** What one repair did; a removed character is shown by its code point, since it may be whitespace or a control. */
function correctionText(c: ParsedMrz['corrections'][number]): string {
  const shown = (ch: string) => (/^[A-Z0-9<]$/.test(ch) ? `'${ch}'` : `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
  if (c.kind === 'removed') return `removed ${shown(c.from)} (the line was too long)`;
  if (c.kind === 'inserted') return `inserted ${shown(c.to)} (the line was too short)`;
  return `read ${shown(c.from)}, corrected to ${shown(c.to)}`;
}

function correctionLines(mrz: ParsedMrz, paint: Paint): string[] {
  if (mrz.corrections.length === 0) return [row('corrections', 'none')];
  return mrz.corrections.map((c, i) =>
    row(
      i === 0 ? 'corrections' : '',
      paint.yellow(`line ${c.line + 1}, column ${c.column + 1}: ${correctionText(c)} (${c.field}${c.verified ? ', verified by its check digit' : ', NOT verified'})`),
    ),
  );
}

/** What the MRZ said: format, validity, issues and repairs. */
export function mrzSummary(mrz: ParsedMrz, paint: Paint): string[] {
  const validity = mrz.valid ? paint.green('valid') : paint.red('INVALID');
  return [
    paint.bold(`MRZ ${mrz.format ?? 'unknown format'} · ${validity}${mrz.specimen ? ' · ICAO specimen' : ''}`),
    ...issueLines(mrz, paint),
    ...correctionLines(mrz, paint),
  ];
}

const digitNames: readonly MrzCheckDigitName[] = ['documentNumber', 'birthDate', 'expiryDate', 'personalNumber', 'composite'];

/** The full reading of `borderlink mrz parse`. What a scanner sent is untrusted too: it goes through terminalSafe(). */
export function renderMrz(parsed: ParsedMrz, paint: Paint): string {
  const mrz = terminalSafe(parsed);
  const lines = [paint.bold(`MRZ ${mrz.format ?? 'unknown format'}`) + ' · ' + (mrz.valid ? paint.green('valid') : paint.red('INVALID')) + (mrz.specimen ? ' · ICAO specimen' : '')];
  const d = mrz.document;
  if (d !== null) {
    lines.push('', paint.bold('Fields'));
    lines.push(row('document', `${d.documentType} (code ${d.documentCode})`));
    lines.push(row('issuing state', d.issuingState));
    lines.push(row('number', d.documentNumber));
    lines.push(row('surname', d.surname || '—'));
    lines.push(row('given names', d.givenNames.join(' ') || '—'));
    lines.push(row('nationality', d.nationality || '—'));
    lines.push(row('date of birth', d.birthDate ?? 'invalid'));
    lines.push(row('sex', d.sex));
    lines.push(row('expiry date', d.expiryDate ?? 'invalid'));
    if (d.personalNumber !== undefined) lines.push(row('personal no.', d.personalNumber));
    if (d.optionalData !== undefined) lines.push(row('optional data', d.optionalData.join(' | ')));
  }
  const digits = digitNames.flatMap((name) => {
    const digit = mrz.checkDigits[name];
    if (digit === undefined) return [];
    const verdict = digit.ok ? paint.green('ok') : paint.red('WRONG');
    return [row(name, `printed ${digit.printed}, computed ${digit.computed} · ${verdict}${digit.overflow ? ' · number overflows into optional data' : ''}`)];
  });
  if (digits.length > 0) lines.push('', paint.bold('Check digits'), ...digits);
  lines.push('', paint.bold('Findings'), ...issueLines(mrz, paint), ...correctionLines(mrz, paint));
  if (mrz.lines.length > 0) lines.push('', paint.bold('Lines as judged'), ...mrz.lines.map((l) => `  ${l}`));
  return lines.join('\n');
}
