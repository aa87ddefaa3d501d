/**
 * `borderlink/telemetry`: OpenTelemetry spans and metrics for a client, built on its own events, without personal
 * data. Start with {@link openTelemetry}; it needs the optional peer `@opentelemetry/api`
 * (`npm install @opentelemetry/api@1`), which it loads only when called. Importing `borderlink` loads nothing of this
 * entry point.
 * @module borderlink/telemetry
 */
export { openTelemetry } from './telemetry';
export type { MeterProviderLike, TelemetryOptions, TracerProviderLike } from './telemetry';
