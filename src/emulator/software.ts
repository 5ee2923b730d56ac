/**
 * License-included software on image builders: Associate/DisassociateSoftware…, DescribeSoftwareAssociations
 * and StartSoftwareDeploymentToImageBuilder. Associating stages an install, disassociating an installed
 * application stages an uninstall; a deployment moves what is staged through PENDING_* to INSTALLED (or
 * gone), time-scaled by `softwareDeploy`, or to FAILED_TO_* when the `softwareFail` outcome fault fired for
 * the Start call (faults.ts). Stored in `softwareAssociations` under the builder name; a record of an older
 * builder of the same name is ignored. Rules SOFT-xx in SPEC.md; the state rules are guesses (listed there).
 */
import type {
  AssociateSoftwareToImageBuilderRequest,
  DescribeAppLicenseUsageRequest,
  DescribeSoftwareAssociationsRequest,
  DisassociateSoftwareFromImageBuilderRequest,
  StartSoftwareDeploymentToImageBuilderRequest,
} from "@aws-sdk/client-appstream";
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError, badCombination, notFound, notPermitted } from "./errors.js";
import { requireBuilder, type ImageBuilderRecord } from "./image-builder-record.js";
import { GONE, stateOf } from "./images.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { dict, parseArn } from "./store.js";
import { begin, rest, type Lifecycle } from "./transitions.js";

/** The license-included applications the model lists (AssociateSoftwareToImageBuilder SoftwareNames). */
export const LICENSED_SOFTWARE: ReadonlySet<string> = new Set(
  ["Office_2021_LTSC_Professional_Plus", "Office_2024_LTSC_Professional_Plus", "Visio_2021_LTSC_Professional", "Visio_2024_LTSC_Professional",
    "Project_2021_Professional", "Project_2024_Professional", "Office_2021_LTSC_Standard", "Office_2024_LTSC_Standard",
    "Visio_2021_LTSC_Standard", "Visio_2024_LTSC_Standard", "Project_2021_Standard", "Project_2024_Standard"]
    .flatMap((p) => [`Microsoft_${p}_32Bit`, `Microsoft_${p}_64Bit`]),
);

/** Microsoft Office, Visio and Project run on Windows builders only. */
const WINDOWS = /^WINDOWS/;

interface BuilderSoftware {
  builderCreatedAt: number;
  /** Software name → its status as a lifecycle (an uninstalled application reaches GONE). */
  software: Record<string, { lifecycle: Lifecycle }>;
}

/** The builder's associations (created empty), with finished uninstalls purged. */
function softwareOf(ctx: OpContext, builder: ImageBuilderRecord): Record<string, { lifecycle: Lifecycle }> {
  const table = ctx.store.table<BuilderSoftware>(ctx.region, "softwareAssociations");
  let rec = table[builder.attrs.Name];
  if (!rec || rec.builderCreatedAt !== builder.createdAt) {
    rec = { builderCreatedAt: builder.createdAt, software: dict() };
    table[builder.attrs.Name] = rec;
  }
  for (const [name, a] of Object.entries(rec.software)) if (stateOf(ctx, a.lifecycle) === GONE) delete rec.software[name];
  return rec.software;
}

const PENDING = new Set(["PENDING_INSTALLATION", "PENDING_UNINSTALLATION"]);

/** A builder whose software may be changed now: RUNNING or STOPPED and no deployment under way (SOFT-05). */
function changeableBuilder(ctx: OpContext, name: unknown): { builder: ImageBuilderRecord; software: Record<string, { lifecycle: Lifecycle }> } {
  const builder = requireBuilder(ctx, name);
  const state = stateOf(ctx, builder.lifecycle);
  if (state !== "RUNNING" && state !== "STOPPED") {
    throw notPermitted(`The image builder ${builder.attrs.Name} is ${state}; its software can be changed only when it is RUNNING or STOPPED.`);
  }
  const software = softwareOf(ctx, builder);
  if (Object.values(software).some((a) => PENDING.has(stateOf(ctx, a.lifecycle)))) {
    throw new ApiError("ConcurrentModificationException", `A software deployment to the image builder ${builder.attrs.Name} is in progress.`);
  }
  return { builder, software };
}

function checkNames(names: readonly string[]): void {
  const unknown = names.filter((n) => !LICENSED_SOFTWARE.has(n));
  if (unknown.length > 0) throw badCombination(`Unknown license-included application(s): ${unknown.join(", ")}.`);
}

/**
 * CreateImageBuilder `SoftwaresToInstall` (SOFT-08): the applications are installed while the builder
 * starts, PENDING_INSTALLATION until it is RUNNING, then INSTALLED. Checked like Associate (SOFT-02) before
 * anything is stored; called by image-builders.ts before it stores the builder.
 */
export function installAtCreate(ctx: OpContext, builder: ImageBuilderRecord, names: readonly string[] | undefined, startMs: number): void {
  if (!names || names.length === 0) return;
  checkNames(names);
  if (!WINDOWS.test(builder.attrs.Platform ?? "WINDOWS")) {
    throw new ApiError("IncompatibleImageException", `License-included applications need a Windows image; ${builder.attrs.ImageArn} is ${builder.attrs.Platform}.`);
  }
  const software = softwareOf(ctx, builder);
  for (const n of names) software[n] = { lifecycle: begin(ctx.now, "PENDING_INSTALLATION", [{ state: "INSTALLED", durationMs: startMs }], ctx.config.timeScale) };
}

