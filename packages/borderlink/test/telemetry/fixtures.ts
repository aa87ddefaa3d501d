// What the telemetry tests share: a tracer provider exporting to memory, a meter provider read on demand, and the
// exported spans and metrics as plain data to search.
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { openTelemetry } from 'borderlink/telemetry';

/** A metric reader the test collects from when it wants. */
class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Spans into memory, metrics on demand, and the observer for a client. */
export function telemetryHarness() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = openTelemetry({ tracerProvider, meterProvider });
  return {
    telemetry,
    meterProvider,
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    metrics: async (): Promise<ResourceMetrics> => (await reader.collect()).resourceMetrics,
    async close() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** Everything a span says, as plain data: its name, kind, status, attributes, events and links. */
export function spanData(span: ReadableSpan) {
  return {
    name: span.name,
    kind: span.kind,
    status: span.status,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    links: span.links.map((l) => ({ attributes: l.attributes })),
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
  };
}

/** A metric's data points by name: attributes and value (a histogram's count). */
export function points(metrics: ResourceMetrics, name: string): { attributes: Record<string, unknown>; value: number }[] {
  const metric = metrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => ({
    attributes: p.attributes as Record<string, unknown>,
    value: typeof p.value === 'number' ? p.value : (p.value as { count: number }).count,
  }));
}
