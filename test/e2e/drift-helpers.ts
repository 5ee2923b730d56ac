/**
 * Drift and export tests need a live estate that matches a manifest. Until `apply` lands, this builds
 * one the way apply would: plan against the emulator, then send each step's request through the real
 * SDK (the step params are API requests already). Waits poll; with timeScale 0 they pass at once.
 */
import { createApi, type AppStreamApi, type Operation } from "../../src/aws/api.js";
import { runPlan } from "../../src/engine/plan-run.js";
import type { Step } from "../../src/core/plan-types.js";
import { loadManifest } from "../../src/manifest/index.js";
import type { ManifestDoc } from "../../src/kinds/contract.js";
import { clientOf } from "../emulator/helpers.js";
import { PASSWORD } from "./helpers.js";

const SIMPLE: Record<string, Operation> = {
  "fleet.create": "CreateFleet", "fleet.start": "StartFleet", "fleet.stop": "StopFleet", "fleet.update": "UpdateFleet",
  "fleet.delete": "DeleteFleet", "stack.create": "CreateStack", "stack.update": "UpdateStack", "stack.delete": "DeleteStack",
  "user.create": "CreateUser", "user.disable": "DisableUser", "user.enable": "EnableUser", "user.delete": "DeleteUser",
  "image.import": "CreateImportedImage", "image.create-updated": "CreateUpdatedImage", "image.delete": "DeleteImage",
  "image-permission.put": "UpdateImagePermissions", "image-permission.delete": "DeleteImagePermissions",
  "directory-config.create": "CreateDirectoryConfig", "directory-config.update": "UpdateDirectoryConfig",
  "directory-config.delete": "DeleteDirectoryConfig", "image-builder.create": "CreateImageBuilder",
  "image-builder.start": "StartImageBuilder", "image-builder.stop": "StopImageBuilder", "image-builder.delete": "DeleteImageBuilder",
};

/** Replaces `{ $secret }` placeholders with the test password. */
function withSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withSecrets);
  if (v && typeof v === "object") {
    if ("$secret" in v) return PASSWORD;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withSecrets(x)]));
  }
  return v;
}

async function waitFor(api: AppStreamApi, p: Record<string, unknown>): Promise<void> {
  const name = String(p.name);
  for (let i = 0; i < 50; i++) {
    let state: string | undefined;
    if (p.kind === "fleet") state = (await api.call("DescribeFleets", {})).Fleets?.find((f) => f.Name === name)?.State;
    else if (p.kind === "image-builder") state = (await api.call("DescribeImageBuilders", {})).ImageBuilders?.find((f) => f.Name === name)?.State;
    else state = (await api.call("DescribeImages", { Type: "PRIVATE" })).Images?.find((f) => f.Name === name)?.State;
    if ((state ?? "GONE") === p.until) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${String(p.kind)} ${name} to be ${String(p.until)}`);
}

async function execute(api: AppStreamApi, url: string, s: Step): Promise<void> {
  const p = withSecrets(s.params) as Record<string, any>;
  // The kinds' create params leave out the identity (the planner's executor adds it from the address).
  if ((s.op === "fleet.create" || s.op === "image-builder.create") && p.Name === undefined) p.Name = s.address.split("/")[1];
  const simple = SIMPLE[s.op];
  if (simple) {
    await api.call(simple, p as never);
    return;
  }
  switch (s.op) {
    case "wait": return waitFor(api, p);
    case "fleet-association.create": await api.call("AssociateFleet", p as never); return;
    case "fleet-association.delete": await api.call("DisassociateFleet", p as never); return;
    case "user-association.create": await api.call("BatchAssociateUserStack", { UserStackAssociations: [p as never] }); return;
    case "user-association.delete": await api.call("BatchDisassociateUserStack", { UserStackAssociations: [p as never] }); return;
    case "image.copy": {
      const { region, ...input } = p;
      const src = createApi(clientOf(url, region));
      await src.call("CopyImage", input as never);
      return;
    }
    case "tags.update": {
      const arn = p.ResourceArn ?? (await api.call("DescribeImages", { Names: [String(p.address).split("/")[1]!] })).Images?.[0]?.Arn;
      if (Object.keys(p.add).length) await api.call("TagResource", { ResourceArn: arn, Tags: p.add });
      if (p.remove.length) await api.call("UntagResource", { ResourceArn: arn, TagKeys: p.remove });
      return;
    }
    default: throw new Error(`drift-helpers cannot execute ${s.op}`);
  }
}

/** Converges the emulator at `url` to `manifest` (plan, then each step in order); returns the steps run. */
export async function converge(url: string, manifest: ManifestDoc, region = "us-east-1"): Promise<number> {
  const api = createApi(clientOf(url, region));
  const { plan } = await runPlan({ api, region, manifest, prune: false, concurrency: 4, now: new Date() });
  for (const s of plan.steps) await execute(api, url, s);
  return plan.steps.length;
}

/** Loads a manifest file as the CLI would (env for the directory password included). */
export async function manifestOf(file: string, env: Record<string, string> = {}): Promise<ManifestDoc> {
  const loaded = await loadManifest({ cwd: process.cwd(), env: { APPSTREAM_AD_PASSWORD: PASSWORD, ...env } }, [file]);
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => `${e.code}: ${e.message}`).join("\n"));
  return loaded.manifest as unknown as ManifestDoc;
}
