// createClientFromEnv: the common case in one line, an HTTP gateway and the query context from the environment, read
// by the command's own rule (env.ts). A function of its own, apart from createClient, so a bundle that does not use it
// leaves it out.
import { ConfigError } from '../errors/index';
import type { QueryContext } from '../queries/types';
import { httpTransport, type HttpTransportOptions } from '../transport/http';
import { createClient } from './client';
import { CLIENT_ENV, processEnv, readClientEnv, type Environment } from './env';
import type { ClientOptions } from './options';
import type { OutboxOptions } from './outbox';
import type { BorderlinkClient } from './types';

/**
 * Options of {@link createClientFromEnv}: every option of {@link createClient} but `transport` (made from the
 * variables), with `context` laid over the variables' context and `http` for the transport's other options.
 * @example
 * ```ts
 * const read = (file: string) => readFileSync(`/etc/borderlink/${file}`, 'utf8');
 * createClientFromEnv({ context: { locationId: 'LANE-07' }, http: { tls: { ca: read('ca.pem'), cert: read('lane.pem'), key: read('lane.key') } }, timeoutMs: 2000 });
 * ```
 */
export interface ClientFromEnvOptions extends Omit<ClientOptions, 'transport' | 'context'> {
  /**
   * Laid over the context of `BORDERLINK_AUTHORITY`, `BORDERLINK_OPERATOR`, `BORDERLINK_PURPOSE` and
   * `BORDERLINK_LOCATION`, field by field (a field given here wins).
   * @default the variables' context alone
   */
  context?: Partial<QueryContext> | undefined;
  /**
   * The transport's options beside the URL and the token the variables give: TLS (mutual TLS with `tls.cert` and
   * `tls.key`), `connections`, `headers`, a `dispatcher` (a proxy), … (see {@link HttpTransportOptions}).
   * @default {}
   */
  http?: Omit<HttpTransportOptions, 'baseUrl' | 'token'> | undefined;
  /**
   * Where the variables are read.
   * @default process.env
   */
  env?: Environment | undefined;
}

/** Whether the transport has a credential besides a token: a client certificate, a dispatcher's own, a header. */
function otherCredential(http: ClientFromEnvOptions['http']): boolean {
  if (http === undefined) return false;
  if (http.tls?.cert !== undefined || http.dispatcher !== undefined) return true;
  return http.headers !== undefined && Object.keys(http.headers).some((name) => name.toLowerCase() === 'authorization');
}

const SCOPE = 'createClientFromEnv';

/**
 * Creates a client for the HTTP gateway the environment names, by the same rules as the `borderlink` command:
 * `BORDERLINK_GATEWAY_URL` (required: there is no default gateway), `BORDERLINK_TOKEN` (required unless `http` gives
 * another credential: a client certificate for mutual TLS, a `dispatcher`, an `authorization` header),
 * `BORDERLINK_AUTHORITY`, `BORDERLINK_OPERATOR` and `BORDERLINK_PURPOSE` (required, unless `context` gives them),
 * `BORDERLINK_LOCATION` and `BORDERLINK_LOG` (optional). A variable set to nothing, or to spaces, is an error naming
 * it, never read as unset (see {@link readClientEnv}); no value is ever repeated in an error. Unlike the command, it
 * never answers from a demo gateway.
 * @throws {ConfigError} naming the variable (or option) that is missing or wrong, before anything is sent.
 * @example
 * ```ts
 * // BORDERLINK_GATEWAY_URL=https://gateway.example BORDERLINK_TOKEN=… BORDERLINK_AUTHORITY=MDA-BPOL
 * // BORDERLINK_OPERATOR=officer-0042 BORDERLINK_PURPOSE=BORDER_CHECK node lane.js
 * import { createClientFromEnv } from 'borderlink';
 * const client = createClientFromEnv();
 * const result = await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
 * ```
 */
export function createClientFromEnv(options: ClientFromEnvOptions & { outbox: OutboxOptions }): BorderlinkClient<true>;
export function createClientFromEnv(options?: ClientFromEnvOptions & { outbox?: undefined }): BorderlinkClient;
export function createClientFromEnv(options?: ClientFromEnvOptions): BorderlinkClient<boolean>;
export function createClientFromEnv(options: ClientFromEnvOptions = {}): BorderlinkClient<boolean> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ConfigError(`${SCOPE}: the options must be an object`);
  const { env = processEnv() ?? {}, http, context, ...clientOptions } = options;
  if (typeof env !== 'object' || env === null) throw new ConfigError(`${SCOPE}: option \`env\` must be an object of variables`);
  if (http !== undefined && (typeof http !== 'object' || http === null || Array.isArray(http))) throw new ConfigError(`${SCOPE}: option \`http\` must be an object`);
  for (const name of ['baseUrl', 'token'] as const) {
    if (http !== undefined && Object.hasOwn(http, name)) {
      throw new ConfigError(`${SCOPE}: option \`http.${name}\` comes from ${name === 'baseUrl' ? CLIENT_ENV.gatewayUrl : CLIENT_ENV.token}: set the variable, or use createClient`);
    }
  }
  const found = readClientEnv(env);
  if (found.gatewayUrl === undefined) {
    throw new ConfigError(`${SCOPE}: ${CLIENT_ENV.gatewayUrl} is not set: set it to the gateway's URL (there is no default gateway)`);
  }
  if (found.token === undefined && !otherCredential(http)) {
    throw new ConfigError(
      `${SCOPE}: ${CLIENT_ENV.token} is not set: set it, or give \`http.tls\` with a client certificate for a gateway that authenticates by mutual TLS`,
    );
  }
  const merged: Partial<QueryContext> = { ...found.context, ...(context ?? {}) };
  const missing = (['authorityId', 'operatorId', 'purpose'] as const).filter((field) => merged[field] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `${SCOPE}: every query says who, for which authority and why: set ${missing.map((f) => CLIENT_ENV[f]).join(', ')} (or give ${missing.map((f) => `\`context.${f}\``).join(', ')})`,
    );
  }
  if ('transport' in (clientOptions as object)) throw new ConfigError(`${SCOPE}: option \`transport\` is made from ${CLIENT_ENV.gatewayUrl}: use createClient to give your own`);
  const transport = httpTransport({ ...(http ?? {}), baseUrl: found.gatewayUrl, ...(found.token !== undefined ? { token: found.token } : {}) });
  const logLevel = clientOptions.logLevel ?? found.logLevel ?? 'off';
  try {
    return createClient({ ...clientOptions, logLevel, transport, context: merged });
  } catch (err) {
    // The transport was made for this client alone: a client refused for its options must not leave it open.
    void transport.close();
    throw err;
  }
}
