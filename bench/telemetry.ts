// Checks over a real socket (httpTransport to a mock gateway in a child process) with borderlink/telemetry on against
// the same checks with it off (no `telemetry` option): target ≥ 0.9 of the throughput with spans on. Printed:
//   - spans, every one recorded (AlwaysOn sampler) and exported through a BatchSpanProcessor (the target's figure);
//   - spans sampled at 10 % (ParentBased(TraceIdRatio 0.1), how tracing usually runs in production): a span sampled out
//     costs a call of ours little, and makes no attempt spans;
//   - spans and metrics together, every span recorded;
//   - ours alone: openTelemetry({ traces: false, metrics: false }), the call hook and the bookkeeping without the SDK;
//   - the SDK alone: the CPU time of making and ending the spans of one check (the call's and its attempt's, with the
//     attributes ours carry) straight on a tracer of the same provider setup, and the best ratio a check could reach
//     if all of ours cost nothing beside it.
// Spans go to an exporter that keeps nothing (the figure is the SDK's and ours, not an exporter's); the spans made are
// counted and printed, so no figure can be won by making none.
//
// Throughput is checks per second of the client process's CPU time (user + system; the gateway is another process),
// as in bench/audit.ts: on these shared machines wall-clock ratios swing by half with the neighbours' load. Wall-clock
// figures are printed beside. The sides alternate in rotating order; each figure is the median of the per-round
// ratios with their spread. Every check is of a document never checked before.
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { context as otelContext, trace, type Attributes } from '@opentelemetry/api';
import { createClient, httpTransport, type BorderlinkClient, type ClientOptions } from 'borderlink';
import { openTelemetry } from 'borderlink/telemetry';
import { BENCH_CONTEXT, freshNumber, medianAndSpread, startGatewayProcess, timedInFlight } from './lib';

const ROUNDS = 8;
const CHECKS = 3000;
const IN_FLIGHT = 16;
const TARGET = 0.9;

/** Keeps nothing, counts what it was given. */
class CountingExporter implements SpanExporter {
  spans = 0;
  /** The last span of each name seen, so the SDK-alone figure can make spans like ours. */
  readonly lastByName = new Map<string, ReadableSpan>();
  export(spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    this.spans += spans.length;
    for (const span of spans) this.lastByName.set(span.name, span);
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

class Reader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function tracing(sampler: Sampler) {
  const exporter = new CountingExporter();
  const provider = new BasicTracerProvider({ sampler, spanProcessors: [new BatchSpanProcessor(exporter)] });
  return { exporter, provider };
}

function checker(client: BorderlinkClient): (i: number) => Promise<void> {
  return async (i) => {
    const result = await client.checkDocument({ documentNumber: freshNumber(), issuingState: 'UTO', documentType: 'PASSPORT' });
    if (result.verdict !== 'NO_HIT') throw new Error(`bench: unexpected verdict ${result.verdict}`);
    if (i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
  };
}

type Side = 'off' | 'spans' | 'sampled' | 'spansAndMetrics' | 'oursAlone';

export async function run(): Promise<void> {
  const gateway = await startGatewayProcess(0);
  const always = tracing(new AlwaysOnSampler());
  const sampled = tracing(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.1) }));
  const both = tracing(new AlwaysOnSampler());
  const reader = new Reader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const make = (telemetry?: ClientOptions['telemetry']) =>
    createClient({ transport: httpTransport({ baseUrl: gateway.url, connections: IN_FLIGHT }), context: BENCH_CONTEXT, ...(telemetry ? { telemetry } : {}) });
  const clients: Record<Side, BorderlinkClient> = {
    off: make(),
    spans: make(openTelemetry({ tracerProvider: always.provider, metrics: false })),
    sampled: make(openTelemetry({ tracerProvider: sampled.provider, metrics: false })),
    spansAndMetrics: make(openTelemetry({ tracerProvider: both.provider, meterProvider })),
    oursAlone: make(openTelemetry({ traces: false, metrics: false })),
  };
  const sides = Object.keys(clients) as Side[];
  const tasks = Object.fromEntries(sides.map((s) => [s, checker(clients[s])])) as Record<Side, (i: number) => Promise<void>>;
  const flush: Partial<Record<Side, () => Promise<void>>> = {
    spans: () => always.provider.forceFlush(),
    sampled: () => sampled.provider.forceFlush(),
    spansAndMetrics: () => both.provider.forceFlush(),
  };
  const timed = async (side: Side): Promise<{ cpu: number; wall: number }> => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await timedInFlight(CHECKS, IN_FLIGHT, tasks[side]);
    // The chunk's spans are exported within it: the processor's work is in the figure.
    await flush[side]?.();
    const used = process.cpuUsage(cpu);
    return { cpu: (CHECKS * 1e6) / (used.user + used.system), wall: (CHECKS * 1000) / (performance.now() - start) };
  };
  try {
    // Warm-up: connections open and code optimised.
    for (const side of sides) await timed(side);
    const per = Object.fromEntries(sides.map((s) => [s, [] as { cpu: number; wall: number }[]])) as Record<Side, { cpu: number; wall: number }[]>;
    for (let r = 0; r < ROUNDS; r++) {
      const k = r % sides.length;
      for (const side of [...sides.slice(k), ...sides.slice(0, k)]) per[side].push(await timed(side));
    }
    const ratio = (side: Side, kind: 'cpu' | 'wall') => medianAndSpread(per[side].map((x, i) => x[kind] / per.off[i]![kind]), 3);
    const rate = (side: Side) => Math.round(medianAndSpread(per[side].map((x) => x.cpu), 0).median);
    const figure = (side: Side) => {
      const cpu = ratio(side, 'cpu');
      const wall = ratio(side, 'wall');
      return { checksPerCpuSec: rate(side), ratio: cpu.median, spread: [cpu.low, cpu.high], wallClockRatio: wall.median, wallClockSpread: [wall.low, wall.high] };
    };
    const checksOn = CHECKS * (ROUNDS + 1);
    const spans = figure('spans');
    console.log(
      JSON.stringify({
        bench: 'telemetry',
        figure: 'checks-spans-on-vs-off',
        over: 'httpTransport to a mock gateway in a child process, 16 in flight',
        checksPerCpuSecOff: rate('off'),
        ...spans,
        target: `>= ${TARGET}`,
        met: spans.ratio >= TARGET,
        spansMade: always.exporter.spans,
        checksOn,
      }),
    );
    console.log(JSON.stringify({ bench: 'telemetry', figure: 'checks-spans-sampled-10pc-vs-off', ...figure('sampled'), spansMade: sampled.exporter.spans, checksOn }));
    console.log(JSON.stringify({ bench: 'telemetry', figure: 'checks-spans-and-metrics-vs-off', ...figure('spansAndMetrics'), spansMade: both.exporter.spans, checksOn }));
    console.log(JSON.stringify({ bench: 'telemetry', figure: 'checks-call-hook-and-bookkeeping-alone-vs-off', ...figure('oursAlone') }));
    console.log(JSON.stringify({ bench: 'telemetry', figure: 'sdk-spans-alone', ...sdkSpansAlone(always.exporter, rate('off')) }));
    await reader.collect();
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.close()));
    await Promise.all([always.provider.shutdown(), sampled.provider.shutdown(), both.provider.shutdown(), meterProvider.shutdown()]);
    await gateway.stop();
  }
}

