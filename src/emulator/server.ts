/**
 * The AWS JSON 1.1 front door (reference §1, §19 "Protocol"): `POST /` routed on
 * `X-Amz-Target: PhotonAdminProxyService.<Op>`, JSON bodies, `x-amzn-RequestId`, errors as
 * `{"__type", "message"}` plus `x-amzn-ErrorType`. Binds 127.0.0.1 only. Every request is logged to the
 * call log; nothing a client sends can crash the process.
 *
 * EventBridge Scheduler (REST-JSON, routed by method and path, scheduler-http.ts) shares the port too; before
 * any request is served, the schedules that fell due since the last one fire (scheduler-fire.ts).
 *
 * The same port serves DynamoDB (JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Op>`, dynamodb.ts) and STS
 * (Query protocol: a form-encoded POST without a target, sts.ts) for the apply lock and the caller's account,
 * and Application Auto Scaling (JSON 1.1, `X-Amz-Target: AnyScaleFrontendService.<Op>`, scaling.ts).
 *
 * Pipeline per call: decode → fault decision (latency, rate limit, injected errors) → model validation →
 * due scheduled scaling (scaling-schedule.ts) → handler → persist (mutating calls) → respond → call log.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { OpContext, OpHandler } from "./context.js";
import { handleControl, isMutating, resourceOf } from "./control.js";
import { DYNAMODB_ERROR_NAMESPACE, DYNAMODB_TARGET_PREFIX, dynamodbOps, validateDynamodb } from "./dynamodb.js";
import { ApiError, modeledOrBug } from "./errors.js";
import { OPERATIONS } from "./model.gen.js";
import { clean } from "./out.js";
import type { Store } from "./store.js";
import { runScheduledScaling } from "./scaling-schedule.js";
import { SCALING_TARGET_PREFIX, scalingErrors, scalingOps, validateScaling } from "./scaling.js";
import { handleScheduler, isSchedulerRequest } from "./scheduler-http.js";
import { fireDueSchedules } from "./scheduler-fire.js";
import { handleSts, isQueryRequest } from "./sts.js";
import { handleTagging, isTaggingRequest } from "./tagging.js";
import { decodeBody, regionOf, type ServerDeps } from "./wire.js";

// The services beside AppStream on this port (tagging.ts, …) import these from wire.ts, not from here.
export { DEFAULT_REGION, decodeBody, regionOf, type ServerDeps } from "./wire.js";

export const TARGET_PREFIX = "PhotonAdminProxyService.";
/** Request bodies larger than this are refused (the service's own limits are far lower). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooBig ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(undefined));
  });
}

/**
 * One AWS JSON service on the port: its X-Amz-Target prefix, content type and handlers. AppStream is the
 * main one; DynamoDB (the apply lock) shares the pipeline, without AppStream's fault injection so that
 * chaos runs exercise the reconciler, not the lock.
 */
interface JsonService {
  prefix: string;
  contentType: string;
  ops: Record<string, OpHandler>;
  validate?: (operation: string, input: Record<string, unknown>) => ApiError | undefined;
  /** The `__type` of an error body. */
  errorType(type: string): string;
  /** The operation as the call log shows it. */
  logName(operation: string): string;
  resourceOf(input: Record<string, unknown> | undefined): string | undefined;
  faults: boolean;
  notFoundStatus(store: Store): number;
  /** The errors an operation's model lists; AppStream's model when absent. */
  modeledErrors?(operation: string): readonly string[] | undefined;
}

function appStreamService(deps: ServerDeps): JsonService {
  return {
    prefix: TARGET_PREFIX, contentType: "application/x-amz-json-1.1", ops: deps.ops, ...(deps.validate ? { validate: deps.validate } : {}),
    errorType: (t) => t, logName: (op) => op, resourceOf, faults: true, notFoundStatus: (store) => store.config.notFoundStatus,
  };
}

const DYNAMODB: JsonService = {
  prefix: DYNAMODB_TARGET_PREFIX, contentType: "application/x-amz-json-1.0", ops: dynamodbOps, validate: validateDynamodb,
  errorType: (t) => DYNAMODB_ERROR_NAMESPACE + t, logName: (op) => `dynamodb:${op}`,
  resourceOf: (input) => (typeof input?.TableName === "string" ? input.TableName : undefined), faults: false, notFoundStatus: () => 400,
};

/** Application Auto Scaling (scaling.ts): AppStream's pipeline without its fault injection, like DynamoDB. */
const SCALING: JsonService = {
  prefix: SCALING_TARGET_PREFIX, contentType: "application/x-amz-json-1.1", ops: scalingOps, validate: validateScaling,
  errorType: (t) => t, logName: (op) => `application-autoscaling:${op}`,
  resourceOf: (input) => (typeof input?.ResourceId === "string" ? input.ResourceId : typeof input?.ResourceARN === "string" ? input.ResourceARN : undefined),
  faults: false, notFoundStatus: () => 400, modeledErrors: scalingErrors,
};

