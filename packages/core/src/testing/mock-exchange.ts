import type { IncomingMessage, ServerResponse } from 'node:http';
import { flattenHeaders, headerValue, readBody, sendJson, SSE_HEADERS } from './mock-http.js';
import { CONVERSATION_ID_HEADER, type RecordedRequest, type RequestLog } from './mock-request-log.js';
import type { MockFault, MockReply, MockScript, MockTurn } from './mock-script.js';
import type { UsageLedger } from './mock-usage.js';
import type { MockWire, WireError, WireHttpAnswer, WireReply, WireRequest } from './mock-wire.js';

/**
 * One model request, whatever its wire protocol: routing to the conversation's script by the
 * `x-troupe-conversation-id` header, the turn and attempt, the request log, latency, faults, and
 * the reply the protocol renders.
 */

export interface ExchangeHost {
  readonly log: RequestLog;
  readonly ledger: UsageLedger;
  readonly latencyMs: number;
  readonly fallback: MockReply;
  scriptFor(conversationId: string | null): MockScript;
  /** The turn of an accepted request: the one its messages say, or (turnBy `replies`) the replies served to its conversation so far. */
  turnOf(conversationId: string | null, messagesTurn: number): number;
  /** A reply was served to the conversation. */
  replied(conversationId: string | null): void;
  /** The attempt number of this request for the turn; `consume` counts it (refused requests do not). */
  attempt(conversationId: string | null, turn: number, consume: boolean): number;
  /** A request arrived (`open`) or its connection closed. */
  track(open: boolean): void;
}

export async function serveModelRequest<Request extends WireRequest>(
  host: ExchangeHost,
  wire: MockWire<Request>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await readBody(req);
  if (raw === undefined) return;
  const conversationId = headerValue(req.headers, CONVERSATION_ID_HEADER) ?? null;
  const script = host.scriptFor(conversationId);
  const parsed = wire.parse(raw, req.headers, script);
  if (parsed.ok) parsed.request.turn = host.turnOf(conversationId, parsed.request.turn);
  const turn = parsed.ok ? parsed.request.turn : parsed.turn;
  const attempt = host.attempt(conversationId, turn, parsed.ok);
  const scriptTurn = script[turn];
  const fault = parsed.ok ? (contextFault(wire, parsed.request, scriptTurn) ?? scriptTurn?.faults?.[attempt]) : undefined;
  const anthropic = parsed.ok ? parsed.request.anthropic : parsed.anthropic;
  const responses = parsed.ok ? parsed.request.responses : parsed.responses;
  const record: RecordedRequest = {
    api: wire.api,
    path: req.url ?? '/',
    conversationId,
    turn,
    attempt,
    stream: parsed.ok ? parsed.request.stream : (parsed.body as { stream?: unknown } | null)?.stream === true,
    body: parsed.ok ? parsed.request.body : parsed.body,
    // Only the log reads them; skipping the copy matters at bench rates.
    headers: host.log.enabled ? flattenHeaders(req.headers) : {},
    receivedAt: Date.now(),
    outcome: 'pending',
    ...(fault === undefined ? {} : { fault: fault.type }),
    ...(anthropic === undefined ? {} : { anthropic }),
    ...(responses === undefined ? {} : { responses }),
  };
  host.track(true);
  host.log.add(record);

  let latencyTimer: NodeJS.Timeout | undefined;
  let cutOnPurpose = false;
  res.on('close', () => {
    host.track(false);
    clearTimeout(latencyTimer);
    if (!res.writableFinished && !cutOnPurpose) record.outcome = 'aborted';
  });

  const refuse = (error: WireError): void => {
    record.outcome = 'rejected';
    record.rejection = { status: error.status, message: error.message };
    send(res, wire.errorAnswer(error));
  };

  const answer = (): void => {
    if (!parsed.ok) return refuse(parsed.error);
    // `hang`: no answer; the connection stays open until the client leaves or close() destroys it.
    if (fault?.type === 'hang') return;
    if (fault?.type === 'http_error') {
      record.outcome = 'fault';
      return send(res, wire.errorAnswer({ status: fault.status, message: fault.message ?? `Mock fault: HTTP ${fault.status}` }, fault.retryAfter));
    }
    if (fault?.type === 'context_length_exceeded') {
      record.outcome = 'fault';
      return send(res, wire.errorAnswer(wire.contextLengthError(parsed.request, scriptTurn?.contextWindow)));
    }
    const reply = wire.render(parsed.request, scriptTurn, scriptTurn?.reply ?? host.fallback);
    if (!('usage' in reply)) return refuse(reply);
    if (fault === undefined) {
      record.outcome = 'replied';
      record.usage = reply.usage;
      host.ledger.add(conversationId, reply.usage);
      host.replied(conversationId);
      reply.onReplied?.();
      return sendReply(res, reply);
    }
    record.outcome = 'fault';
    if (fault.type === 'cut_stream' || fault.type === 'stall_body') cutOnPurpose = true;
    serveFault(res, wire, fault, reply);
  };
  const latencyMs = scriptTurn?.latencyMs ?? host.latencyMs;
  if (latencyMs > 0) latencyTimer = setTimeout(answer, latencyMs);
  else answer();
}

