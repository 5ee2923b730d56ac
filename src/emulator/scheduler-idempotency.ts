/**
 * ClientToken idempotency of EventBridge Scheduler's mutating operations (SCHED-04 in SPEC.md): the first
 * answer to a token is kept for a while, keyed by operation and token, with a hash of the request.
 */
import { createHash } from "node:crypto";
import type { OpHandler } from "./context.js";
import { ApiError } from "./errors.js";

const conflict = (m: string) => new ApiError("ConflictException", m, 409);

/** How long a client token is remembered (emulator clock). */
const TOKEN_TTL_MS = 8 * 3600_000;

interface TokenRecord {
  at: number;
  hash: string;
  result: unknown;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * A mutating operation made idempotent by `ClientToken`: a repeat with the same token and the same request
 * answers the first result without acting again; the same token with another request → ConflictException.
 */
export function idempotent(operation: string, handler: OpHandler): OpHandler {
  return (ctx, input) => {
    const token = input.ClientToken;
    if (typeof token !== "string") return handler(ctx, input);
    const tokens = ctx.store.table<TokenRecord>(ctx.region, "schedulerClientTokens");
    for (const [k, t] of Object.entries(tokens)) if (t.at + TOKEN_TTL_MS <= ctx.now) delete tokens[k];
    const { ClientToken: _omit, ...rest } = input;
    const hash = createHash("sha256").update(stableJson(rest)).digest("base64url");
    const key = `${operation}|${token}`;
    const seen = tokens[key];
    if (seen) {
      if (seen.hash !== hash) throw conflict(`The ClientToken ${token} was already used with a different ${operation} request.`);
      return structuredClone(seen.result);
    }
    const result = handler(ctx, input);
    tokens[key] = { at: ctx.now, hash, result: structuredClone(result ?? {}) };
    return result;
  };
}
