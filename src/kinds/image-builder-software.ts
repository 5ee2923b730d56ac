/**
 * ImageBuilderSoftware (model AssociateSoftwareToImageBuilder…): a Windows image builder's `softwares`,
 * the license-included applications (Microsoft Office, Visio, Project) it has, one resource per builder
 * keyed `ImageBuilderSoftware/BUILDER`. A change associates and disassociates the difference, which only
 * stages it; StartSoftwareDeploymentToImageBuilder then installs and uninstalls what is staged, and only a
 * RUNNING builder takes it: on a builder declared `state: stopped` the change stays staged, and is deployed
 * by the apply that runs the builder again (its `deployment` is compared only on a builder declared running).
 * The deployment is waited on until nothing is pending; a failed one fails the apply, and the next plan
 * deploys it again with RetryFailedDeployments.
 *
 * Left out of a builder, `softwares` is not managed (what was installed by hand, or by the create-only
 * `softwaresToInstall`, stays), and its associations are not even read: a plan reads them only for the
 * builders that declare the field (one DescribeSoftwareAssociations each). Drift and export read them for
 * every Windows builder. A builder's associations end with the builder, so removing this resource with its
 * builder sends nothing.
 */
import type {
  AssociateSoftwareToImageBuilderCommandInput, DisassociateSoftwareFromImageBuilderCommandInput, SoftwareAssociations,
  StartSoftwareDeploymentToImageBuilderCommandInput,
} from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { kindOf } from "../aws/errors.js";
import { collect } from "../aws/paginate.js";
import type { DesiredResource, LiveResource, ReadContext, RuleViolation, StepDraft } from "./contract.js";
import { defineDerivedKind, type AssociationFacts, type OpFn } from "./kind.js";
import { licensedSoftwareRules } from "./licensed-software.js";
import { list, str, type JsonSchema } from "./schema-dsl.js";
import { chain, waitStep } from "./steps.js";

export const softwareAddress = (builder: string): string => `ImageBuilderSoftware/${builder}`;

/** The schema of a builder's `softwares` field. */
export const softwaresSchema: JsonSchema = list(str({ min: 1 }), {
  unique: true,
  description:
    "License-included applications the builder has (Windows builders only), e.g. Microsoft_Office_2021_LTSC_Professional_Plus_64Bit: " +
    "associated and deployed to a running builder; left out, the builder's software is not managed (address ImageBuilderSoftware/BUILDER)",
});

/** Statuses of an application that is (or is becoming, or failed to stop being) associated. */
const ASSOCIATED = new Set(["STAGED_FOR_INSTALLATION", "PENDING_INSTALLATION", "INSTALLED", "FAILED_TO_INSTALL"]);

/** The deployment state of a builder's software, from its applications' statuses. */
export const DEPLOYED = "DEPLOYED";
function deploymentState(statuses: readonly string[]): string {
  if (statuses.some((s) => s.startsWith("PENDING_"))) return "PENDING";
  if (statuses.some((s) => s.startsWith("FAILED_"))) return "FAILED";
  if (statuses.some((s) => s.startsWith("STAGED_"))) return "STAGED";
  return DEPLOYED;
}

interface Deployment {
  name: string;
  state: string;
  softwares: string[];
  errors: { code: string; message: string }[];
}

/** Every page of DescribeSoftwareAssociations of one builder; undefined when the builder is gone. */
async function deploymentOf(api: AppStreamApi, builder: string, arn: string): Promise<Deployment | undefined> {
  let all: SoftwareAssociations[];
  try {
    all = await collect(async (token) => {
      const out = await api.call("DescribeSoftwareAssociations", { AssociatedResource: arn, ...(token ? { NextToken: token } : {}) });
      return { items: out.SoftwareAssociations ?? [], next: out.NextToken };
    }, { label: "DescribeSoftwareAssociations" });
  } catch (err) {
    if (kindOf(err) === "not-found") return undefined;
    throw err;
  }
  return {
    name: builder,
    state: deploymentState(all.map((a) => a.Status ?? "")),
    softwares: all.filter((a) => ASSOCIATED.has(a.Status ?? "")).map((a) => a.SoftwareName ?? "").sort(),
    errors: all.flatMap((a) =>
      (a.DeploymentError ?? []).map((e) => ({ code: e.ErrorCode ?? a.Status ?? "UNKNOWN", message: `${a.SoftwareName}: ${e.ErrorMessage ?? ""}` })),
    ),
  };
}

