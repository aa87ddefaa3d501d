// `npx tsx examples/telemetry.ts`: one real check over HTTP (the mock gateway in this process), traced with
// borderlink/telemetry into OpenTelemetry's in-memory exporter, and its spans printed as a tree: the call's span with
// its verdict and each source's outcome, and under it a span per attempt (the first answered 503, so it was retried).
// Synthetic data on the ICAO specimen state UTO; nothing leaves this machine.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createClient, httpTransport } from 'borderlink';
import { openTelemetry } from 'borderlink/telemetry';
import { createMockGateway } from 'borderlink/testing';

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const gateway = await createMockGateway();
gateway.setFaults([{ type: 'status', status: 503 }]);
const client = createClient({
  transport: httpTransport({ baseUrl: gateway.url }),
  context: { authorityId: 'UTO-BORDER-POLICE', operatorId: 'demo-officer', purpose: 'TEST' },
  retry: { retries: 2, minDelayMs: 10, maxDelayMs: 50 },
  telemetry: openTelemetry({ tracerProvider, metrics: false }),
});

const ms = (span: ReadableSpan) => ((span.endTime[0] - span.startTime[0]) * 1e3 + (span.endTime[1] - span.startTime[1]) / 1e6).toFixed(1);
const attributes = (span: ReadableSpan) =>
  Object.entries(span.attributes)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

try {
  const result = await client.checkDocument({ documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'PASSPORT' });
  console.log(`verdict ${result.verdict} after ${result.attempts} attempts\n`);
  const spans = exporter.getFinishedSpans();
  for (const call of spans.filter((s) => s.parentSpanContext === undefined)) {
    console.log(`${call.name} ${ms(call)} ms  ${attributes(call)}`);
    for (const attempt of spans.filter((s) => s.parentSpanContext?.spanId === call.spanContext().spanId)) {
      console.log(`  └ ${attempt.name} ${ms(attempt)} ms  ${attributes(attempt)}`);
    }
  }
} finally {
  await client.close();
  await gateway.close();
  await tracerProvider.shutdown();
}
