/**
 * EventBridge Scheduler's REST-JSON front door on the emulator port (SCHED-PROTO rules in SPEC.md). A
 * request is routed by method and path (`POST /schedules/{Name}`, `GET /schedule-groups`, `/tags/{ResourceArn}`
 * …, the model's request URIs in scheduler-model.gen.ts); its input is the JSON body plus the URI labels and
 * query parameters the model binds to members. Then the usual pipeline: faults → model validation → handler →
 * persist (mutating calls) → respond → call log (`scheduler:<Op>`).
 *
 * Errors are REST-JSON's: the `x-amzn-ErrorType` header names the exception, the body is `{"Message"}`, and
 * the status is the one the model gives the exception.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OpContext } from "./context.js";
import { isMutating } from "./control.js";
import { ApiError, modeledOrBug } from "./errors.js";
import { clean } from "./out.js";
import { SCHEDULER_OPERATIONS, SCHEDULER_SHAPES, type RestOperation } from "./scheduler-model.gen.js";
import { schedulerOps } from "./scheduler.js";
import { decodeBody, regionOf, type ServerDeps } from "./wire.js";
import { validateAgainst } from "./validate.js";

/** HTTP status of each exception (the model's `httpStatusCode`; the protocol's own errors besides). */
const STATUS: Record<string, number> = {
  ValidationException: 400,
  SerializationException: 400,
  ConflictException: 409,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  InternalServerException: 500,
  UnknownOperationException: 404,
  AccessDeniedException: 403,
};

/**
 * An injected AppStream fault (faults.ts) as this service reports it: throttling → ThrottlingException (429),
 * server faults → InternalServerException (500), `denied` → AccessDeniedException (403), `cme` →
 * ConflictException where the operation models it. Other kinds have no counterpart and do not apply.
 */
function asSchedulerFault(e: ApiError, operation: string): ApiError | undefined {
  switch (e.type) {
    case "ThrottlingException":
    case "RequestLimitExceededException":
      return new ApiError("ThrottlingException", "Rate exceeded", 429);
    case "InternalFailure":
    case "ServiceUnavailable":
      return new ApiError("InternalServerException", "Unexpected error occurred while processing the request.", 500);
    case "AccessDeniedException":
      return new ApiError("AccessDeniedException", e.message, 403);
    case "ConcurrentModificationException":
      return SCHEDULER_OPERATIONS[operation]?.errors.includes("ConflictException") ? new ApiError("ConflictException", e.message, 409) : undefined;
    default:
      return undefined;
  }
}

interface Route {
  operation: string;
  def: RestOperation;
  pattern: RegExp;
  labels: string[];
}

/** One route per operation: a label matches one path segment, the last one the rest of the path. */
const ROUTES: Route[] = Object.entries(SCHEDULER_OPERATIONS).map(([operation, def]) => {
  const labels: string[] = [];
  const segments = def.uri.split("/");
  const source = segments
    .map((seg, i) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      labels.push(m[1]!);
      return i === segments.length - 1 ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { operation, def, pattern: new RegExp(`^${source}$`), labels };
});

/** Whether a request is for Scheduler: no X-Amz-Target, and a path under one of its resources. */
export function isSchedulerRequest(req: IncomingMessage): boolean {
  if (req.headers["x-amz-target"] !== undefined) return false;
  return /^\/(schedules|schedule-groups|tags)(\/|\?|$)/.test(req.url ?? "");
}

function decodeLabel(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ApiError("SerializationException", `The path segment ${raw} is not valid percent-encoding.`);
  }
}

/** The operation and its input (body, labels and query members) of a request. */
function routeRequest(method: string, url: string, body: string | undefined): { operation: string; input: Record<string, unknown> } {
  const [path = "", queryText = ""] = url.split("?", 2);
  const matches = ROUTES.filter((r) => r.pattern.test(path));
  const route = matches.find((r) => r.def.method === method);
  if (!route) {
    throw new ApiError("UnknownOperationException", matches.length ? `Method ${method} is not allowed on ${path}.` : `No operation is bound to ${path}.`);
  }
  let input: Record<string, unknown> = {};
  if (method === "POST" || method === "PUT") {
    if (body === undefined) throw new ApiError("SerializationException", "The request body could not be read or is too large.");
    input = decodeBody(body);
  }
  const m = route.pattern.exec(path)!;
  route.labels.forEach((label, i) => {
    input[route.def.labels[label]!] = decodeLabel(m[i + 1]!);
  });
  const query = new URLSearchParams(queryText);
  const members = route.def.input ? (SCHEDULER_SHAPES[route.def.input] as { members?: Record<string, string> }).members ?? {} : {};
  for (const [param, member] of Object.entries(route.def.query)) {
    if (!query.has(param)) continue;
    const shape = SCHEDULER_SHAPES[members[member]!];
    const values = query.getAll(param);
    if (shape?.type === "list") input[member] = values;
    else if ((shape?.type === "integer" || shape?.type === "long") && /^-?\d+$/.test(values[0]!)) input[member] = Number(values[0]);
    else input[member] = values[0];
  }
  return { operation: route.operation, input };
}

function respond(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "x-amzn-RequestId": randomUUID(),
  };
  if (errorType) headers["x-amzn-ErrorType"] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

/** Serves one Scheduler request. */
export async function handleScheduler(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, text: string | undefined, persist: () => void): Promise<void> {
  const { store } = deps;
  const region = regionOf(req.headers.authorization);
  const arrived = store.now();
  let operation = "(none)";
  let input: Record<string, unknown> | undefined;
  let status = 200;
  let outcome = "ok";
  try {
    const routed = routeRequest(req.method ?? "GET", req.url ?? "/", text);
    operation = routed.operation;
    input = routed.input;
    const fault = deps.faults.decide(operation);
    if (fault.latencyMs > 0) await new Promise<void>((r) => setTimeout(r, fault.latencyMs));
    const faulted = fault.error && asSchedulerFault(fault.error, operation);
    if (faulted) throw faulted;
    const invalid = validateAgainst({ operations: SCHEDULER_OPERATIONS, shapes: SCHEDULER_SHAPES }, operation, input);
    if (invalid) throw invalid;
    const ctx: OpContext = { store, region, account: store.config.account, now: store.now(), config: store.config, operation, consistencyDelayMs: 0 };
    let result: unknown;
    try {
      result = await schedulerOps[operation]!(ctx, input);
    } catch (err) {
      throw modeledOrBug(`scheduler:${operation}`, SCHEDULER_OPERATIONS[operation]?.errors, err, (bug) => deps.calls.unmodeled.push(bug));
    }
    if (isMutating(operation)) persist();
    respond(res, 200, clean(result ?? {}));
  } catch (err) {
    let e = err instanceof ApiError ? err : new ApiError("InternalServerException", `The emulator failed: ${err instanceof Error ? err.message : String(err)}`, 500);
    // The protocol's generic server failure is InternalServerException in this service's model.
    if (e.type === "InternalFailure") e = new ApiError("InternalServerException", e.message, 500);
    status = STATUS[e.type] ?? e.status;
    outcome = e.type;
    respond(res, status, { Message: e.message }, e.type);
  } finally {
    const resource = typeof input?.Name === "string" ? input.Name : typeof input?.ResourceArn === "string" ? input.ResourceArn : undefined;
    const logged = deps.calls.add({
      time: new Date(arrived).toISOString(), region, operation: `scheduler:${operation}`, resource, outcome, status, mutating: isMutating(operation),
    });
    deps.onCall?.(logged);
  }
}
