// What the audit log tests share: a scratch folder per test, an Ed25519 key pair, events with planted values, and
// byte-level edits of a log file.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from 'borderlink';

/** A folder removed after the run. */
export function scratch(): { dir: string; path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'borderlink-audit-'));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A signing key pair as PEM text, as an integrator keeps it. */
export function keyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A value planted in every event: it must never appear in what the verifier says. */
export const PLANTED = 'L898902C3-ERIKSSON';

/** An audit event as the client makes one, number `i`. */
export function auditEvent(i: number): AuditEvent {
  return {
    at: new Date(Date.UTC(2025, 5, 1, 10, 0, 0, i)).toISOString(),
    requestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    action: 'CHECK',
    authorityId: 'UTO-BORDER-POLICE',
    operatorId: 'officer-0042',
    purpose: 'BORDER_CHECK',
    subjects: [{ kind: 'document', hash: 'a'.repeat(32), values: { kind: 'document', documentNumber: PLANTED, issuingState: 'UTO', documentType: 'PASSPORT' } }],
    sources: ['SLTD', 'TDAWN'],
    verdict: 'NO_HIT',
    outcome: 'OK',
    hitIds: [],
    durationMs: 12,
    attempts: 1,
    servedFrom: 'network',
  };
}

/** The log's files in a folder, oldest first. */
export function logFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((n) => join(dir, n));
}

/** The lines of a file (without the empty string after its last line break). */
export function linesOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Writes `lines` back as the file's whole content, each with its line break. */
export function writeLines(path: string, lines: readonly string[]): void {
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
}
