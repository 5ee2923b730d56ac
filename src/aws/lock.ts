/**
 * The apply lock: one DynamoDB item per ownership set and region, taken with a conditional put
 * (`attribute_not_exists(LockID)`) and released with a conditional delete (`RunId = :run`) — the
 * mechanism of Terraform's `dynamodb_table` lock, so a table made for Terraform (partition key `LockID`,
 * type String) serves appstreamctl too. CI runners share nothing but AWS; the lock has to live there.
 *
 * Key: `appstreamctl/<set>/<region>` (the AppStream region the apply targets, not the table's). The item
 * records who holds it (`user@host`, pid), since when, the run id (the LOCKID of `force-unlock`) and the
 * command. The lock never expires on its own: a crashed holder's lock is broken with `force-unlock`.
 */
import { hostname, userInfo } from "node:os";
import {
  ConditionalCheckFailedException, CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand,
  ResourceInUseException, type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { AppError } from "../core/errors.js";
import { errorMessage, kindOf } from "./errors.js";

/** The partition key of the lock table (Terraform's name for it). */
export const LOCK_KEY_ATTRIBUTE = "LockID";

/** Where the lock lives, resolved from `--lock-table` or `metadata.lock`. */
export interface LockTarget {
  table: string;
  /** The table's region. */
  region: string;
}

/** What the lock item says about its holder. */
export interface LockHolder {
  key: string;
  runId: string;
  who: string;
  pid: number;
  created: string;
  command: string;
  version: string;
}

/** The lock's item key for a set and the AppStream region it is applied to. */
export function lockKey(set: string, region: string): string {
  return `appstreamctl/${set}/${region}`;
}

/**
 * The lock table: `--lock-table` wins over `metadata.lock.dynamodbTable`; the table's region is
 * `metadata.lock.region`, else the apply's region. Undefined when neither names a table.
 */
export function resolveLockTarget(flag: string | undefined, manifest: { dynamodbTable: string; region?: string } | undefined, region: string): LockTarget | undefined {
  const table = flag?.trim() || manifest?.dynamodbTable;
  if (!table) return undefined;
  return { table, region: manifest?.region ?? region };
}

/** `user@host` of this process, for the lock item (never fails: a container may have no passwd entry). */
export function whoAmI(env: Record<string, string | undefined>): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    user = undefined;
  }
  return `${user || env.USER || env.USERNAME || "unknown"}@${hostname()}`;
}

function toItem(h: LockHolder): Record<string, AttributeValue> {
  return {
    [LOCK_KEY_ATTRIBUTE]: { S: h.key }, RunId: { S: h.runId }, Who: { S: h.who }, Pid: { N: String(h.pid) },
    Created: { S: h.created }, Command: { S: h.command }, Version: { S: h.version },
  };
}

/** Reads a lock item; tolerant of items written by other tools (missing attributes read as "unknown"). */
export function fromItem(item: Record<string, AttributeValue> | undefined): LockHolder | undefined {
  if (!item) return undefined;
  const s = (k: string) => item[k]?.S ?? "unknown";
  return {
    key: s(LOCK_KEY_ATTRIBUTE), runId: s("RunId"), who: s("Who"), pid: Number(item.Pid?.N ?? 0), created: s("Created"),
    command: s("Command"), version: s("Version"),
  };
}

/** One line naming the holder: who, which process, since when, which run, doing what. */
export function describeHolder(h: LockHolder, now: Date): string {
  const since = Date.parse(h.created);
  const age = Number.isNaN(since) ? "" : ` (${formatAge(now.getTime() - since)} ago)`;
  return `${h.who} (pid ${h.pid}) since ${h.created}${age}, run ${h.runId}, command "${h.command}"`;
}

function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** How long between two attempts while waiting for a held lock. */
export const LOCK_POLL_MS = 1000;

/** The lock of one set and region in one table. */
export class ApplyLock {
  constructor(
    private readonly client: DynamoDBClient,
    readonly target: LockTarget,
    readonly key: string,
    /** `--local`: the embedded emulator's table is created on first use. */
    private readonly createMissingTable = false,
  ) {}

