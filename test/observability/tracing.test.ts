/**
 * One run is one trace (Temporal tier): the API's request span, the workflow start, the workflow,
 * every activity and every provider HTTP call share a trace id and link parent to child; the
 * provider receives the W3C traceparent; the run's log lines carry the trace id. Spans go to an
 * in-memory exporter through the same startTracing the entry points use for OTLP.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../src/observability/tracing.js';
import { createJigsawStackImageProvider, createJigsawStackPaletteProvider } from '../../src/providers/jigsawstack/index.js';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.js';
import { IMAGE_GENERATION, JIGSAWSTACK_TEST_KEY, PROMPT_ENGINE, startJigsawStackServer, type JigsawStackServer } from '../support/jigsawstack-server.js';
import { capturingLogger } from '../support/log-capture.js';
import { describeTemporal, temporalTier } from '../support/temporal-env.js';

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ serviceName: 'conceptflow-test', processName: 'test', spanProcessor: new SimpleSpanProcessor(exporter) });
const { logger, lines } = capturingLogger('info');
const tier = await temporalTier('tracing');

describeTemporal(tier, 'tracing: one run, one trace', (env) => {
  let jigsawstack: JigsawStackServer;
  let stack: E2eStack;

  before(async () => {
    jigsawstack = await startJigsawStackServer(2);
    const settings = { apiKey: JIGSAWSTACK_TEST_KEY, baseUrl: jigsawstack.origin, timeoutMs: 10_000 };
    stack = await startE2eStack(env, {
      image: createJigsawStackImageProvider(settings),
      palette: createJigsawStackPaletteProvider(settings),
      tracing,
      logger,
    });
  });

  after(async () => {
    await stack?.stop();
    await jigsawstack?.stop();
    await tracing.shutdown();
    await env.teardown();
  });

  it('links the request, the workflow start, the workflow, each activity and each provider call in one trace', async () => {
    const started = await stack.post('/api/concepts/generate', { logo_description: 'Harbor Lights', theme_description: 'navy and brass', num_palettes: 2 });
    assert.equal(started.status, 202);
    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'completed', done.error_message ?? '');

    const root = exporter.getFinishedSpans().find((s) => s.name === 'POST /api/concepts/generate');
    assert.ok(root, `the request span; spans: ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
    const traceId = root.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    // Workflow spans reach the processor through a sink after the workflow task completes.
    for (let i = 0; i < 50 && !inTrace().some((s) => s.name === 'RunWorkflow:generateConcept'); i++) await new Promise((r) => setTimeout(r, 100));
    const spans = inTrace();
    const named = (name: string) => spans.filter((s) => s.name === name);
    const one = (name: string): ReadableSpan => {
      const found = named(name);
      assert.equal(found.length, 1, `one ${name} span in the trace; spans: ${spans.map((s) => s.name).join(', ')}`);
      return found[0]!;
    };
    const childOf = (child: ReadableSpan, parent: ReadableSpan) =>
      assert.equal(child.parentSpanId, parent.spanContext().spanId, `${child.name} is a child of ${parent.name}`);

    const start = one('StartWorkflow:generateConcept');
    childOf(start, root);
    const run = one('RunWorkflow:generateConcept');
    childOf(run, start);
    for (const activity of ['claimTask', 'generateBaseImage', 'storeBaseImage', 'generatePalettes', 'storeConcept', 'completeTask']) {
      childOf(one(`RunActivity:${activity}`), one(`StartActivity:${activity}`));
    }
    assert.equal(named('RunActivity:createVariation').length, 2, 'one span per variation');

    const providerCalls = named('POST JigsawStack');
    assert.equal(providerCalls.length, 2, 'the image call and the palette call');
    const byPath = (path: string) => providerCalls.find((s) => s.attributes['url.path'] === path)!;
    childOf(byPath(IMAGE_GENERATION), one('RunActivity:generateBaseImage'));
    childOf(byPath(PROMPT_ENGINE), one('RunActivity:generatePalettes'));
    assert.equal(byPath(IMAGE_GENERATION).attributes['http.response.status_code'], 200);
    const traceparent = String(jigsawstack.requestsTo(IMAGE_GENERATION).at(-1)?.headers.traceparent ?? '');
    assert.match(traceparent, new RegExp(`^00-${traceId}-${byPath(IMAGE_GENERATION).spanContext().spanId}-0[01]$`), 'the provider is told the trace');

    // Logs: the request's line and every activity line of the run carry the trace id.
    const requestLine = lines.find((l) => l.msg === 'request' && l.method === 'POST' && l.status === 202);
    assert.equal(requestLine?.trace_id, traceId);
    const activityLines = lines.filter((l) => l.task_id === done.task_id && l.activity !== undefined);
    assert.ok(activityLines.length >= 8, `activity lines of the run: ${activityLines.length}`);
    for (const line of activityLines) assert.equal(line.trace_id, traceId, JSON.stringify(line));
  });
});
