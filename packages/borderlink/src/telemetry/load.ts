// @opentelemetry/api is an optional peer: it is loaded here, when openTelemetry() is called, and never when
// `borderlink` or even `borderlink/telemetry` is imported, so a user who does not install it loads nothing of it. The
// API keeps its registry (providers, context manager) on a global of its own, so the copy loaded here and the one an
// application imports (ESM or CJS) share it.
import { createRequire } from 'node:module';
import type * as OpenTelemetryApi from '@opentelemetry/api';
import { ConfigError } from '../errors/index';

/** The API module. @internal */
export type Api = typeof OpenTelemetryApi;

/** What to tell a user who has not installed the API. */
export const INSTALL_HINT = 'npm install @opentelemetry/api@1';

/**
 * Loads @opentelemetry/api, or asks `load` for it (a test's stand-in for `require`).
 * @throws {ConfigError} saying what to install when it is not installed.
 * @internal
 */
export function loadApi(load?: (name: string) => unknown): Api {
  let loaded: unknown;
  try {
    loaded = load === undefined ? requireApi() : load('@opentelemetry/api');
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && String((err as { message?: unknown }).message).includes("'@opentelemetry/api'")) {
      throw new ConfigError(`openTelemetry: telemetry needs @opentelemetry/api, an optional peer dependency of borderlink: ${INSTALL_HINT}`);
    }
    throw new ConfigError(`openTelemetry: @opentelemetry/api is installed but could not be loaded: reinstall it (${INSTALL_HINT})`, { cause: err });
  }
  const api = loaded as Partial<Api> | undefined;
  if (typeof api?.trace?.getTracerProvider !== 'function' || typeof api.context?.active !== 'function' || typeof api.metrics?.getMeterProvider !== 'function') {
    throw new ConfigError(`openTelemetry: the module @opentelemetry/api is not the OpenTelemetry API 1.x this needs: ${INSTALL_HINT}`);
  }
  return api as Api;
}

/** The API, resolved from where this file is installed (the user's node_modules). */
function requireApi(): unknown {
  const require = createRequire(import.meta.url);
  return require('@opentelemetry/api');
}
