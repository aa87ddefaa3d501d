// The environment variables of borderlink, read by one rule for the library (createClientFromEnv, BORDERLINK_LOG at
// createClient) and the command alike: a variable set to nothing (or to spaces) is an error naming it, never read as
// absent and never replaced by a default, since a deploy whose token came out empty must not run as one without a
// token. Messages name the variable, never its value (a token, an operator's id).
import { ConfigError } from '../errors/index';
import type { LogLevel } from '../logging/logger';
import { PURPOSES, type Purpose, type QueryContext } from '../queries/types';
import { contextSchema, safeParseWorded } from '../queries/validate';
import { baseUrlProblem, isBearerToken } from '../transport/http';

/**
 * The environment variables borderlink reads, by what they give. `BORDERLINK_LOG` is read by every `createClient`
 * given no `logLevel`; the others by {@link createClientFromEnv} and the `borderlink` command.
 * @example
 * ```ts
 * console.log(`set ${CLIENT_ENV.gatewayUrl} and ${CLIENT_ENV.token}`);
 * ```
 */
export const CLIENT_ENV = Object.freeze({
  /** The gateway's URL (`httpTransport`'s `baseUrl`). */
  gatewayUrl: 'BORDERLINK_GATEWAY_URL',
  /** The bearer token (`httpTransport`'s `token`). */
  token: 'BORDERLINK_TOKEN',
  /** `context.authorityId`. */
  authorityId: 'BORDERLINK_AUTHORITY',
  /** `context.operatorId`. */
  operatorId: 'BORDERLINK_OPERATOR',
  /** `context.purpose`, one of {@link PURPOSES} (in any case of letters). */
  purpose: 'BORDERLINK_PURPOSE',
  /** `context.locationId`. */
  locationId: 'BORDERLINK_LOCATION',
  /** The SDK's log level: `debug`, `info`, `warn`, `error` or `off`. */
  logLevel: 'BORDERLINK_LOG',
} as const);

/** What {@link readClientEnv} found: each field only when its variable is set. */
export interface ClientEnv {
  /** `BORDERLINK_GATEWAY_URL`, an http: or https: URL. */
  gatewayUrl?: string;
  /** `BORDERLINK_TOKEN`, visible ASCII. */
  token?: string;
  /** `BORDERLINK_AUTHORITY`, `BORDERLINK_OPERATOR`, `BORDERLINK_PURPOSE`, `BORDERLINK_LOCATION`, each by the rule of its field. */
  context: Partial<QueryContext>;
  /** `BORDERLINK_LOG`, when it is one of the levels (another value is ignored, with a warning). */
  logLevel?: LogLevel;
}

/** An environment to read: `process.env`, or an object of your own. */
export type Environment = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'off'];

let warnedOfLogLevel = false;

/**
 * `BORDERLINK_LOG` as a level. A value that is none of the levels (a blank one included) is ignored, with one
 * warning per process on stderr (`process.emitWarning`, code `BORDERLINK_LOG_INVALID`) that names the variable and
 * the levels, never the value: a switch for debugging must never stop a border post from starting, as `OPENAI_LOG`
 * never stops openai-node. @internal
 */
export function logLevelFromEnv(env: Environment | undefined): LogLevel | undefined {
  const raw = env?.[CLIENT_ENV.logLevel];
  if (raw === undefined) return undefined;
  const level = raw.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  if (!warnedOfLogLevel) {
    warnedOfLogLevel = true;
    try {
      process.emitWarning(`${CLIENT_ENV.logLevel} is not one of ${LOG_LEVELS.join(', ')}: it is ignored`, { code: 'BORDERLINK_LOG_INVALID' });
    } catch {
      // A warning that cannot be given must not stop a client from being made.
    }
  }
  return undefined;
}

/** For the test that sees the one warning again. @internal */
export function forgetLogLevelWarning(): void {
  warnedOfLogLevel = false;
}

/** The process's environment, where there is one. */
export function processEnv(): Environment | undefined {
  return typeof process === 'object' && process !== null && typeof process.env === 'object' ? process.env : undefined;
}

/** A variable's value by the one rule: absent, or set to something that is neither blank nor padded. */
function variable(env: Environment, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string`);
  if (value.trim() === '') throw new ConfigError(`${name} is set but blank: give it a value, or unset it (a blank variable is never read as unset)`);
  if (value.trim() !== value) throw new ConfigError(`${name} begins or ends with whitespace (a newline from a file?): remove it`);
  return value;
}

const CONTEXT_FIELDS = ['authorityId', 'operatorId', 'locationId'] as const;

/**
 * Reads borderlink's environment variables ({@link CLIENT_ENV}) by one rule, the `borderlink` command's and
 * {@link createClientFromEnv}'s: a variable that is not set is absent; one set to nothing or to spaces is a
 * `ConfigError` naming it, never read as absent or replaced by a default; one with whitespace around its value (a
 * newline from a file) is refused too; each value is checked by the rule of what it gives (the URL as
 * `httpTransport` checks `baseUrl`, the token as it checks `token`, each context field as a query's context, the
 * purpose one of {@link PURPOSES} in any case of letters). Errors name the variable, never its value. `BORDERLINK_LOG`
 * alone is lenient: a value that is no level is ignored with a warning.
 * @param env where to read, `process.env` by default.
 * @throws {ConfigError} naming the first variable that is wrong.
 * @example
 * ```ts
 * const { gatewayUrl, context } = readClientEnv();
 * if (gatewayUrl === undefined) console.log('no gateway configured');
 * ```
 */
export function readClientEnv(env: Environment = processEnv() ?? {}): ClientEnv {
  const found: ClientEnv = { context: {} };
  const gatewayUrl = variable(env, CLIENT_ENV.gatewayUrl);
  if (gatewayUrl !== undefined) {
    const problem = baseUrlProblem(gatewayUrl);
    if (problem !== undefined) throw new ConfigError(`${CLIENT_ENV.gatewayUrl} ${problem}`);
    found.gatewayUrl = gatewayUrl;
  }
  const token = variable(env, CLIENT_ENV.token);
  if (token !== undefined) {
    if (!isBearerToken(token)) throw new ConfigError(`${CLIENT_ENV.token} must be visible ASCII characters only (it goes in an authorization header)`);
    found.token = token;
  }
  for (const field of CONTEXT_FIELDS) {
    const value = variable(env, CLIENT_ENV[field]);
    if (value === undefined) continue;
    const parsed = safeParseWorded(contextSchema.shape[field], value);
    // The schema's own words (rules, never the value).
    if (!parsed.success) throw new ConfigError(`${CLIENT_ENV[field]} ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
    found.context[field] = value;
  }
  const purpose = variable(env, CLIENT_ENV.purpose);
  if (purpose !== undefined) {
    const upper = purpose.toUpperCase();
    const known = PURPOSES.find((p) => p === upper);
    if (known === undefined) throw new ConfigError(`${CLIENT_ENV.purpose} must be one of ${PURPOSES.join(', ')}`);
    found.context.purpose = known as Purpose;
  }
  const logLevel = logLevelFromEnv(env);
  if (logLevel !== undefined) found.logLevel = logLevel;
  return found;
}
