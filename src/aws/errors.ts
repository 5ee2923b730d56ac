/**
 * Every AWS error-name check of appstreamctl lives here (DESIGN.md §5). An SDK error is classified once
 * into a small closed union; retry decisions, messages and exit paths switch on that union, never on
 * exception names.
 */
import { AppError, assertNever, type Code } from "../core/errors.js";

/** What went wrong, as far as the reconciler cares (reference §14). */
export type ErrorKind =
  | "not-found"
  | "already-exists"
  | "in-use"
  | "throttled"
  | "concurrent-modification"
  | "not-permitted"
  | "not-available"
  | "quota"
  | "invalid-role"
  | "incompatible-image"
  | "invalid-parameters"
  | "validation"
  | "account"
  | "credentials"
  | "access-denied"
  | "dry-run-ok"
  | "server"
  | "network"
  | "timeout"
  | "invalid-response"
  | "aborted"
  | "unknown";

/**
 * Conditions a caller may declare for one call, beyond the always-retried kinds (reference §14.4):
 * - `not-found-after-create`: ResourceNotFound right after a create (eventual consistency; TF retries
 *   CreateFleet on RNFE while an IAM role or directory propagates).
 * - `not-permitted-transitional`: OperationNotPermitted while the resource is in a transitional state
 *   (image builder STOPPING/PENDING, reference §6.2).
 * - `invalid-role-propagation`: InvalidRole for a role created moments ago (IAM propagation).
 */
export type RetryCondition = "not-found-after-create" | "not-permitted-transitional" | "invalid-role-propagation";

/** What the caller says applies to this call. */
export interface RetryContext {
  allow?: readonly RetryCondition[];
}

/** Exception names by kind. Names are compared after the SDK's own cleaning (reference §1). */
const NAMES: ReadonlyArray<readonly [string, ErrorKind]> = [
  ["ResourceNotFoundException", "not-found"],
  ["EntitlementNotFoundException", "not-found"],
  // Application Auto Scaling's: no such scalable target, policy or scheduled action.
  ["ObjectNotFoundException", "not-found"],
  ["ResourceAlreadyExistsException", "already-exists"],
  ["EntitlementAlreadyExistsException", "already-exists"],
  ["ResourceInUseException", "in-use"],
  // ThrottlingException is the generic AWS JSON throttle (reference §14.3); RequestLimitExceeded is EC2
  // describe throttling behind capacity operations, modeled and NOT retried by the SDK (§1.1).
  ["ThrottlingException", "throttled"],
  ["Throttling", "throttled"],
  ["TooManyRequestsException", "throttled"],
  ["RequestLimitExceededException", "throttled"],
  // The Resource Groups Tagging API's own names for throttling and for a server fault.
  ["ThrottledException", "throttled"],
  ["ConcurrentModificationException", "concurrent-modification"],
  ["OperationNotPermittedException", "not-permitted"],
  ["ResourceNotAvailableException", "not-available"],
  // A quota, although the SDK retries it as throttling before we see it (§1.1): terminal for the step.
  ["LimitExceededException", "quota"],
  ["InvalidRoleException", "invalid-role"],
  ["IncompatibleImageException", "incompatible-image"],
  ["InvalidParameterCombinationException", "invalid-parameters"],
  ["ValidationException", "validation"],
  ["SerializationException", "validation"],
  ["InvalidAccountStatusException", "account"],
  ["UnrecognizedClientException", "credentials"],
  ["InvalidSignatureException", "credentials"],
  ["ExpiredTokenException", "credentials"],
  ["InvalidClientTokenId", "credentials"],
  ["MissingAuthenticationTokenException", "credentials"],
  ["CredentialsProviderError", "credentials"],
  ["AccessDeniedException", "access-denied"],
  ["DryRunOperationException", "dry-run-ok"],
  ["InternalFailure", "server"],
  ["InternalServerError", "server"],
  ["ServiceUnavailable", "server"],
  ["ServiceUnavailableException", "server"],
  // An attempt's deadline (transport.ts): the SDK already retried it, each time waiting the full deadline.
  ["TimeoutError", "timeout"],
  // An answer that is not an AWS answer (HTML, empty, redirect): transport.ts.
  ["InvalidResponseError", "invalid-response"],
  ["ProxyError", "network"],
  ["InternalServiceException", "server"],
  ["RequestTimeout", "network"],
  ["RequestTimeoutException", "network"],
  ["AbortError", "aborted"],
];
const BY_NAME: ReadonlyMap<string, ErrorKind> = new Map(NAMES);