const associate = op<AssociateSoftwareToImageBuilderRequest>((ctx, input) => {
  const names = input.SoftwareNames ?? [];
  const { builder, software } = changeableBuilder(ctx, input.ImageBuilderName);
  checkNames(names);
  if (!WINDOWS.test(builder.attrs.Platform ?? "WINDOWS")) {
    throw new ApiError("IncompatibleImageException", `License-included applications need a Windows image builder; ${builder.attrs.Name} is ${builder.attrs.Platform}.`);
  }
  for (const n of names) {
    const current = software[n] ? stateOf(ctx, software[n].lifecycle) : undefined;
    // Re-associating cancels a staged uninstall; anything else already associated stays as it is.
    if (current === undefined) software[n] = { lifecycle: rest(ctx.now, "STAGED_FOR_INSTALLATION") };
    else if (current === "STAGED_FOR_UNINSTALLATION") software[n] = { lifecycle: rest(ctx.now, "INSTALLED") };
  }
  return {};
});

const disassociate = op<DisassociateSoftwareFromImageBuilderRequest>((ctx, input) => {
  const names = input.SoftwareNames ?? [];
  const { builder, software } = changeableBuilder(ctx, input.ImageBuilderName);
  checkNames(names);
  const missing = names.filter((n) => !software[n]);
  if (missing.length > 0) throw badCombination(`Not associated with the image builder ${builder.attrs.Name}: ${missing.join(", ")}.`);
  for (const n of names) {
    const current = stateOf(ctx, software[n]!.lifecycle);
    // Never installed: nothing to remove from the instance, the association just goes.
    if (current === "STAGED_FOR_INSTALLATION" || current === "FAILED_TO_INSTALL") delete software[n];
    else if (current === "INSTALLED" || current === "FAILED_TO_UNINSTALL") software[n] = { lifecycle: rest(ctx.now, "STAGED_FOR_UNINSTALLATION") };
  }
  return {};
});

const startDeployment = op<StartSoftwareDeploymentToImageBuilderRequest>((ctx, input) => {
  const builder = requireBuilder(ctx, input.ImageBuilderName);
  const state = stateOf(ctx, builder.lifecycle);
  if (state !== "RUNNING") throw notPermitted(`The image builder ${builder.attrs.Name} is ${state}; software is deployed only to a RUNNING image builder.`);
  const { software } = changeableBuilder(ctx, input.ImageBuilderName);
  const fail = ctx.outcomeFaults?.includes("softwareFail") === true;
  const retry = input.RetryFailedDeployments === true;
  const durationMs = ctx.config.durations.softwareDeploy;
  for (const a of Object.values(software)) {
    const current = stateOf(ctx, a.lifecycle);
    if (current === "STAGED_FOR_INSTALLATION" || (retry && current === "FAILED_TO_INSTALL")) {
      a.lifecycle = begin(ctx.now, "PENDING_INSTALLATION", [{ state: fail ? "FAILED_TO_INSTALL" : "INSTALLED", durationMs }], ctx.config.timeScale);
    } else if (current === "STAGED_FOR_UNINSTALLATION" || (retry && current === "FAILED_TO_UNINSTALL")) {
      a.lifecycle = begin(ctx.now, "PENDING_UNINSTALLATION", [{ state: fail ? "FAILED_TO_UNINSTALL" : GONE, durationMs }], ctx.config.timeScale);
    }
  }
  return {};
});

const describe = op<DescribeSoftwareAssociationsRequest>((ctx, input) => {
  const arn = String(input.AssociatedResource);
  const parsed = parseArn(arn);
  const rec = parsed && (parsed.type === "image-builder" || parsed.type === "image") ? ctx.store.findByArn(ctx.region, arn) : undefined;
  if (!parsed || !rec) throw notFound(`The resource ${arn} does not exist.`);
  // Guess (SOFT-04): an image lists nothing (what an image was built with is not tracked).
  const list =
    parsed.type === "image-builder"
      ? Object.entries(softwareOf(ctx, rec as ImageBuilderRecord))
          .map(([name, a]) => ({ name, status: stateOf(ctx, a.lifecycle) }))
          .sort((a, b) => a.name.localeCompare(b.name))
      : [];
  const page = paginate(list, `DescribeSoftwareAssociations|${arn}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return {
    AssociatedResource: arn,
    SoftwareAssociations: page.items.map(({ name, status }) => ({
      SoftwareName: name,
      Status: status,
      DeploymentError: status.startsWith("FAILED_")
        ? [{ ErrorCode: status, ErrorMessage: `The deployment of ${name} to the image builder ${parsed.name} failed.` }]
        : undefined,
    })),
    NextToken: page.nextToken,
  };
});

/** The model: "Specify the value in yyyy-mm format." */
const BILLING_PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const describeAppLicenseUsage = op<DescribeAppLicenseUsageRequest>((ctx, input) => {
  const period = String(input.BillingPeriod);
  // A prose format the model cannot check, so the emulator does (as for the prose limits, VAL-07).
  if (!BILLING_PERIOD.test(period)) throw new ApiError("ValidationException", `BillingPeriod ${period} is not in yyyy-mm format.`);
  // Guess (LICUSE-01): the emulator records no streaming by users, hence no license usage: every period is empty.
  const page = paginate([], `DescribeAppLicenseUsage|${period}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { AppLicenseUsages: page.items, NextToken: page.nextToken };
});

/** Licensed-software operations for the registry in ops.ts. */
export const softwareOps: Record<string, OpHandler> = {
  AssociateSoftwareToImageBuilder: associate,
  DisassociateSoftwareFromImageBuilder: disassociate,
  DescribeSoftwareAssociations: describe,
  StartSoftwareDeploymentToImageBuilder: startDeployment,
  DescribeAppLicenseUsage: describeAppLicenseUsage,
};
