// Where a command checks against: a real gateway (--gateway / BORDERLINK_GATEWAY_URL), or, with nothing at all
// configured, the demo gateway in-process, so `npx borderlink check …` answers on a fresh machine. Demo answers always
// say so, on every line.
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { CLIENT_ENV, createClient, readClientEnv, type BorderlinkClient, type ClientOptions, type Logger, type LogLevel } from 'borderlink';
import { PURPOSES, type Purpose, type QueryContext } from 'borderlink';
import { mockTransport } from 'borderlink/testing';
import { httpTransport, type HttpTlsOptions } from 'borderlink';
import { UsageError, choiceFlag, integerFlag } from './args';
import { STORE_KEY_VARIABLES } from './store-keys';

/** Flags of the commands that check (check, screen). */
export const CONNECTION_OPTIONS = {
  gateway: { type: 'string' },
  token: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  timeout: { type: 'string' },
  authority: { type: 'string' },
  operator: { type: 'string' },
  purpose: { type: 'string' },
  location: { type: 'string' },
} as const;

export interface ConnectionFlags {
  gateway?: string | undefined;
  token?: string | undefined;
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  timeout?: string | undefined;
  authority?: string | undefined;
  operator?: string | undefined;
  purpose?: string | undefined;
  location?: string | undefined;
}

/** The line every demo answer carries. */
export const DEMO_NOTICE = 'DEMO GATEWAY — synthetic data, not a real check';

export interface Connection {
  /** `BorderlinkClient<boolean>`: a command that passes an outbox gets writes that may answer QUEUED. */
  client: BorderlinkClient<boolean>;
  /** True when answers come from the embedded demo gateway. */
  demo: boolean;
}

const contextFlags = [
  { key: 'authorityId', flag: '--authority', env: CLIENT_ENV.authorityId },
  { key: 'operatorId', flag: '--operator', env: CLIENT_ENV.operatorId },
  { key: 'purpose', flag: '--purpose', env: CLIENT_ENV.purpose },
] as const;

function demoOperator(env: NodeJS.ProcessEnv): string {
  if (env.USER) return env.USER;
  try {
    return userInfo().username || 'demo';
  } catch {
    return 'demo';
  }
}

async function readPem(path: string | undefined, flag: string): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the file given to ${flag}`);
  }
}

/** A variable name is safe to echo when it looks like one of ours; the value never is. */
const VARIABLE_NAME = /^BORDERLINK_[A-Z0-9_]{1,40}$/;

/** Variables that say nothing about which gateway is meant: the SDK's log level is for the demo as for any gateway. */
const NOT_ABOUT_A_GATEWAY: readonly string[] = [...STORE_KEY_VARIABLES, CLIENT_ENV.logLevel];

/**
 * What says a real gateway is meant: a connection flag, or any `BORDERLINK_*` variable, even set to the empty
 * string (a deploy whose URL came out empty, or a misspelt `BORDERLINK_GATEWAY_ULR`). Only when this is empty may the
 * demo gateway answer: a configuration that went wrong must never screen real travellers against synthetic data.
 * The offline store's key variables, by their exact names, are not about a gateway: the demo keeps a copy too, and
 * the store itself remembers whether its copy came from the demo (store.ts), so the two never answer for each other.
 * Nor is `BORDERLINK_LOG`, which turns on the SDK's log for whichever gateway answers.
 */
function gatewayIntent(flags: ConnectionFlags, env: NodeJS.ProcessEnv): string[] {
  const given = Object.keys(CONNECTION_OPTIONS).filter((name) => flags[name as keyof ConnectionFlags] !== undefined).map((name) => `--${name}`);
  const variables = Object.keys(env)
    // In any case: `borderlink_gateway_url` is a typo for the real thing, not a reason to answer from demo data.
    .filter((name) => name.toUpperCase().startsWith('BORDERLINK_') && !NOT_ABOUT_A_GATEWAY.includes(name))
    .sort()
    .map((name) => (VARIABLE_NAME.test(name) ? `${name}${env[name] === '' ? '=""' : ''}` : 'a BORDERLINK_ variable'));
  return [...new Set([...given, ...variables])];
}

/**
 * The URL of the gateway the flags and environment name, or `undefined` for the demo gateway.
 * @throws {UsageError} when something about a gateway is configured without its URL.
 */
function gatewayUrl(flags: ConnectionFlags, env: NodeJS.ProcessEnv): string | undefined {
  if (flags.gateway === '') throw new UsageError('--gateway needs the URL of the gateway');
  const url = flags.gateway ?? (env.BORDERLINK_GATEWAY_URL || undefined);
  const intent = gatewayIntent(flags, env);
  if (url === undefined && intent.length > 0) {
    const shown = intent.length > 6 ? [...intent.slice(0, 6), '…'] : intent;
    throw new UsageError(
      `no gateway URL, but a gateway is configured (${shown.join(', ')}): give --gateway URL or set BORDERLINK_GATEWAY_URL; ` +
        'the demo gateway answers only when no BORDERLINK_ variable and no connection flag is set',
    );
  }
  return url;
}

/** Whether the flags and environment leave the demo gateway to answer (by the rule of {@link connect}). */
export function demoWanted(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): boolean {
  return gatewayUrl(flags, env) === undefined;
}

/** What a command adds to the client it connects with: the offline copy, the outbox. */
export type ClientExtras = Pick<ClientOptions, 'offline' | 'outbox'>;

/**
 * The SDK's log lines, on stderr (stdout holds the answer, which a script reads): one line each, its fields as JSON
 * with everything outside printable ASCII escaped, so nothing in them can drive the terminal.
 */
const STDERR_LOGGER: Logger = (() => {
  const write = (message: string, fields?: Record<string, unknown>) => {
    const text = fields === undefined ? message : `${message} ${JSON.stringify(fields)}`;
    process.stderr.write(`${text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
  };
  return { error: write, warn: write, info: write, debug: write };
})();