/** Node socket error codes that mean the request never got an answer. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  Message?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown; attempts?: unknown };
}

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === "object" && err !== null ? (err as ErrorLike) : {};
}

/** The exception name the SDK reported (`.name`), or the Node error code for socket failures. */
export function errorName(err: unknown): string {
  const e = asErrorLike(err);
  if (typeof e.name === "string" && e.name !== "Error") return e.name;
  if (typeof e.code === "string") return e.code;
  return typeof e.name === "string" ? e.name : "UnknownError";
}

/** The service's message: SDK exceptions carry it in `message` (and modeled ones also in `Message`). */
export function errorMessage(err: unknown): string {
  const e = asErrorLike(err);
  if (typeof e.message === "string" && e.message !== "" && e.message !== "UnknownError") return e.message;
  if (typeof e.Message === "string") return e.Message;
  return typeof err === "string" ? err : "";
}

function httpStatus(err: unknown): number | undefined {
  const s = asErrorLike(err).$metadata?.httpStatusCode;
  return typeof s === "number" ? s : undefined;
}

/** Classifies any thrown value. Pure: looks only at the name, Node error code and HTTP status. */
export function classify(err: unknown): ErrorKind {
  const e = asErrorLike(err);
  const name = typeof e.name === "string" ? e.name : "";
  const byName = BY_NAME.get(name);
  if (byName) return byName;
  if (typeof e.code === "string") {
    if (NETWORK_CODES.has(e.code)) return "network";
    const byCode = BY_NAME.get(e.code);
    if (byCode) return byCode;
  }
  const status = httpStatus(err);
  if (status === 429) return "throttled";
  if (status !== undefined && status >= 500) return "server";
  // A 412 without a known name is still the dry-run success signal (reference §1: DryRunOperation is 412).
  if (status === 412) return "dry-run-ok";
  return "unknown";
}

/**
 * Whether appstreamctl's own backoff (retry.ts) should retry this kind — reference §14.4.
 * Throttling reaches us either as RequestLimitExceeded (never retried by the SDK) or as
 * ThrottlingException after the SDK's attempts ran out; both deserve a bounded backoff, as does
 * ConcurrentModification. Server and network errors are left to the SDK's standard retry mode, and
 * quota errors were already retried by the SDK as throttling (§1.1), so retrying them again only delays
 * a certain failure.
 */
export function isRetryable(kind: ErrorKind, ctx: RetryContext = {}): boolean {
  const allow = ctx.allow ?? [];
  switch (kind) {
    case "throttled":
    case "concurrent-modification":
    // The SDK's own 3 attempts do not carry a run of 5xx or dropped connections (the chaos suite saw a
    // plan fail that way); every call is safe to repeat: reads are idempotent, creates adopt an
    // existing resource (ResourceAlreadyExists), updates and deletes converge.
    case "server":
    case "network":
      return true;
    // Each of the SDK's attempts already waited the whole deadline; more attempts would only multiply
    // the time the command takes to report an endpoint that does not answer.
    case "timeout":
    // Not an AWS answer: the same request meets the same proxy page or redirect again.
    case "invalid-response":
      return false;
    case "not-found":
      return allow.includes("not-found-after-create");
    case "not-permitted":
      return allow.includes("not-permitted-transitional");
    case "invalid-role":
      return allow.includes("invalid-role-propagation");
    case "already-exists":
    case "in-use":
    case "not-available":
    case "quota":
    case "incompatible-image":
    case "invalid-parameters":
    case "validation":
    case "account":
    case "credentials":
    case "access-denied":
    case "dry-run-ok":
    case "aborted":
    case "unknown":
      return false;
    default:
      return assertNever(kind, "error kind");
  }
}

