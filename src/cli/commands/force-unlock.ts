/**
 * `appstreamctl force-unlock [LOCKID] [--yes]`: breaks the apply lock of the manifest's set and region
 * when the run holding it crashed (a hard kill, a lost CI runner). The holder is always named first; the
 * lock is deleted only if it still belongs to that run (LOCKID, when given, must be that run's id), so a
 * lock taken by a new run in the meantime is never broken by mistake. Exit 0 when broken or when nothing
 * was held, 1 otherwise.
 */
import { createInterface } from "node:readline";
import { ApplyLock, describeHolder, lockKey, resolveLockTarget } from "../../aws/lock.js";
import { AppError } from "../../core/errors.js";
import type { Handler, Io } from "../io.js";
import { EXIT } from "../exit.js";
import { lockClient } from "./apply-lock.js";
import { loadOrReport, withConnection } from "./common.js";

export interface ForceUnlockOptions {
  yes?: boolean;
  lockTable?: string;
}

async function confirmed(io: Io): Promise<boolean> {
  if (io.stdin?.isTTY !== true) {
    throw new AppError("cli.prompt", "force-unlock needs a terminal to confirm, or --yes", { source: "user" });
  }
  io.stderr.write("Break this lock? Only do so if that run is no longer running. Only 'yes' will be accepted: ");
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    return await new Promise<boolean>((res) => {
      rl.once("line", (line) => res(line.trim() === "yes"));
      rl.once("close", () => res(false));
    });
  } finally {
    rl.close();
  }
}

export const forceUnlockCommand: Handler<ForceUnlockOptions> = async (env, opts, args) => {
  const { io } = env;
  const loaded = await loadOrReport(env);
  if (!loaded) return EXIT.error;
  const wanted = args[0];
  return withConnection(env, loaded, async (conn) => {
    const target = resolveLockTarget(opts.lockTable, loaded.manifest.metadata.lock, conn.region);
    if (!target) {
      throw new AppError("cli.usage", "no apply lock is configured: set metadata.lock.dynamodbTable in the manifest or pass --lock-table", { source: "user" });
    }
    const client = lockClient(conn, target.region);
    try {
      const lock = new ApplyLock(client, target, lockKey(loaded.manifest.metadata.name, conn.region), conn.local);
      const holder = await lock.current();
      if (!holder) {
        io.stderr.write(`No apply lock is held for ${lock.key} in table ${target.table} (${target.region}); nothing to do.\n`);
        return wanted === undefined ? EXIT.ok : EXIT.error;
      }
      io.stderr.write(`The apply lock ${lock.key} in table ${target.table} (${target.region}) is held by ${describeHolder(holder, new Date())}.\n`);
      if (wanted !== undefined && wanted !== holder.runId) {
        io.stderr.write(`It does not belong to run ${wanted}: nothing was changed.\n`);
        return EXIT.error;
      }
      if (opts.yes !== true && !(await confirmed(io))) {
        io.stderr.write("Not broken: nothing was changed.\n");
        return EXIT.error;
      }
      if (!(await lock.release(holder.runId))) {
        io.stderr.write(`The lock changed hands meanwhile (it is no longer run ${holder.runId}'s): nothing was changed.\n`);
        return EXIT.error;
      }
      io.stdout.write(`Broke the apply lock ${lock.key} of run ${holder.runId} (${holder.who}, pid ${holder.pid}).\n`);
      return EXIT.ok;
    } finally {
      client.destroy();
    }
  });
};