/** The client options of `BORDERLINK_LOG`: its level, on stderr; none when it is not set. */
function logOptions(level: LogLevel | undefined): Pick<ClientOptions, 'logLevel' | 'logger'> {
  return level === undefined ? { logLevel: 'off' } : { logLevel: level, logger: STDERR_LOGGER };
}

/** Builds the client the flags and environment ask for. */
export async function connect(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env, extras: ClientExtras = {}): Promise<Connection> {
  const url = gatewayUrl(flags, env);
  const demo = url === undefined;
  // The library's one reading rule: a variable set to nothing (or spaces) is an error naming it, never read as unset.
  const variables = readClientEnv(env);
  const given = {
    authorityId: flags.authority ?? variables.context.authorityId,
    operatorId: flags.operator ?? variables.context.operatorId,
    purpose: flags.purpose ?? variables.context.purpose,
  };
  if (!demo) {
    const missing = contextFlags.filter((c) => given[c.key] === undefined);
    if (missing.length > 0) {
      throw new UsageError(
        `a real gateway needs the query context: give ${missing.map((m) => m.flag).join(', ')} (or ${missing.map((m) => m.env).join(', ')})`,
      );
    }
  }
  const purpose: Purpose = choiceFlag(given.purpose, '--purpose', PURPOSES) ?? 'TEST';
  const location = flags.location ?? variables.context.locationId;
  const context: QueryContext = {
    authorityId: given.authorityId ?? 'UTO-DEMO',
    operatorId: given.operatorId ?? demoOperator(env),
    purpose,
    ...(location !== undefined ? { locationId: location } : {}),
  };
  const timeoutMs = integerFlag(flags.timeout, '--timeout', 1, 600_000);

  const log = logOptions(variables.logLevel);

  if (demo) {
    const client = createClient({ transport: mockTransport(), context, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...log, ...extras });
    return { client, demo: true };
  }

  if ((flags.cert === undefined) !== (flags.key === undefined)) throw new UsageError('--cert and --key go together (mutual TLS)');
  const [ca, cert, key] = await Promise.all([readPem(flags.ca, '--ca'), readPem(flags.cert, '--cert'), readPem(flags.key, '--key')]);
  const tls: HttpTlsOptions = { ...(ca !== undefined ? { ca } : {}), ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}) };
  const token = flags.token ?? variables.token;
  const transport = httpTransport({
    baseUrl: url,
    ...(token !== undefined ? { token } : {}),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
  });
  const client = createClient({ transport, context, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...log, ...extras });
  return { client, demo: false };
}
