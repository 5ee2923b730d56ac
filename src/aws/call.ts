/**
 * The one way the engine makes an AppStream call: through the narrow api, with appstreamctl's bounded
 * retry on top of the SDK's (reference §1.1, §14.4), and any final failure turned into an AppError that
 * names the operation and resource. The original SDK error stays reachable as `cause`, so `kindOf`
 * still answers "was it not-found?" for reads that treat a missing resource as absent.
 */
import { redact } from "../core/redact.js";
import { secretsIn, type AppStreamApi, type InputOf, type Operation, type ResultOf } from "./api.js";
import { toAppError } from "./errors.js";
import { withRetry, type RetryCtx, type RetryOptions } from "./retry.js";

/** Effects of a call: the api, the clock, and the signal that stops retry waits. */
export interface CallCtx extends RetryCtx {
  api: AppStreamApi;
}

/** Per-call options: the resource for messages, and the retry conditions and policy. */
export interface AwsCallOptions extends RetryOptions {
  /** The address or name the call is about, e.g. `Fleet/engineering`. */
  resource?: string;
}

/**
 * Calls `op` with retries and wraps a final failure with {@link toAppError}. The signal in `ctx` stops
 * waiting between attempts but does not cut the HTTP request in flight: on the first Ctrl-C, a call
 * already sent is allowed to finish so that its outcome is known.
 */
export async function callAws<O extends Operation>(
  ctx: CallCtx,
  op: O,
  input: InputOf<O>,
  opts: AwsCallOptions = {},
): Promise<ResultOf<O>> {
  // A service or proxy may echo the request in its error; the secrets this request carries are
  // redacted, in every encoding, before any message is built from the error.
  const secrets = secretsIn(input);
  const retryOpts: AwsCallOptions = { ...opts };
  if (opts.onRetry) {
    const report = opts.onRetry;
    retryOpts.onRetry = (event) => report({ ...event, error: scrub(event.error, secrets) });
  }
  try {
    return await withRetry(ctx, () => ctx.api.call(op, input), retryOpts);
  } catch (err) {
    throw toAppError(scrub(err, secrets), opts.resource === undefined ? { operation: op } : { operation: op, resource: opts.resource });
  }
}

/** Redacts `secrets` from the error's messages in place (the error stays the one the SDK threw, for classification). */
function scrub(err: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0 || typeof err !== "object" || err === null) return err;
  const e = err as { message?: unknown; Message?: unknown };
  try {
    if (typeof e.message === "string") e.message = redact(e.message, secrets);
    if (typeof e.Message === "string") e.Message = redact(e.Message, secrets);
  } catch {
    // A frozen error cannot be scrubbed; toAppError's message is redacted by the renderers' masks too.
  }
  return err;
}