function live(d: Deployment): LiveResource {
  return {
    kind: "ImageBuilderSoftware", name: d.name, address: softwareAddress(d.name),
    spec: { imageBuilder: d.name, softwares: d.softwares, deployment: d.state }, state: d.state,
    ...(d.errors.length ? { errors: d.errors } : {}),
  };
}

/** Whether a live builder may have license-included applications (Windows; unknown platforms are read). */
const maybeWindows = (b: LiveResource): boolean => {
  const platform = b.facts?.platform;
  return typeof platform !== "string" || platform.startsWith("WINDOWS");
};

async function readBuilder(ctx: ReadContext, name: string): Promise<LiveResource | undefined> {
  const b = (await ctx.api.call("DescribeImageBuilders", { Names: [name] })).ImageBuilders?.[0];
  if (!b?.Arn) return undefined;
  const d = await deploymentOf(ctx.api, name, b.Arn);
  return d && live(d);
}

/** A builder's rules for its `softwares`: known names (a warning), and a builder that is plainly not Windows. */
export function softwaresRules(s: { softwares?: string[]; imageName?: string; imageArn?: string }): RuleViolation[] {
  const out = licensedSoftwareRules(s.softwares, "softwares");
  const image = s.imageName ?? s.imageArn ?? "";
  if (s.softwares?.length && /linux|rhel|rocky|ubuntu/i.test(image)) {
    out.push({
      code: "rule.software-platform", path: ["softwares"],
      message: `license-included applications run on Windows image builders only, and ${image} is a Linux image`,
    });
  }
  return out;
}

/** A builder's `softwares` in drift and export; left out of an entry, it is not compared. */
export const softwaresAssociation: AssociationFacts = {
  field: "softwares",
  live: (name, all) => all.find((l) => l.kind === "ImageBuilderSoftware" && l.name === name)?.spec.softwares ?? [],
  declared: (spec) => (Array.isArray(spec.softwares) ? [...(spec.softwares as string[])].sort() : undefined),
};

/** Deploys what is staged and waits until nothing is pending; `retry` deploys failed ones again. */
function deploySteps(builder: string, retry: boolean): StepDraft[] {
  return [
    { id: retry ? "redeploy" : "deploy", op: "image-builder-software.deploy", params: { ImageBuilderName: builder, ...(retry ? { RetryFailedDeployments: true } : {}) } },
    waitStep(retry ? "redeployed" : "deployed", "image-builder-software", builder, DEPLOYED, []),
  ];
}

/**
 * Associations for `add`, disassociations for `remove`, then (on a builder that will be running) one
 * deployment of everything staged: the change, and what an earlier change left staged (`staged`) or failed
 * to deploy (`retry`).
 */
function changeSteps(builder: string, add: readonly string[], remove: readonly string[], o: { running: boolean; staged?: boolean; retry?: boolean }): StepDraft[] {
  const steps: StepDraft[] = [];
  if (remove.length) steps.push({ id: "disassociate", op: "image-builder-software.disassociate", params: { ImageBuilderName: builder, SoftwareNames: [...remove] } });
  if (add.length) steps.push({ id: "associate", op: "image-builder-software.associate", params: { ImageBuilderName: builder, SoftwareNames: [...add] } });
  if ((steps.length || o.staged || o.retry) && o.running) steps.push(...deploySteps(builder, o.retry === true));
  return chain(steps);
}

const wanted = (spec: Record<string, unknown>): string[] => ((spec.softwares as string[] | undefined) ?? []);

