import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isLoopbackHost } from '../config/loopback.js';
import { sleep, type Clock } from '../platform/clock.js';
import { CodedError } from '../platform/coded-error.js';
import type { EmulatorClock } from './emulator-clock.js';
import type { EmulatorRequest, EmulatorResponse } from './exchange.js';
import type { FaultDecision, FaultInjector } from './faults.js';
import { HttpError } from './http-error.js';
import type { RequestLog, RequestLogEntry } from './request-log.js';
import type { Router } from './router.js';
import type { ActiveVariations } from './variations.js';

export const SIM_PREFIX = '/_sim/';
const MAX_BODY_BYTES = 1024 * 1024;

export interface EmulatorServerDeps {
  host: string;
  port: number;
  router: Router;
  faults: FaultInjector;
  requestLog: RequestLog;
  clock: EmulatorClock;
  /** Timers for latency and refuse windows. */
  timers: Clock;
  /** Read per answer: `extra-fields` adds an undocumented field to every object of a success. */
  variations: ActiveVariations;
  /** The error body of the service a request belongs to; absent or unknown service: the Paysera shape. */
  formatError?: (service: string, error: HttpError) => EmulatorResponse | undefined;
}

/**
 * The one node:http server all emulated services share. Per request: read the whole body, refuse
 * /_sim/ from non-loopback peers, apply faults (never to /_sim/), route, write compact JSON, log
 * the verdict. The constructor only assigns; start() listens and stop() closes every socket.
 */
export class EmulatorServer {
  private server: Server | undefined;
  private boundPort = 0;
  private reopenCancel: (() => void) | undefined;
  private stopping = false;

  constructor(private readonly deps: EmulatorServerDeps) {}

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
      void this.onRequest(req, res);
    });
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    // A client that misbehaves at the HTTP level gets its socket closed, nothing else.
    server.on('clientError', (_error, socket: Socket) => socket.destroy());
    this.server = server;
    await this.listen(this.deps.port);
    this.deps.faults.attachListenerControl({ closeFor: (ms) => this.closeListenerFor(ms), reopen: () => this.reopenListener() });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.reopenCancel?.();
    this.deps.faults.attachListenerControl(undefined);
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private listen(port: number): Promise<void> {
    const server = this.server;
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once('error', onError);
      server.listen(port, this.deps.host, () => {
        server.off('error', onError);
        const address = server.address();
        if (address !== null && typeof address === 'object') this.boundPort = address.port;
        resolve();
      });
    });
  }

  /** Timed refuse: stop accepting (clients get ECONNREFUSED), drop idle keep-alive sockets, reopen later on the same port. */
  private closeListenerFor(ms: number): void {
    const server = this.server;
    if (server === undefined || !server.listening) return;
    server.close();
    server.closeIdleConnections();
    this.reopenCancel?.();
    this.reopenCancel = this.deps.timers.setTimeout(() => this.reopenListener(), ms);
  }

  /** Ends a timed refuse now (its time is up, or its rule was removed): listen on the same port again. */
  private reopenListener(): void {
    this.reopenCancel?.();
    this.reopenCancel = undefined;
    const server = this.server;
    if (this.stopping || server === undefined || server.listening) return;
    this.listen(this.boundPort).catch(() => {
      // The port was taken meanwhile; nothing sensible to do but stay closed.
    });
  }

  private onConnection(socket: Socket): void {
    const fired = this.deps.faults.refuseConnection();
    if (fired === undefined) return;
    this.deps.requestLog.append({
      atMs: this.deps.clock.nowMs(),
      method: '-',
      path: '-',
      service: 'connection',
      applied: false,
      outcome: 'refused',
      faults: [fired],
    });
    socket.resetAndDestroy();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const atMs = this.deps.clock.nowMs();
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: Omit<RequestLogEntry, 'seq'> = { atMs, method, path: target, service: 'none', applied: false, outcome: 'responded', faults: [] };
    const isSim = path.startsWith(SIM_PREFIX);

    const body = await readBody(req);
    if (body === undefined) {
      entry.outcome = 'aborted';
      this.deps.requestLog.append(entry);
      return;
    }

    if (isSim && !isLoopbackPeer(req.socket.remoteAddress ?? '')) {
      entry.service = 'sim';
      this.send(res, entry, errorResponse(new HttpError(403, 'forbidden', '/_sim/ is only served to loopback clients')));
      return;
    }

    const decision: FaultDecision = isSim ? { latencyBeforeMs: 0, latencyAfterMs: 0, fired: [] } : this.deps.faults.decide(method, path);
    const request: EmulatorRequest = {
      method,
      target,
      path,
      query: new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1)),
      headers: req.headers,
      body,
      remoteAddress: req.socket.remoteAddress ?? '',
      notes: {},
      alteration: decision.outcome?.kind === 'alterAmount' ? decision.outcome.alteration : undefined,
    };
    entry.faults = decision.fired;
    if (decision.latencyBeforeMs > 0) await sleep(this.deps.timers, decision.latencyBeforeMs);

    const match = this.deps.router.match(method, path);
    entry.service = match?.service ?? this.deps.router.serviceFor(path) ?? 'none';
    const service = entry.service;
    // /_sim/ answers in one shape whatever service it belongs to; the APIs in their own.
    const errorFor = (error: HttpError): EmulatorResponse => (isSim ? undefined : this.deps.formatError?.(service, error)) ?? errorResponse(error);
    const outcome = decision.outcome;
    if (outcome?.kind === 'reset') {
      entry.outcome = 'reset';
      this.deps.requestLog.append(entry);
      req.socket.resetAndDestroy();
      return;
    }
    if (outcome?.kind === 'serverError') {
      this.send(res, entry, errorFor(new HttpError(outcome.status, 'internal_server_error', 'Injected server error')));
      return;
    }
    if (outcome?.kind === 'rateLimit') {
      const retryAfter = outcome.retryAfterDate ? new Date(this.deps.clock.nowMs() + outcome.retryAfterS * 1000).toUTCString() : String(outcome.retryAfterS);
      this.send(res, entry, errorFor(new HttpError(429, 'rate_limit_exceeded', 'Too many requests', { 'Retry-After': retryAfter })));
      return;
    }

    let response: EmulatorResponse;
    if (match === undefined) {
      response = errorFor(new HttpError(404, 'not_found', 'No such resource'));
    } else {
      try {
        response = await match.handler(request, match.params);
        entry.applied = response.status < 400;
      } catch (error) {
        response = errorFor(error instanceof HttpError ? error : internalError(error));
      }
    }
    if (Object.keys(request.notes).length > 0) entry.notes = { ...request.notes };
    if (decision.latencyAfterMs > 0) await sleep(this.deps.timers, decision.latencyAfterMs);

    if (outcome?.kind === 'applyThenDrop') {
      entry.status = response.status;
      entry.error = errorCodeOf(response);
      entry.outcome = 'dropped';
      this.deps.requestLog.append(entry);
      // Destroyed before a single response byte: the client cannot tell whether it was applied.
      req.socket.destroy();
      return;
    }
    if (outcome?.kind === 'truncate') {
      entry.outcome = 'truncated';
      this.send(res, entry, response, 'truncate');
      return;
    }
    this.send(res, entry, !isSim && this.deps.variations.has('extra-fields') && response.status < 400 ? { ...response, body: withExtraFields(response.body) } : response);
  }

  /** Writes the response; `truncate` sends the headers and half the body, then closes the connection. */
  private send(res: ServerResponse, entry: Omit<RequestLogEntry, 'seq'>, response: EmulatorResponse, truncate?: 'truncate'): void {
    entry.status = response.status;
    entry.error = errorCodeOf(response);
    if (entry.error === undefined) delete entry.error;
    this.deps.requestLog.append(entry);
    const payload = Buffer.from(response.body === undefined ? '' : JSON.stringify(response.body));
    const headers: Record<string, string | number> = { ...response.headers, 'Content-Length': payload.length };
    if (payload.length > 0) headers['Content-Type'] = 'application/json;charset=utf-8';
    if (res.destroyed) return;
    if (truncate === undefined) {
      res.writeHead(response.status, headers).end(payload);
      return;
    }
    res.writeHead(response.status, headers);
    // The socket closes once the half that was written has been flushed, so the client has the
    // status and part of the body, then loses the connection.
    res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroySoon());
  }
}