/** The turn's context window decides by the request's size: a longer prompt is refused on every attempt. */
function contextFault<Request extends WireRequest>(wire: MockWire<Request>, request: Request, scriptTurn: MockTurn | undefined): MockFault | undefined {
  const window = scriptTurn?.contextWindow;
  return window !== undefined && wire.promptTokens(request) > window ? { type: 'context_length_exceeded' } : undefined;
}

/** The faults that break a reply: cut it, corrupt it, or end it with an error. */
function serveFault(res: ServerResponse, wire: MockWire<any>, fault: MockFault, reply: WireReply): void {
  if (fault.type === 'foreign_body') return sendJson(res, 200, fault.body ?? '{}', { 'content-type': fault.contentType ?? 'application/json' });
  if (fault.type === 'stall_body') {
    const partial = reply.events === undefined ? reply.json!.slice(0, Math.floor(reply.json!.length / 2)) : reply.events.slice(0, Math.ceil(reply.events.length / 2)).join('');
    res.writeHead(200, { ...(reply.events === undefined ? { 'content-type': 'application/json' } : SSE_HEADERS), ...reply.headers });
    return void res.write(partial);
  }
  if (fault.type === 'stream_error' && reply.events === undefined) {
    const status = fault.status ?? 529;
    return send(res, wire.errorAnswer({ status, message: fault.message ?? `Mock fault: HTTP ${status}` }));
  }
  if (reply.events === undefined) {
    if (fault.type === 'cut_stream') return void res.destroy();
    // malformed_json
    return sendJson(res, 200, reply.json!.slice(0, Math.floor(reply.json!.length / 2)), reply.headers);
  }
  const head = reply.events.slice(0, Math.floor(reply.events.length / 2)).join('');
  res.writeHead(200, { ...SSE_HEADERS, ...reply.headers });
  if (fault.type === 'cut_stream') return void res.write(head, () => res.destroy());
  if (fault.type === 'malformed_json') return void res.end(head + wire.brokenEvent());
  if (fault.type === 'stream_error') {
    const status = fault.status ?? 529;
    res.end(head + wire.streamErrorEvent({ status, message: fault.message ?? `Mock fault: HTTP ${status}` }));
  }
}

function sendReply(res: ServerResponse, reply: WireReply): void {
  if (reply.events === undefined) return sendJson(res, 200, reply.json!, reply.headers);
  res.writeHead(200, { ...SSE_HEADERS, ...reply.headers });
  res.end(reply.events.join(''));
}

function send(res: ServerResponse, answer: WireHttpAnswer): void {
  sendJson(res, answer.status, answer.body, answer.headers);
}