/**
 * The SDK's own cost of one check's spans: a call span and an attempt span under it, with the names, kinds and
 * attributes the client's last exported spans had, made and ended on a fresh provider set up as the figure's (always
 * on, a batch processor, an exporter that keeps nothing). Printed in CPU microseconds a check, and as the ceiling of the
 * spans-on ratio: a check costing what it costs with telemetry off, plus this, and nothing of ours.
 */
function sdkSpansAlone(seen: CountingExporter, offChecksPerCpuSec: number) {
  const spans = [...seen.lastByName.values()];
  const call = spans.find((s) => s.parentSpanContext === undefined);
  const attempt = spans.find((s) => s.parentSpanContext !== undefined);
  if (call === undefined || attempt === undefined) throw new Error('bench: no call and attempt span were exported');
  const { provider } = tracing(new AlwaysOnSampler());
  const tracer = provider.getTracer('bench');
  const attrs = (s: ReadableSpan): Attributes => ({ ...s.attributes });
  const callAttributes = attrs(call);
  const attemptAttributes = attrs(attempt);
  const pair = () => {
    const parent = tracer.startSpan(call.name, { kind: call.kind });
    const child = tracer.startSpan(attempt.name, { kind: attempt.kind }, trace.setSpan(otelContext.active(), parent));
    child.setAttributes(attemptAttributes);
    child.end();
    parent.setAttributes(callAttributes);
    parent.end();
  };
  for (let i = 0; i < 20_000; i++) pair();
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < 20_000; i++) pair();
    const used = process.cpuUsage(cpu);
    rounds.push((used.user + used.system) / 20_000);
  }
  void provider.shutdown();
  const micros = medianAndSpread(rounds, 1);
  const offMicros = 1e6 / offChecksPerCpuSec;
  return {
    spansPerCheck: 2,
    attributes: { call: Object.keys(callAttributes).length, attempt: Object.keys(attemptAttributes).length },
    sdkCpuMicrosPerCheck: micros.median,
    spread: [micros.low, micros.high],
    checkCpuMicrosOff: Number(offMicros.toFixed(1)),
    ceilingRatio: Number((offMicros / (offMicros + micros.median)).toFixed(3)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
