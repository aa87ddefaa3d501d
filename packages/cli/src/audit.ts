// `borderlink audit verify PATH… [--public-key FILE] [--json]`: checks an audit log written by borderlink/audit and
// says where its chain first breaks, by file, line and offset, never what the line says (an audit log holds who
// searched for what). `borderlink/audit` is loaded here only, when the command runs.
import { existsSync, readFileSync } from 'node:fs';
import type { AuditCheckpoint, AuditLogReport } from 'borderlink/audit';
import { COMMON_OPTIONS, UsageError, parseFlags } from './args';
import { EXIT } from './exit-codes';
import { jsonLine, stripUnsafe } from './output';
import { colourWanted, createPaint } from './terminal';

export const OPTIONS = { ...COMMON_OPTIONS, 'public-key': { type: 'string' }, checkpoints: { type: 'string' }, prefix: { type: 'string' }, json: { type: 'boolean' } } as const;

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

/**
 * The checkpoints kept away from the log: a JSON array, or one JSON object a line (what an integrator appends from
 * `onNotice`, the notice itself or its `checkpoint`). Their shape is the verifier's to check.
 */
function readCheckpoints(path: string | undefined): unknown[] | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError('the file given to --checkpoints cannot be read');
  }
  const lines = text.trimStart().startsWith('[') ? [text] : text.split('\n').filter((l) => l.trim() !== '');
  const out: unknown[] = [];
  lines.forEach((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`the file given to --checkpoints is not JSON (line ${i + 1})`);
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      const notice = item as { type?: unknown; checkpoint?: unknown } | null;
      out.push(notice !== null && typeof notice === 'object' && notice.type === 'checkpoint' && typeof notice.checkpoint === 'object' ? notice.checkpoint : item);
    }
  });
  return out;
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
  const found = cps.found > 0 ? `, ${cps.found} kept ${cps.found === 1 ? 'checkpoint' : 'checkpoints'} found` : '';
  const counted = `${report.records} ${report.records === 1 ? 'record' : 'records'} in ${report.files} ${report.files === 1 ? 'file' : 'files'}, ${checkpoints}${found}`;
  if (report.broken !== undefined) {
    const b = report.broken;
    lines.push(paint.red(`BROKEN at ${at(b)} (byte ${b.offset}): ${b.reason}`));
    lines.push(`  ${stripUnsafe(b.explanation)}`);
    lines.push(`  before it: ${counted}`);
  } else {
    lines.push(paint.green(`INTACT: ${counted}`));
    if (report.last !== undefined) lines.push(`  last record ${report.last.seq} at ${at(report.last)}, ${report.last.at}${report.closed ? ', closed by its writer' : ''}`);
    if (cps.afterLast > 0) lines.push(`  ${cps.afterLast} ${cps.afterLast === 1 ? 'record' : 'records'} after the last checkpoint rest on the chain alone`);
    if (report.first !== undefined && report.first.seq > 0) lines.push(`  starts at record ${report.first.seq}: retention removed ${report.removed} ${report.removed === 1 ? 'file' : 'files'} before it, as the chain records`);
  }
  if (report.endsCutOff !== undefined) lines.push(paint.magenta(`  the log stops at ${at(report.endsCutOff)} (byte ${report.endsCutOff.offset}): a line cut off (a writer stopped mid-write); everything before it verifies`));
  for (const cut of report.cutOff) lines.push(`  a line cut off at ${at(cut)}: the next file carries the chain on from the line before it`);
  if (report.gaps.records > 0) lines.push(paint.magenta(`  ${report.gaps.dropped} ${report.gaps.dropped === 1 ? 'event' : 'events'} the writer could not keep, recorded in ${report.gaps.records} gap ${report.gaps.records === 1 ? 'record' : 'records'}`));
  return lines.join('\n');
}

/** `borderlink audit verify PATH…`. */
export async function runAuditVerify(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (positionals.length === 0) throw new UsageError('give the audit log: borderlink audit verify PATH… (its files, or the folder holding them)');
  positionals.forEach((path, i) => {
    if (!existsSync(path)) throw new UsageError(`the path given as argument ${i + 1} does not exist`);
  });
  const publicKey = readKey(values['public-key']);
  const checkpoints = readCheckpoints(values.checkpoints);
  const { verifyAuditLog } = await loadAudit();
  const report = await verifyAuditLog(positionals, {
    ...(publicKey !== undefined ? { publicKey } : {}),
    ...(checkpoints !== undefined ? { checkpoints: checkpoints as AuditCheckpoint[] } : {}),
    ...(values.prefix !== undefined ? { prefix: values.prefix } : {}),
  });
  process.stdout.write(`${values.json ? jsonLine(report, false) : text(report, publicKey !== undefined)}\n`);
  return report.ok ? 0 : EXIT.GATEWAY;
}
