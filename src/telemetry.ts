// Telemetry to Application Insights through OpenTelemetry (the Azure Monitor distro), only when a connection
// string is configured: without one, none of it is loaded and nothing is sent. Spans carry routes, ids, status
// codes and the apology's error code; never message text or card input (no bodies are recorded).
import type { IncomingMessage } from 'node:http';
import type { Config } from './config';

/** The span attribute that holds the code a person sees in the apology ("code 3AF709"). */
export const ERROR_CODE_ATTRIBUTE = 'bowonen.error_code';

interface Telemetry {
  /** Fields that tie a log line to the trace it belongs to (operation_Id in Application Insights). */
  logContext(): Record<string, string>;
  /** Sends what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

interface ActiveTelemetry extends Telemetry {
  turnFailed(code: string, error: { type?: unknown; message?: unknown; stack?: unknown }): void;
}

let active: ActiveTelemetry | undefined;

// The platform asks these every minute per instance: they would fill the requests table with noise.
const UNTRACED_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Starts the distro when a connection string is set, and returns undefined otherwise. Call it before the
 * HTTP server and the SDK clients are loaded, so that their calls are traced.
 */
export function startTelemetry(config: Config['telemetry']): Telemetry | undefined {
  if (!config.connectionString) return undefined;
  if (active) return active;
  // Required here rather than imported at the top: without a connection string none of this is loaded.
  const distro = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');

  const http = {
    enabled: true,
    ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
  };
  distro.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: config.connectionString },
    // Keep every trace: the distro's default (5 traces a second) can drop the very turn an apology points to,
    // and a bot for a few dozen people sends little.
    samplingRatio: 1,
    tracesPerSecond: 0,
    instrumentationOptions: {
      // Incoming /api/messages, outgoing Bot Connector calls, and Table (and Queue) Storage through the Azure SDK.
      http,
      azureSdk: { enabled: true },
      // Databases the bot does not use.
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
    },
  });
  const tracer = api.trace.getTracer('bo-wonen');

  active = {
    logContext(): Record<string, string> {
      const context = api.trace.getActiveSpan()?.spanContext();
      if (!context || !api.isSpanContextValid(context)) return {};
      return { trace_id: context.traceId, span_id: context.spanId };
    },
    turnFailed(code, error) {
      // Normally the turn runs inside the request span of POST /api/messages; a proactive turn may have none.
      const current = api.trace.getActiveSpan();
      const span = current ?? tracer.startSpan('bo-wonen turn failed');
      span.setAttribute(ERROR_CODE_ATTRIBUTE, code);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: `turn failed (code ${code})` });
      // The same fields as the log line (errorFields): the error's type, message and stack, not the request.
      span.recordException({
        name: typeof error.type === 'string' ? error.type : 'Error',
        message: typeof error.message === 'string' ? error.message : 'turn failed',
        ...(typeof error.stack === 'string' ? { stack: error.stack } : {}),
      });
      if (!current) span.end();
    },
    async shutdown() {
      active = undefined;
      await distro.shutdownAzureMonitor();
    },
  };
  return active;
}

/** Marks the current trace as a failed turn with the apology's code; does nothing when telemetry is off. */
export function recordTurnFailure(code: string, error: { type?: unknown; message?: unknown; stack?: unknown }): void {
  active?.turnFailed(code, error);
}