/** Marks a field no document lists, so a client that is strict about fields fails visibly. */
export const EXTRA_FIELD = 'x_undocumented';

/**
 * Every plain object of an answer gains EXTRA_FIELD, except inside `parameters` (what a client
 * stored there must come back as it was sent).
 */
export function withExtraFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExtraFields);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = key === 'parameters' ? field : withExtraFields(field);
  out[EXTRA_FIELD] = { since: 'a newer API version', note: 'clients must ignore fields they do not know' };
  return out;
}

/** True for a loopback peer address, IPv4-mapped IPv6 (`::ffff:127.0.0.1`) included. */
export function isLoopbackPeer(remoteAddress: string): boolean {
  return remoteAddress !== '' && isLoopbackHost(remoteAddress.replace(/^::ffff:/i, ''));
}

export function errorResponse(error: HttpError): EmulatorResponse {
  return { status: error.status, body: { error: error.code, error_description: error.description, ...error.details }, headers: { ...error.headers }, errorCode: error.code };
}

function internalError(error: unknown): HttpError {
  const code = error instanceof CodedError ? ` [${error.code}]` : '';
  return new HttpError(500, 'internal_server_error', `Emulator bug: ${error instanceof Error ? error.message : String(error)}${code}`);
}

function errorCodeOf(response: EmulatorResponse): string | undefined {
  if (response.status < 400) return undefined;
  if (response.errorCode !== undefined) return response.errorCode;
  const body = response.body as { error?: unknown } | undefined;
  return typeof body?.error === 'string' ? body.error : undefined;
}

/** The whole body, or undefined when the client went away or sent more than the emulator accepts. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.socket.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
    req.on('aborted', () => resolve(undefined));
  });
}