export const imageBuilderSoftware = defineDerivedKind({
  kind: "ImageBuilderSoftware",
  rank: 32,
  noun: "image builder's software",
  fields: {
    softwares: { role: "api", mode: "live", schema: softwaresSchema },
    // What is associated is also deployed: DEPLOYED, or STAGED / FAILED until a running builder takes it.
    deployment: { role: "state", mode: "live", schema: { type: "string", description: "DEPLOYED once everything associated is installed" } },
  },
  taggable: false,
  ownership: "owner",
  parents: (l) => [`ImageBuilder/${String(l.spec.imageBuilder)}`],
  readPer: "ImageBuilder",
  ownerKind: "ImageBuilder",
  declaredBy: "softwares",
  // What the builder was created with (`softwaresToInstall`) is the builder's own, not unmanaged software.
  accountedFor: (l, owner) => ((l.spec.softwares ?? []) as string[]).every((n) => ((owner.softwaresToInstall ?? []) as string[]).includes(n)),
  waiter: {
    kind: "image-builder-software",
    // Installing Office on a builder takes minutes; an hour is the builder's own waiter's bound.
    timeoutMs: 60 * 60_000,
    async read(api, names) {
      const out: Deployment[] = [];
      for (const name of names ?? []) {
        const b = (await api.call("DescribeImageBuilders", { Names: [name] }).catch((err: unknown) => {
          if (kindOf(err) === "not-found") return { ImageBuilders: [] };
          throw err;
        })).ImageBuilders?.[0];
        const d = b?.Arn ? await deploymentOf(api, name, b.Arn) : undefined;
        if (d) out.push(d);
      }
      return out;
    },
    name: (d: Deployment) => d.name,
    state: (d: Deployment) => d.state,
    problem(d: Deployment) {
      if (d.state !== "FAILED") return undefined;
      const why = d.errors.map((e) => `${e.code} ${e.message}`).join("; ");
      return { message: `software deployment to image builder ${d.name} FAILED${why ? `: ${why}` : ""} (the next apply deploys it again)`, fatal: true };
    },
  },
  ops: {
    "image-builder-software.associate": (async (ctx, s) =>
      void (await ctx.call("AssociateSoftwareToImageBuilder", s.params, { resource: s.address }))) satisfies OpFn<AssociateSoftwareToImageBuilderCommandInput>,
    "image-builder-software.disassociate": (async (ctx, s) =>
      void (await ctx.call("DisassociateSoftwareFromImageBuilder", s.params, { resource: s.address }))) satisfies OpFn<DisassociateSoftwareFromImageBuilderCommandInput>,
    "image-builder-software.deploy": (async (ctx, s) =>
      void (await ctx.call("StartSoftwareDeploymentToImageBuilder", s.params, { resource: s.address }))) satisfies OpFn<StartSoftwareDeploymentToImageBuilderCommandInput>,
  },
  async read(ctx, prior) {
    // A plan's prior holds only the builders that write `softwares` (declaredBy); drift and export read all.
    const builders = prior.of("ImageBuilder").filter((b) => b.arn && maybeWindows(b));
    const found = await ctx.map(builders, async (b) => {
      const d = await deploymentOf(ctx.api, b.name, b.arn!);
      return d && live(d);
    });
    return found.filter((r): r is LiveResource => r !== undefined);
  },
  readOne: readBuilder,
  derive(m) {
    const out: DesiredResource[] = [];
    (m.imageBuilders ?? []).forEach((b, i) => {
      if (!Array.isArray(b.softwares)) return;
      const builder = String(b.name);
      out.push({
        kind: "ImageBuilderSoftware", name: builder, address: softwareAddress(builder),
        // `running`: whether the builder runs once its own steps are done (only a running one takes a deployment).
        spec: { imageBuilder: builder, softwares: [...(b.softwares as string[])].sort(), deployment: DEPLOYED, running: b.state !== "stopped" },
        pointer: `/imageBuilders/${i}/softwares`, dependsOn: [`ImageBuilder/${builder}`],
      });
    });
    return out;
  },
  // A stopped builder cannot take a deployment: what is staged on it is not a difference until it runs.
  project(desired, live) {
    if (desired.running !== false && live.deployment !== "PENDING") return { desired, live };
    return { desired, live: { ...live, deployment: desired.deployment } };
  },
  create: (d) => changeSteps(d.name, wanted(d.spec), [], { running: d.spec.running !== false }),
  update(d, l) {
    const want = new Set(wanted(d.spec));
    const have = new Set(wanted(l.spec));
    const steps = changeSteps(d.name, [...want].filter((n) => !have.has(n)), [...have].filter((n) => !want.has(n)), {
      running: d.spec.running !== false, staged: l.spec.deployment === "STAGED", retry: l.spec.deployment === "FAILED",
    });
    return { steps, disruption: "none", reason: "" };
  },
  // The associations end with their builder (the only time this runs: undeclared ones are never read).
  remove: () => [],
  // A deployment under way (an interrupted apply) is waited for before anything else changes.
  settle(l) {
    if (l.state !== "PENDING") return undefined;
    return {
      steps: [waitStep("settled", "image-builder-software", l.name, DEPLOYED, [])],
      diff: { path: "deployment", before: l.state, after: DEPLOYED, sensitive: false, why: "state" },
    };
  },
});
