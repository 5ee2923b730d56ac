/**
 * Fault injection (reference §19 "Fault injection hooks"): seeded, so a failing run can
 * be replayed with the same spec and call sequence.
 *
 * Spec grammar (the `--faults` option and `POST /_emulator/faults` with `{"spec": "..."}`):
 * ```
 * spec     := entry ("," entry)*
 * entry    := [Operation ":"] key "=" value        Operation-prefixed entries apply to that operation only
 * key      := seed | throttle | rle | cme | ias | ipc | 500 | 503 | 5xx | denied | latency | rate | consistency
 *           | tagIndexLag | exportFail | softwareFail
 * seed     := integer                              PRNG seed (global only; default 1)
 * throttle | rle | cme | ias | ipc | 500 | 503 | 5xx | denied | exportFail | softwareFail
 *          := probability in [0,1]                  e.g. throttle=0.2
 *           | "every" N                            every Nth call (per operation) fails, e.g. throttle=every3
 * latency  := duration                             added before the call is handled, e.g. latency=30ms
 * rate     := requests per second (> 0)            token bucket, burst = max(1, rate); over → ThrottlingException
 * consistency := duration                          a created resource stays invisible to Describe/List this long
 * tagIndexLag := duration                          the tagging index (GetResources) shows tags as they were this long ago
 * duration := N "ms" | N "s" | N                   (a bare number is milliseconds)
 * ```
 * Kinds: throttle → ThrottlingException "Rate exceeded"; rle → RequestLimitExceededException; cme →
 * ConcurrentModificationException; ias → InvalidAccountStatusException; ipc → InvalidParameterCombinationException
 * (a request AWS rejects although it passed every check appstreamctl knows, e.g. `UpdateFleet:ipc=every1`); 500 → InternalFailure (HTTP 500);
 * 503 → ServiceUnavailable (HTTP 503); 5xx → one of the two, drawn from the PRNG; denied → AccessDeniedException
 * (what IAM answers a caller without the permission, e.g. `GetResources:denied=1`). A per-operation entry
 * replaces the global value of the same key for that operation; a per-operation `rate` has its own bucket.
 * Order per call: latency, rate limit, then the kinds in the order listed above (first hit wins).
 *
 * Outcome kinds do not fail the call: they make the asynchronous work it starts end in failure, which is
 * how AWS reports such failures (the call succeeds, the task or deployment fails later). exportFail →
 * the export image task a CreateExportImageTask starts ends FAILED; softwareFail → the installs and
 * uninstalls a StartSoftwareDeploymentToImageBuilder starts end FAILED_TO_INSTALL / FAILED_TO_UNINSTALL.
 * They are drawn only when the call was not failed by an error kind.
 */
import { ApiError } from "./errors.js";

export const FAULT_KINDS = ["throttle", "rle", "cme", "ias", "ipc", "500", "503", "5xx", "denied"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds that let the call succeed and fail the work it starts (export-tasks.ts, software.ts). */
export const OUTCOME_KINDS = ["exportFail", "softwareFail"] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** Fires with a probability, or on every Nth call. */
export type Trigger = { probability: number } | { every: number };

export interface FaultRules {
  kinds: Partial<Record<FaultKind | OutcomeKind, Trigger>>;
  latencyMs?: number;
  rate?: number;
  consistencyMs?: number;
  tagIndexLagMs?: number;
}

/** A parsed spec: a seed, rules for every operation, and per-operation overrides. */
export interface FaultSpec {
  seed: number;
  global: FaultRules;
  perOp: Record<string, FaultRules>;
}

/** No faults at all. */
export function noFaults(): FaultSpec {
  return { seed: 1, global: { kinds: {} }, perOp: {} };
}

function parseDuration(v: string, entry: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v);
  if (!m) throw new Error(`faults: "${entry}": expected a duration like 30ms or 2s`);
  return Number(m[1]) * (m[2] === "s" ? 1000 : 1);
}

function parseTrigger(v: string, entry: string): Trigger {
  const every = /^every(\d+)$/.exec(v);
  if (every) {
    const n = Number(every[1]);
    if (n < 1) throw new Error(`faults: "${entry}": everyN needs N ≥ 1`);
    return { every: n };
  }
  const p = Number(v);
  if (v.trim() === "" || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new Error(`faults: "${entry}": expected a probability in [0,1] or everyN`);
  }
  return { probability: p };
}