/** One sentence telling the operator what the error means for them; empty when the service says enough. */
export function explain(kind: ErrorKind): string {
  switch (kind) {
    case "in-use":
      return "The resource is still in use: a dependency (stack association, running fleet, shared image) must be removed first.";
    case "quota":
      return "An account quota was reached; raise it in Service Quotas or remove unused resources (reference §16).";
    case "throttled":
      return "AppStream kept throttling the request after retries; lower --parallelism and try again.";
    case "concurrent-modification":
      return "Another change to this resource was still in progress after retries; wait a few minutes and re-run.";
    case "credentials":
      return "The AWS credentials were missing, invalid or expired; check --profile and your environment.";
    case "access-denied":
      return "The credentials are not allowed to make this call; check the IAM policy.";
    case "account":
      return "The AWS account is not in good standing for AppStream.";
    case "invalid-role":
      return "The IAM role is invalid or not yet usable by AppStream (or the AppStream service-linked role is missing).";
    case "network":
      return "The endpoint could not be reached; check --endpoint-url, the region and the network.";
    case "server":
      return "AppStream returned a server error after retries; re-run later.";
    case "timeout":
      return "Every attempt ran out of time; check --endpoint-url, the proxy settings and the network (each attempt's deadline is --request-timeout).";
    case "invalid-response":
      return "";
    case "not-found":
    case "already-exists":
    case "not-permitted":
    case "not-available":
    case "incompatible-image":
    case "invalid-parameters":
    case "validation":
    case "dry-run-ok":
    case "aborted":
    case "unknown":
      return "";
    default:
      return assertNever(kind, "error kind");
  }
}

/** Where a failed call was aimed, for the message. */
export interface CallSite {
  /** The API operation, e.g. `UpdateFleet`. */
  operation: string;
  /** The address or name, e.g. `Fleet/engineering`. */
  resource?: string;
}

/**
 * Turns any error from an AWS call into the one AppError type: code `aws.error` (or `aws.credentials`
 * when the credentials are the problem), source `aws`, and a message naming the operation, the
 * resource, the exception and the service's own message. An AppError passes through unchanged.
 */
export function toAppError(err: unknown, site: CallSite): AppError {
  if (err instanceof AppError) return err;
  const kind = classify(err);
  const name = errorName(err);
  const message = errorMessage(err);
  const where = site.resource ? `${site.operation} ${site.resource}` : site.operation;
  const requestId = asErrorLike(err).$metadata?.requestId;
  const parts = [`${where} failed: ${name}${message ? `: ${message}` : ""}`];
  if (kind === "timeout" && attemptsOf(err) > 1) parts.push(`(${attemptsOf(err)} attempts)`);
  const hint = explain(kind);
  if (hint) parts.push(hint);
  if (typeof requestId === "string" && requestId !== "") parts.push(`(request id ${requestId})`);
  const code: Code = kind === "credentials" ? "aws.credentials" : "aws.error";
  return new AppError(code, parts.join(" "), { source: "aws", cause: err });
}

/** Marks an SDK error with the attempt budget of the call that failed (AWS_MAX_ATTEMPTS set explicitly). */
const ATTEMPT_BUDGET = Symbol("appstreamctl.attemptBudget");

/** Records on `err` that its call may use at most `max` HTTP attempts in all, retries of ours included. */
export function markAttemptBudget(err: unknown, max: number): void {
  if (typeof err === "object" && err !== null) (err as Record<symbol, unknown>)[ATTEMPT_BUDGET] = max;
}

/** The attempt budget marked on `err`, if any. */
export function attemptBudgetOf(err: unknown): number | undefined {
  const v = typeof err === "object" && err !== null ? (err as Record<symbol, unknown>)[ATTEMPT_BUDGET] : undefined;
  return typeof v === "number" ? v : undefined;
}

/** HTTP attempts the SDK made for the call that threw `err` (its `$metadata.attempts`), at least 1. */
export function attemptsOf(err: unknown): number {
  const n = asErrorLike(err).$metadata?.attempts;
  return typeof n === "number" && n >= 1 ? n : 1;
}

/** The kind of an error that may already be wrapped by {@link toAppError}: looks through `cause`. */
export function kindOf(err: unknown): ErrorKind {
  if (err instanceof AppError && err.source === "aws" && err.cause !== undefined) return classify(err.cause);
  return classify(err);
}
