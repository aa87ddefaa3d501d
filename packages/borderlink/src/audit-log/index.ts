/**
 * `borderlink/audit`: a tamper-evident audit log for the client's audit events. {@link openAuditLog} appends each event
 * to JSON Lines files as a canonical (RFC 8785) record carrying the SHA-256 of the line before it, across rotated
 * files, with signed checkpoints of the chain head (Ed25519, your key) and retention by whole files;
 * {@link verifyAuditLog} (and `borderlink audit verify`) reports the first broken link by position. Importing
 * `borderlink` loads nothing of this entry point.
 * @module borderlink/audit
 */
export { openAuditLog } from './writer';
export type { AuditLog, AuditLogStatus } from './writer';
export type { AuditCheckpoint, AuditFsync, AuditLogNotice, AuditLogOptions, VerifyAuditLogOptions } from './options';
export { verifyAuditLog } from './verify';
export type { AuditLogBreak, AuditLogBreakReason, AuditLogPosition, AuditLogReport } from './verify';