/** Parses the spec grammar above; throws an Error naming the bad entry. The empty string means no faults. */
export function parseFaults(spec: string): FaultSpec {
  const out = noFaults();
  for (const raw of spec.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    if (eq < 0) throw new Error(`faults: "${entry}": expected key=value`);
    const lhs = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    const colon = lhs.indexOf(":");
    const opName = colon >= 0 ? lhs.slice(0, colon) : undefined;
    const key = colon >= 0 ? lhs.slice(colon + 1) : lhs;
    if (opName !== undefined && !/^[A-Z][A-Za-z]+$/.test(opName)) {
      throw new Error(`faults: "${entry}": "${opName}" is not an operation name`);
    }
    if (key === "seed") {
      if (opName !== undefined || !/^\d+$/.test(value)) throw new Error(`faults: "${entry}": seed is a global integer`);
      out.seed = Number(value);
      continue;
    }
    const rules = opName === undefined ? out.global : (out.perOp[opName] ??= { kinds: {} });
    if ((FAULT_KINDS as readonly string[]).includes(key) || (OUTCOME_KINDS as readonly string[]).includes(key)) {
      rules.kinds[key as FaultKind | OutcomeKind] = parseTrigger(value, entry);
    } else if (key === "latency") {
      rules.latencyMs = parseDuration(value, entry);
    } else if (key === "consistency") {
      rules.consistencyMs = parseDuration(value, entry);
    } else if (key === "tagIndexLag") {
      rules.tagIndexLagMs = parseDuration(value, entry);
    } else if (key === "rate") {
      const r = Number(value);
      if (!Number.isFinite(r) || r <= 0) throw new Error(`faults: "${entry}": rate is requests per second > 0`);
      rules.rate = r;
    } else {
      throw new Error(`faults: "${entry}": unknown key "${key}" (one of seed, ${[...FAULT_KINDS, ...OUTCOME_KINDS].join(", ")}, latency, rate, consistency, tagIndexLag)`);
    }
  }
  return out;
}

/** mulberry32: small, fast, good enough, and identical on every platform for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The error each fault kind produces (reference §14.1, §14.3). */
export function faultError(kind: Exclude<FaultKind, "5xx">): ApiError {
  switch (kind) {
    case "throttle":
      return new ApiError("ThrottlingException", "Rate exceeded");
    case "rle":
      return new ApiError(
        "RequestLimitExceededException",
        "AppStream 2.0 can't process the request right now because the Describe calls from your AWS account are being throttled by Amazon EC2. Try again later.",
      );
    case "cme":
      return new ApiError("ConcurrentModificationException", "An API error occurred. Wait a few minutes and try again.");
    case "ias":
      return new ApiError("InvalidAccountStatusException", "The resource cannot be created because your AWS account is suspended.");
    case "ipc":
      return new ApiError("InvalidParameterCombinationException", "The parameters of the request cannot be combined (injected fault).");
    case "500":
      return new ApiError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
    case "503":
      return new ApiError("ServiceUnavailable", "The request has failed due to a temporary failure of the server.", 503);
    case "denied":
      return new ApiError("AccessDeniedException", "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform this action (fault injection).");
  }
}

/** What the engine decided for one call. */
export interface FaultDecision {
  latencyMs: number;
  error?: ApiError;
  consistencyMs: number;
  /** How far behind the tagging index is (GetResources). */
  tagIndexLagMs: number;
  /** Outcome kinds that fired: the call succeeds and the work it starts fails. */
  outcomes: OutcomeKind[];
}

interface Bucket {
  tokens: number;
  last: number;
}

/** Applies a spec call by call; holds the PRNG, the every-Nth counters and the token buckets. */
export class FaultEngine {
  private random: () => number;
  private counters = new Map<string, number>();
  private buckets = new Map<string, Bucket>();

  /** @param clock real milliseconds for the rate limiter (injectable for tests) */
  constructor(
    private spec: FaultSpec,
    private readonly clock: () => number = Date.now,
  ) {
    this.random = prng(spec.seed);
  }

  /** Replaces the spec and restarts the PRNG, counters and buckets (`POST /_emulator/faults`). */
  configure(spec: FaultSpec): void {
    this.spec = spec;
    this.random = prng(spec.seed);
    this.counters.clear();
    this.buckets.clear();
  }

  current(): FaultSpec {
    return this.spec;
  }

  /** Decides the fate of one call of `operation`. */
  decide(operation: string): FaultDecision {
    const g = this.spec.global;
    const o = this.spec.perOp[operation];
    const decision: FaultDecision = {
      latencyMs: o?.latencyMs ?? g.latencyMs ?? 0,
      consistencyMs: o?.consistencyMs ?? g.consistencyMs ?? 0,
      tagIndexLagMs: o?.tagIndexLagMs ?? g.tagIndexLagMs ?? 0,
      outcomes: [],
    };
    const rate = o?.rate ?? g.rate;
    if (rate !== undefined && !this.take(o?.rate !== undefined ? operation : "*", rate)) {
      decision.error = faultError("throttle");
      return decision;
    }
    for (const kind of FAULT_KINDS) {
      const trigger = o?.kinds[kind] ?? g.kinds[kind];
      if (!trigger || !this.fires(operation, kind, trigger)) continue;
      decision.error = kind === "5xx" ? faultError(this.random() < 0.5 ? "500" : "503") : faultError(kind);
      return decision;
    }
    for (const kind of OUTCOME_KINDS) {
      const trigger = o?.kinds[kind] ?? g.kinds[kind];
      if (trigger && this.fires(operation, kind, trigger)) decision.outcomes.push(kind);
    }
    return decision;
  }

  private fires(operation: string, kind: FaultKind | OutcomeKind, trigger: Trigger): boolean {
    if ("every" in trigger) {
      const key = `${operation}|${kind}`;
      const n = (this.counters.get(key) ?? 0) + 1;
      this.counters.set(key, n);
      return n % trigger.every === 0;
    }
    // Draw even for probability 0 so adding a kind never shifts another kind's sequence mid-run.
    return this.random() < trigger.probability;
  }

  private take(key: string, rate: number): boolean {
    const now = this.clock();
    const burst = Math.max(1, rate);
    const b = this.buckets.get(key) ?? { tokens: burst, last: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.last) / 1000) * rate);
    b.last = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
