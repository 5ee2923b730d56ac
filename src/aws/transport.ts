/**
 * appstreamctl's own HTTP handler for the SDK clients. The SDK's NodeHttpHandler only warns when a
 * request outlives its `requestTimeout` and stops timing once the headers arrive, so an endpoint that
 * accepts a connection and never answers (or stalls mid-body) stalls the command forever. Here every
 * attempt has one deadline that covers connecting, the proxy tunnel, sending, the headers and the whole
 * body, and destroys the socket when it passes. The body is read in full within that deadline (AWS API
 * answers are small JSON or XML documents), so that an answer that is not an AWS answer at all — an
 * HTML page from a proxy or captive portal, an empty 200, a redirect — is reported with its HTTP status
 * and the endpoint instead of as a parser's `SyntaxError` or an empty listing.
 */
import * as http from "node:http";
import * as https from "node:https";
import { ProxyAgent, type ProxyRoute } from "./proxy.js";
import { noteServerDate } from "./server-clock.js";

/** The slice of the SDK's HttpRequest that a handler reads. */
export interface SdkHttpRequest {
  protocol: string;
  hostname: string;
  port?: number;
  method: string;
  path: string;
  query?: Record<string, string | Array<string | null> | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** What the SDK's deserializers read from an answer: the body may be bytes (collectBody accepts them). */
export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** How each attempt is sent. */
export interface TransportOptions {
  /** The deadline of one attempt, in ms: connect, tunnel, send, headers and body together. */
  timeoutMs: number;
  /** Tunnels through an HTTP proxy for targets that are not excluded (proxy.ts). */
  proxy?: ProxyRoute;
  /** Extra trusted certificates (PEM), added to Node's own roots: AWS_CA_BUNDLE. */
  ca?: string[];
}

/** The deadline of one attempt when nothing sets it (`--request-timeout`, APPSTREAMCTL_REQUEST_TIMEOUT). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Answers larger than this are not AWS API answers to the calls appstreamctl makes. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** `scheme://host:port` of a request, as messages name the endpoint. */
export function endpointOf(req: Pick<SdkHttpRequest, "protocol" | "hostname" | "port">): string {
  const scheme = req.protocol.replace(/:$/, "");
  const host = req.hostname.includes(":") && !req.hostname.startsWith("[") ? `[${req.hostname}]` : req.hostname;
  return `${scheme}://${host}${req.port ? `:${req.port}` : ""}`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/**
 * The error of an attempt whose deadline passed. Named `TimeoutError`, which the SDK's retry strategy
 * retries as transient and errors.ts classifies as `timeout`.
 */
function deadlineError(endpoint: string, timeoutMs: number, phase: string): Error {
  const err = new Error(`no answer from ${endpoint} within ${seconds(timeoutMs)} (${phase}).`);
  return Object.assign(err, { name: "TimeoutError", code: "ETIMEDOUT" });
}

/**
 * An answer that is not an AWS API answer. `$metadata.httpStatusCode` carries the status, so the SDK
 * retries a 5xx page like any other server error; other statuses are not retried.
 */
export function invalidResponse(endpoint: string, status: number, what: string): Error {
  const err = new Error(`${endpoint} answered HTTP ${status} with ${what}, not an AWS API response: is the endpoint URL right, or is a proxy or captive portal answering?`);
  return Object.assign(err, { name: "InvalidResponseError", $metadata: { httpStatusCode: status } });
}

function header(headers: http.IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : (v ?? "");
}

/**
 * Why `body` with `status` and `contentType` cannot be an AWS answer, or undefined when it can.
 * `json` is true for the JSON protocols (AppStream, DynamoDB), whose every answer is a JSON object.
 */
export function notAnAwsAnswer(status: number, contentType: string, body: Uint8Array, json: boolean, location?: string): string | undefined {
  if (status >= 300 && status < 400) return location ? `a redirect to ${location}` : "a redirect";
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8").trim();
  if (/\btext\/html\b/i.test(contentType) || /^<(!doctype\s+html|html)\b/i.test(text)) return "an HTML page";
  if (text === "") return status < 300 ? "an empty body" : undefined;
  if (json && !text.startsWith("{")) return `a body that is not JSON${contentType ? ` (${contentType.split(";")[0]})` : ""}`;
  return undefined;
}

function pathWithQuery(req: SdkHttpRequest): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === null || v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) if (item !== null) params.append(k, item);
  }
  const q = params.toString();
  return q ? `${req.path}?${q}` : req.path;
}

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw Object.assign(new Error("appstreamctl's HTTP handler sends only string or byte bodies"), { name: "InternalError" });
}

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  return Object.assign(new Error("Request aborted"), { name: "AbortError" });
}

