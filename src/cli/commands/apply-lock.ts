/**
 * How `apply` holds the apply lock (src/aws/lock.ts): taken before the live state is read, so the plan
 * it shows is made under the lock; held through confirmation and execution; released at the end, also
 * after an error or Ctrl-C. Ctrl-C before execution starts (waiting for the lock, planning, at the prompt)
 * stops the command with exit 130 and releases the lock; once execution runs, its own interrupt handling
 * (apply.ts) decides, and the lock is released when it returns.
 *
 * Without a lock configured (`metadata.lock` or `--lock-table`) apply runs unlocked and says so on
 * stderr, except with `--local`, whose embedded emulator belongs to one process anyway.
 *
 * With `--local` the lock table is created in the embedded emulator on first use and the lock item is
 * kept in `.appstreamctl/local-state.json` like the rest of the state; since every `--local` process has
 * its own emulator, loaded when it starts, a run started while another holds the lock fails naming it,
 * but a waiting run never sees the release. Concurrent runs belong on a shared endpoint
 * (`appstreamctl emulator` and `--endpoint-url`, or AWS).
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Connection } from "../../aws/client.js";
import { ApplyLock, describeHolder, lockKey, resolveLockTarget, whoAmI, type LockHolder } from "../../aws/lock.js";
import { AppError } from "../../core/errors.js";
import { formatDuration, parseDuration } from "../../engine/waiter.js";
import type { CommandEnv } from "../io.js";
import type { Loaded } from "./common.js";

/** Default `--lock-timeout`: fail at once, as Terraform does; CI jobs that should queue pass e.g. 10m. */
export const DEFAULT_LOCK_TIMEOUT = "0s";

/** Parses `--lock-timeout` (`0`, `0s`, `90s`, `10m`, …); `cli.usage` otherwise. */
export function parseLockTimeout(text: string | undefined): number {
  const t = (text ?? DEFAULT_LOCK_TIMEOUT).trim();
  if (/^0+(?:\.0+)?(?:ms|s|m|h)?$/.test(t)) return 0;
  const ms = parseDuration(t);
  if (ms === undefined) throw new AppError("cli.usage", `--lock-timeout ${JSON.stringify(text)}: expected a duration such as 0s, 90s or 10m`, { source: "user" });
  return ms;
}

/** What the locked section may do: race a promise against Ctrl-C, and mark when execution owns Ctrl-C. */
export interface LockGuard {
  /** Rejects with `apply.interrupted` on Ctrl-C while `work` is pending (before execution). */
  interruptible<T>(work: Promise<T>): Promise<T>;
  /** Runs execution; Ctrl-C is left to it while it runs. */
  executing<T>(work: () => Promise<T>): Promise<T>;
  /** Aborted on Ctrl-C before execution. */
  signal: AbortSignal;
}

export interface LockOptions {
  lockTable?: string;
  lockTimeout?: string;
  /** The command line as the lock item shows it, e.g. `appstreamctl apply --prune`. */
  command: string;
  /** Writes a line for the operator (stderr; an NDJSON event with `--json`). */
  say(type: "lock" | "warning", message: string): void;
}

/** A DynamoDB client for the lock (same endpoint, identity and timeouts as the connection). */
export function lockClient(conn: Connection, region: string): DynamoDBClient {
  return new DynamoDBClient({ ...conn.clientOptions("DynamoDB"), region });
}

/** Runs `fn` holding the lock of the manifest's set in `conn.region` (or unlocked, with a warning). */
export async function withApplyLock<T>(
  env: CommandEnv, conn: Connection, loaded: Loaded, opts: LockOptions, fn: (guard: LockGuard) => Promise<T>,
): Promise<T> {
  const { io } = env;
  const timeoutMs = parseLockTimeout(opts.lockTimeout);
  const interrupt = new AbortController();
  let executing = false;
  let rejectInterrupt: (e: unknown) => void = () => undefined;
  const interrupted = new Promise<never>((_, rej) => (rejectInterrupt = rej));
  interrupted.catch(() => undefined);
  const removeHandler = io.onInterrupt?.(() => {
    if (executing || interrupt.signal.aborted) return;
    const reason = new AppError("apply.interrupted", "interrupted by Ctrl-C before anything was changed", { source: "user" });
    interrupt.abort(reason);
    rejectInterrupt(reason);
  });
  const guard: LockGuard = {
    interruptible: (work) => Promise.race([work, interrupted]),
    async executing(work) {
      executing = true;
      try {
        return await work();
      } finally {
        executing = false;
      }
    },
    signal: interrupt.signal,
  };
  try {
    const target = resolveLockTarget(opts.lockTable, loaded.manifest.metadata.lock, conn.region);
    if (!target) {
      if (!conn.local) {
        opts.say(
          "warning",
          "Warning: no apply lock is configured (metadata.lock.dynamodbTable or --lock-table): nothing stops another apply " +
            `of set "${loaded.manifest.metadata.name}" in ${conn.region} from running at the same time.`,
        );
      }
      return await fn(guard);
    }
    const client = lockClient(conn, target.region);
    try {
      const lock = new ApplyLock(client, target, lockKey(loaded.manifest.metadata.name, conn.region), conn.local);
      const holder: LockHolder = {
        key: lock.key, runId: randomUUID(), who: whoAmI(io.env), pid: process.pid, created: new Date().toISOString(),
        command: opts.command, version: process.env.npm_package_version ?? "0.1.0",
      };
      await guard.interruptible(lock.acquire(holder, {
        timeoutMs, signal: interrupt.signal,
        onWait: (other) => opts.say("lock", `Waiting up to ${formatDuration(timeoutMs)} for the apply lock ${lock.key}, held by ${describeHolder(other, new Date())}`),
      }));
      opts.say("lock", `Acquired the apply lock ${lock.key} (table ${target.table}, run ${holder.runId}).`);
      try {
        return await fn(guard);
      } finally {
        const released = await lock.release(holder.runId).catch((err: unknown) => {
          opts.say("warning", `Warning: could not release the apply lock ${lock.key}: ${err instanceof Error ? err.message : String(err)}; ` +
            `break it with: appstreamctl force-unlock ${holder.runId}`);
          return true;
        });
        if (!released) opts.say("warning", `Warning: the apply lock ${lock.key} was broken (force-unlock) while this run held it.`);
      }
    } finally {
      client.destroy();
    }
  } finally {
    removeHandler?.();
  }
}