function respond(res: ServerResponse, status: number, body: unknown, errorType?: string, contentType = "application/x-amz-json-1.1"): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(text),
    "x-amzn-RequestId": randomUUID(),
  };
  if (errorType) headers["x-amzn-ErrorType"] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function handleApi(deps: ServerDeps, svc: JsonService, req: IncomingMessage, res: ServerResponse, text: string | undefined): Promise<void> {
  const { store } = deps;
  const region = regionOf(req.headers.authorization);
  const target = String(req.headers["x-amz-target"] ?? "");
  const operation = target.startsWith(svc.prefix) ? target.slice(svc.prefix.length) : target || "(none)";
  const arrived = store.now();
  let input: Record<string, unknown> | undefined;
  let status = 200;
  let outcome = "ok";
  try {
    try {
      if (req.method !== "POST") throw new ApiError("UnknownOperationException", `Method ${req.method ?? ""} is not supported; use POST /.`);
      if (text === undefined) throw new ApiError("SerializationException", "The request body could not be read or is too large.");
      const handler = target.startsWith(svc.prefix) ? svc.ops[operation] : undefined;
      if (!handler || !Object.hasOwn(svc.ops, operation)) {
        throw new ApiError("UnknownOperationException", `The operation ${target || "(no X-Amz-Target)"} is not supported by this emulator.`);
      }
      input = decodeBody(text);
      const fault = svc.faults ? deps.faults.decide(operation) : { latencyMs: 0, error: undefined, consistencyMs: 0, outcomes: [] };
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      if (fault.error) throw fault.error;
      const invalid = svc.validate?.(operation, input);
      if (invalid) throw invalid;
      // Scheduled scaling fires lazily: whatever fell due by now runs before the request sees the state.
      if (runScheduledScaling(store, region, store.now())) persist(store);
      const ctx: OpContext = {
        store,
        region,
        account: store.config.account,
        now: store.now(),
        config: store.config,
        operation,
        consistencyDelayMs: fault.consistencyMs,
        outcomeFaults: fault.outcomes,
      };
      let result: unknown;
      try {
        result = await handler(ctx, input);
      } catch (err) {
        throw modeledOrBug(operation, svc.modeledErrors ? svc.modeledErrors(operation) : OPERATIONS[operation]?.errors, err, (bug) => deps.calls.unmodeled.push(bug));
      }
      // Persist before answering, so a client that reads the state file after the response sees the change.
      if (isMutating(operation, input)) persist(store);
      respond(res, 200, clean(result ?? {}), undefined, svc.contentType);
    } catch (err) {
      const e =
        err instanceof ApiError
          ? err
          : new ApiError("InternalFailure", `The emulator failed: ${err instanceof Error ? err.message : String(err)}`, 500);
      status = e.type === "ResourceNotFoundException" ? svc.notFoundStatus(store) : e.status;
      outcome = e.type;
      respond(res, status, { __type: svc.errorType(e.type), message: e.message, ...e.extra }, e.type, svc.contentType);
    }
  } finally {
    const logged = deps.calls.add({
      time: new Date(arrived).toISOString(),
      region,
      operation: svc.logName(operation),
      resource: svc.resourceOf(input),
      outcome,
      status,
      mutating: isMutating(operation, input),
    });
    deps.onCall?.(logged);
  }
}

/** STS over the Query protocol (sts.ts): XML answers, logged like every other call. */
function handleQuery(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, text: string): void {
  const arrived = deps.store.now();
  const region = regionOf(req.headers.authorization);
  const answer = handleSts(text, deps.store.config.account, req.headers.authorization);
  res.writeHead(answer.status, { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(answer.body), "x-amzn-RequestId": randomUUID() });
  res.end(answer.body);
  const logged = deps.calls.add({
    time: new Date(arrived).toISOString(), region, operation: answer.operation, outcome: answer.outcome, status: answer.status, mutating: false,
  });
  deps.onCall?.(logged);
}

/** Saves the state file; a write failure is reported but does not fail the call that caused it. */
function persist(store: Store): void {
  try {
    store.save();
  } catch (err) {
    process.emitWarning(`emulator: could not write the state file: ${String(err)}`);
  }
}

/** Creates the HTTP server (not yet listening). */
export function createEmulatorServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      // Every answer's Date is the emulator's (time-scaled) clock, as AWS's is its own: clients that
      // decide by the service's time (run-state schedules) see the clock a test moved.
      res.setHeader("Date", new Date(deps.store.now()).toUTCString());
      if ((await fireDueSchedules(deps)) > 0) persist(deps.store);
      if ((req.url ?? "").startsWith("/_emulator/")) {
        handleControl(deps, req, res, text ?? "");
        return;
      }
      const target = req.headers["x-amz-target"] as string | undefined;
      // The Resource Groups Tagging API (GetResources) shares the port (tagging.ts).
      if (isTaggingRequest(req)) {
        await handleTagging(deps, req, res, text);
        return;
      }
      if (isSchedulerRequest(req)) return handleScheduler(deps, req, res, text, () => persist(deps.store));
      if (target?.startsWith(DYNAMODB_TARGET_PREFIX)) return handleApi(deps, DYNAMODB, req, res, text);
      if (target?.startsWith(SCALING_TARGET_PREFIX)) return handleApi(deps, SCALING, req, res, text);
      if (isQueryRequest(req.method, req.headers["content-type"], target) && text !== undefined) return handleQuery(deps, req, res, text);
      await handleApi(deps, appStreamService(deps), req, res, text);
    })().catch((err: unknown) => {
      // Last resort: a bug above must not take the server down.
      if (!res.headersSent) respond(res, 500, { __type: "InternalFailure", message: String(err) }, "InternalFailure");
      else res.destroy();
    });
  });
}