  /**
   * Takes the lock for `holder`, trying again every {@link LOCK_POLL_MS} while someone else holds it,
   * until `timeoutMs` has passed (0 = one attempt). Fails with `lock.held` naming the holder, or
   * `lock.backend` when the table cannot be used.
   */
  async acquire(holder: LockHolder, opts: { timeoutMs: number; signal?: AbortSignal; now?: () => number; onWait?: (h: LockHolder) => void }): Promise<void> {
    const now = opts.now ?? Date.now;
    const deadline = now() + opts.timeoutMs;
    let reported = false;
    for (;;) {
      const other = await this.tryPut(holder);
      if (!other) return;
      const left = deadline - now();
      if (left <= 0) {
        const waited = opts.timeoutMs > 0 ? `; waited ${formatAge(opts.timeoutMs)} (--lock-timeout)` : " (--lock-timeout 0s)";
        throw new AppError(
          "lock.held",
          `the apply lock ${this.key} in DynamoDB table ${this.target.table} (${this.target.region}) is held by ` +
            `${describeHolder(other, new Date(now()))}${waited}. Wait for that run, pass a longer --lock-timeout, ` +
            `or if it crashed: appstreamctl force-unlock ${other.runId}`,
          { source: "user" },
        );
      }
      if (!reported) opts.onWait?.(other);
      reported = true;
      await sleep(Math.min(LOCK_POLL_MS, left), opts.signal);
    }
  }

  /** One conditional put; the current holder when it is taken by someone else, undefined when taken by us. */
  private async tryPut(holder: LockHolder): Promise<LockHolder | undefined> {
    try {
      await this.send(() =>
        this.client.send(new PutItemCommand({
          TableName: this.target.table, Item: toItem(holder), ConditionExpression: "attribute_not_exists(#id)",
          ExpressionAttributeNames: { "#id": LOCK_KEY_ATTRIBUTE }, ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        })),
      );
      return undefined;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // The failed put carries the holder; older endpoints that do not send it are asked directly.
      const held = fromItem(err.Item) ?? (await this.current());
      // Released between the put and the read: try again at once.
      return held ?? (await this.tryPut(holder));
    }
  }

  /** The current holder, if any (a consistent read). */
  async current(): Promise<LockHolder | undefined> {
    const got = await this.send(() =>
      this.client.send(new GetItemCommand({ TableName: this.target.table, Key: { [LOCK_KEY_ATTRIBUTE]: { S: this.key } }, ConsistentRead: true })),
    );
    return fromItem(got.Item);
  }

  /**
   * Deletes the lock if `runId` still holds it. Returns false when it does not (broken by `force-unlock`
   * and perhaps taken by another run since), which the caller reports.
   */
  async release(runId: string): Promise<boolean> {
    try {
      await this.send(() =>
        this.client.send(new DeleteItemCommand({
          TableName: this.target.table, Key: { [LOCK_KEY_ATTRIBUTE]: { S: this.key } },
          ConditionExpression: "RunId = :run", ExpressionAttributeValues: { ":run": { S: runId } },
        })),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Runs a call, turning a missing table into `lock.backend` (or creating it in `--local`) and other errors into AppErrors. */
  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (kindOf(err) === "not-found") {
        if (!this.createMissingTable) {
          throw new AppError(
            "lock.backend",
            `the lock table ${this.target.table} does not exist in ${this.target.region}; create it once (a Terraform lock ` +
              `table serves too): aws dynamodb create-table --region ${this.target.region} --table-name ${this.target.table} ` +
              "--attribute-definitions AttributeName=LockID,AttributeType=S --key-schema AttributeName=LockID,KeyType=HASH " +
              "--billing-mode PAY_PER_REQUEST",
            { source: "user" },
          );
        }
        await this.createTable();
        return call();
      }
      if (err instanceof ConditionalCheckFailedException || err instanceof AppError) throw err;
      throw new AppError("lock.backend", `the lock table ${this.target.table} (${this.target.region}) could not be used: ${errorMessage(err) || String(err)}`, {
        source: "aws",
      });
    }
  }

  private async createTable(): Promise<void> {
    try {
      await this.client.send(new CreateTableCommand({
        TableName: this.target.table, BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: LOCK_KEY_ATTRIBUTE, KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: LOCK_KEY_ATTRIBUTE, AttributeType: "S" }],
      }));
    } catch (err) {
      // Another run made it first: just as good.
      if (!(err instanceof ResourceInUseException)) throw err;
    }
  }
}
