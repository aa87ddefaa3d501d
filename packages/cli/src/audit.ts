// `borderlink audit verify PATH… [--public-key FILE] [--json]`: checks an audit log written by borderlink/audit and
// says where its chain first breaks, by file, line and offset, never what the line says (an audit log holds who
// searched for what). `borderlink/audit` is loaded here only, when the command runs.
import { existsSync, readFileSync } from 'node:fs';
import type { AuditLogReport } from 'borderlink/audit';
import { COMMON_OPTIONS, UsageError, parseFlags } from './args';
import { EXIT } from './exit-codes';
import { jsonLine, stripUnsafe } from './output';
import { colourWanted, createPaint } from './terminal';

const OPTIONS = { ...COMMON_OPTIONS, 'public-key': { type: 'string' }, prefix: { type: 'string' }, json: { type: 'boolean' } } as const;

type AuditModule = typeof import('borderlink/audit');

async function loadAudit(): Promise<AuditModule> {
  try {
    return await import('borderlink/audit');
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new UsageError('the installed borderlink has no borderlink/audit: reinstall @borderlink/cli');
    }
    throw err;
  }
}

function readKey(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError('the file given to --public-key cannot be read');
  }
}

/** Where a position is, as printed: the path the user gave (their own text, stripped of control characters). */
const at = (p: { file: string; line: number }) => `${stripUnsafe(p.file)} line ${p.line}`;

function text(report: AuditLogReport, keyGiven: boolean): string {
  const paint = createPaint(colourWanted(process.stdout));
  const lines: string[] = [];
  const cps = report.checkpoints;
  const checkpoints = keyGiven
    ? `${cps.verified} ${cps.verified === 1 ? 'checkpoint' : 'checkpoints'} verified`
    : `${cps.unverified} ${cps.unverified === 1 ? 'checkpoint' : 'checkpoints'} not checked (no --public-key)`;
  const counted = `${report.records} ${report.records === 1 ? 'record' : 'records'} in ${report.files} ${report.files === 1 ? 'file' : 'files'}, ${checkpoints}`;
  if (report.broken !== undefined) {
    const b = report.broken;
    lines.push(paint.red(`BROKEN at ${at(b)} (byte ${b.offset}): ${b.reason}`));
    lines.push(`  ${stripUnsafe(b.explanation)}`);
    lines.push(`  before it: ${counted}`);
  } else {
    lines.push(paint.green(`INTACT: ${counted}`));
    if (report.last !== undefined) lines.push(`  last record ${report.last.seq} at ${at(report.last)}, ${report.last.at}${report.closed ? ', closed by its writer' : ''}`);
    if (report.first !== undefined && report.first.seq > 0) lines.push(`  starts at record ${report.first.seq}: retention removed ${report.removed} ${report.removed === 1 ? 'file' : 'files'} before it, as the chain records`);
  }
  if (report.endsCutOff !== undefined) lines.push(paint.magenta(`  the log stops at ${at(report.endsCutOff)} (byte ${report.endsCutOff.offset}): a line cut off (a writer stopped mid-write); everything before it verifies`));
  for (const cut of report.cutOff) lines.push(`  a line cut off at ${at(cut)}: the next file carries the chain on from the line before it`);
  if (report.gaps.records > 0) lines.push(paint.magenta(`  ${report.gaps.dropped} ${report.gaps.dropped === 1 ? 'event' : 'events'} the writer could not keep, recorded in ${report.gaps.records} gap ${report.gaps.records === 1 ? 'record' : 'records'}`));
  return lines.join('\n');
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (positionals.length === 0) throw new UsageError('give the audit log: borderlink audit verify PATH… (its files, or the folder holding them)');
  positionals.forEach((path, i) => {
    if (!existsSync(path)) throw new UsageError(`the path given as argument ${i + 1} does not exist`);
  });
  const publicKey = readKey(values['public-key']);
  const { verifyAuditLog } = await loadAudit();
  const report = await verifyAuditLog(positionals, {
    ...(publicKey !== undefined ? { publicKey } : {}),
    ...(values.prefix !== undefined ? { prefix: values.prefix } : {}),
  });
  process.stdout.write(`${values.json ? jsonLine(report, false) : text(report, publicKey !== undefined)}\n`);
  return report.ok ? 0 : EXIT.GATEWAY;
}

export async function runAudit(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') return verify(rest);
  throw new UsageError('audit takes verify (see borderlink help audit)');
}
