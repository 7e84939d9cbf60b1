// Registers an OpenTelemetry tracer provider that prints every finished span to the console.
// Imported by each worker thread of the supervisor (its `workerImports`), where conversations run;
// import it in the main thread too for a ConversationRuntime run there.
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] }));
