/** What plan, apply, drift and export share: load-or-report, secrets, and a connection that is always closed. */
import { connect, type Connection } from "../../aws/client.js";
import { errorMessage } from "../../aws/errors.js";
import type { Plan } from "../../core/plan-types.js";
import { hasErrors } from "../../core/errors.js";
import type { ManifestDoc } from "../../kinds/contract.js";
import { loadManifest, type LoadedManifest } from "../../manifest/index.js";
import { valueAt } from "../../manifest/pointer.js";
import type { CommandEnv } from "../io.js";
import { renderDiagnosticsText } from "../render/diagnostics.js";

export type Loaded = LoadedManifest & { manifest: ManifestDoc };

/** Loads the manifest; on any error prints the diagnostics and returns undefined (nothing is sent to AWS). */
export async function loadOrReport({ io, globals }: CommandEnv): Promise<Loaded | undefined> {
  const loaded = await loadManifest(io, globals.file);
  if (loaded.diagnostics.length) io.stderr.write(renderDiagnosticsText(loaded.diagnostics, loaded.displayText));
  if (hasErrors(loaded.diagnostics)) return undefined;
  return loaded as Loaded;
}

/** The secret values of the manifest, so that renderers can refuse to print them anywhere. */
export function secretValues(loaded: LoadedManifest): string[] {
  return [...loaded.sensitive].map((p) => valueAt(loaded.manifest, p)).filter((v): v is string => typeof v === "string" && v !== "");
}

/** Connects (AWS, an endpoint, or the embedded emulator) and always closes, flushing local state. */
export async function withConnection<T>(env: CommandEnv, loaded: Loaded, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const region = loaded.manifest.metadata.region;
  const conn = await connect(env.io, { globals: env.globals, ...(region ? { manifestRegion: region } : {}) });
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

/**
 * Starts reading the account the credentials belong to, for the plan's target; settles to undefined (with
 * a warning) when STS does not answer, so an endpoint that serves only AppStream can still be planned.
 * Asked after the plan's reads succeeded, so an AppStream failure is the one reported and no call is
 * left in flight when a command fails.
 */
export function accountOf(env: CommandEnv, conn: Connection, warn = (line: string) => env.io.stderr.write(`${line}\n`)): Promise<string | undefined> {
  return conn.account().catch((err: unknown) => {
    warn(`Warning: could not read the account (STS GetCallerIdentity): ${errorMessage(err) || String(err)}`);
    return undefined;
  });
}

/**
 * The plan with what its target really is (in the documented key order): the account, and where the
 * region, the endpoint and the profile came from, so that `Target:` shows what was used and why.
 */
export function withAccount(plan: Plan, account: string | undefined, conn?: Pick<Connection, "regionSource" | "endpointSource" | "profile">): Plan {
  const t = plan.target;
  return {
    ...plan,
    target: {
      ...(account === undefined ? {} : { account }),
      region: t.region,
      ...(conn ? { regionSource: conn.regionSource } : t.regionSource === undefined ? {} : { regionSource: t.regionSource }),
      ...(t.endpoint === undefined ? {} : { endpoint: t.endpoint }),
      ...(conn?.endpointSource ? { endpointSource: conn.endpointSource } : t.endpointSource === undefined ? {} : { endpointSource: t.endpointSource }),
      ...(conn?.profile ? { profile: conn.profile } : t.profile === undefined ? {} : { profile: t.profile }),
    },
  };
}