/**
 * The SDK request handler (the `requestHandler` client option): one deadline per attempt, proxy and
 * CA bundle from {@link TransportOptions}, answers read whole and checked.
 */
export class DeadlineHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly extra: Record<string | symbol, unknown> = {};

  constructor(private readonly opts: TransportOptions) {
    const base = { keepAlive: true, maxSockets: 50 };
    const tls = opts.ca?.length ? { ca: opts.ca } : {};
    this.httpAgent = opts.proxy ? new ProxyAgent(false, opts.proxy, { ...base, timeoutMs: opts.timeoutMs }) : new http.Agent(base);
    this.httpsAgent = opts.proxy
      ? (new ProxyAgent(true, opts.proxy, { ...base, ...tls, timeoutMs: opts.timeoutMs }) as unknown as https.Agent)
      : new https.Agent({ ...base, ...tls });
  }

  /** The deadline of one attempt, in ms. */
  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  handle(request: SdkHttpRequest, options: { abortSignal?: AbortSignal } = {}): Promise<{ response: SdkHttpResponse }> {
    const endpoint = endpointOf(request);
    const signal = options.abortSignal;
    const json = /json/i.test(request.headers["content-type"] ?? request.headers["Content-Type"] ?? "");
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const isTls = request.protocol === "https:";
      let phase = "connecting";
      let settled = false;
      const hostname = request.hostname.startsWith("[") ? request.hostname.slice(1, -1) : request.hostname;
      const req = (isTls ? https : http).request({
        host: hostname,
        ...(request.port ? { port: request.port } : {}),
        method: request.method,
        path: pathWithQuery(request),
        headers: request.headers,
        agent: isTls ? this.httpsAgent : this.httpAgent,
        ...(isTls ? { servername: hostname } : {}),
      });
      const finish = (err: Error | undefined, value?: { response: SdkHttpResponse }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(value!);
      };
      const timer = setTimeout(() => finish(deadlineError(endpoint, this.opts.timeoutMs, phase)), this.opts.timeoutMs);
      const onAbort = (): void => finish(abortError(signal!));
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("socket", (socket) => {
        const sent = (): void => {
          phase = "waiting for the answer";
        };
        if ((socket as { connecting?: boolean }).connecting) socket.once(isTls ? "secureConnect" : "connect", sent);
        else sent();
      });
      req.on("error", (err) => finish(err));
      req.on("response", (res) => {
        phase = "reading the answer";
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) finish(invalidResponse(endpoint, res.statusCode ?? 0, `more than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on("error", (err) => finish(err));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          noteServerDate(header(res.headers, "date") || undefined);
          const body = new Uint8Array(Buffer.concat(chunks));
          const why = notAnAwsAnswer(status, header(res.headers, "content-type"), body, json, header(res.headers, "location") || undefined);
          if (why) return finish(invalidResponse(endpoint, status, why));
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
          const response: SdkHttpResponse = { statusCode: status, headers, body };
          if (res.statusMessage) response.reason = res.statusMessage;
          finish(undefined, { response });
        });
      });
      let bytes: Buffer | undefined;
      try {
        bytes = bodyBytes(request.body);
      } catch (err) {
        return finish(err as Error);
      }
      req.end(bytes);
    });
  }

  updateHttpClientConfig(key: string | symbol, value: unknown): void {
    this.extra[key] = value;
  }

  httpHandlerConfigs(): Record<string | symbol, unknown> {
    return { ...this.extra, requestTimeout: this.opts.timeoutMs };
  }

  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
