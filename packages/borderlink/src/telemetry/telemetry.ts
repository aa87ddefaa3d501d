// openTelemetry(): the API loaded (the optional peer), a tracer and a meter from the providers given or the global
// ones, and an observer each client attaches to.
import type { Meter, MeterProvider, Tracer, TracerProvider } from '@opentelemetry/api';
import { z } from 'zod';
import { parseOptions } from '../internal/options';
import type { ClientObserver } from '../client/observe';
import { VERSION } from '../version';
import { loadApi } from './load';
import { Observation, createInstruments, type Instruments } from './observer';

/**
 * What `borderlink/telemetry` needs of a tracer provider: `getTracer`. Any OpenTelemetry `TracerProvider`
 * (`@opentelemetry/sdk-trace-base`'s `BasicTracerProvider`, the Node SDK's) has it.
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

/** What `borderlink/telemetry` needs of a meter provider: `getMeter`. Any OpenTelemetry `MeterProvider` has it. */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): unknown;
}

/**
 * Options of {@link openTelemetry}.
 * @example
 * ```ts
 * import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
 * import { openTelemetry } from 'borderlink/telemetry';
 *
 * const telemetry = openTelemetry({ tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] }) });
 * ```
 */
export interface TelemetryOptions {
  /** Where spans go. @default the global tracer provider (`trace.getTracerProvider()`): none until an SDK registers one */
  tracerProvider?: TracerProviderLike | undefined;
  /** Where metrics go. @default the global meter provider (`metrics.getMeterProvider()`) */
  meterProvider?: MeterProviderLike | undefined;
  /** `false`: no spans. @default true */
  traces?: boolean | undefined;
  /** `false`: no metrics. @default true */
  metrics?: boolean | undefined;
}

const provider = (method: string) =>
  z
    .custom<unknown>((v) => typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[method] === 'function', {
      error: `must be an OpenTelemetry provider (with ${method})`,
    })
    .optional();

const schema = z.strictObject({
  tracerProvider: provider('getTracer'),
  meterProvider: provider('getMeter'),
  traces: z.boolean({ error: 'must be true or false' }).optional(),
  metrics: z.boolean({ error: 'must be true or false' }).optional(),
});

/** The instrumentation scope spans and metrics are made under. */
const SCOPE = 'borderlink';

/**
 * OpenTelemetry for a client: pass it as `createClient({ telemetry })`. A span per logical call (`borderlink.check`,
 * `borderlink.batch`, `borderlink.report`) with its verdict and each source's outcome, a child span per attempt
 * under the HTTP client conventions, and metrics (call duration, outcomes by source and status, retries, breaker state,
 * HTTP request duration), all from the client's own events. No searched value, name, date, VIN or plate goes into any
 * of them. Loads the optional peer `@opentelemetry/api` now (`npm install @opentelemetry/api@1`).
 * @throws {ConfigError} for a wrong option, or when `@opentelemetry/api` is not installed (saying what to install).
 * @example
 * ```ts
 * import { createClient } from 'borderlink';
 * import { openTelemetry } from 'borderlink/telemetry';
 * import { mockTransport } from 'borderlink/testing';
 *
 * const client = createClient({
 *   transport: mockTransport(),
 *   context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'officer-0042', purpose: 'BORDER_CHECK' },
 *   telemetry: openTelemetry(), // the providers your OpenTelemetry SDK registered
 * });
 * ```
 */
export function openTelemetry(options: TelemetryOptions = {}): ClientObserver {
  const o = parseOptions('openTelemetry', schema, options);
  const api = loadApi();
  const tracer =
    o.traces === false ? undefined : (((o.tracerProvider as TracerProvider | undefined) ?? api.trace.getTracerProvider()).getTracer(SCOPE, VERSION) as Tracer);
  const meter = o.metrics === false ? undefined : (((o.meterProvider as MeterProvider | undefined) ?? api.metrics.getMeterProvider()).getMeter(SCOPE, VERSION) as Meter);
  const instruments: Instruments | undefined = meter === undefined ? undefined : createInstruments(meter);
  return Object.freeze({ attach: ({ endpoint }: { readonly endpoint: string }) => new Observation(api, tracer, instruments, endpoint) });
}
