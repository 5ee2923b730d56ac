/**
 * The registry: one entry per kind, creation order from the kinds' ranks, every op a kind's steps name
 * has an executor function, and a saved plan naming an op this version does not know is refused.
 */
import type { UpdateFleetCommandInput } from "@aws-sdk/client-appstream";
import { describe, expect, expectTypeOf, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { ALL_KINDS, KIND_NAMES, LISTED_KINDS, OP_NAMES, OPS, WAITERS, type ParamsOf, type TypedStep } from "../../src/kinds/index.js";
import { parsePlanFile, renderPlanJson } from "../../src/cli/render/plan-json.js";
import { mixedPlan } from "../render/plan-fixtures.js";

describe("the kind registry", () => {
  it("creation order follows the ranks: directories, images and their shares, builders, app blocks, fleets, stacks, users", () => {
    expect(KIND_NAMES).toEqual(["DirectoryConfig", "Image", "ImageExport", "ImagePermission", "ImageBuilder", "ImageBuilderSoftware", "AppBlock", "ImageBuilderSchedule", "AppBlockBuilder", "Fleet", "Application", "FleetSchedule", "Scaling", "Stack", "Theme", "FleetAssociation", "ApplicationFleetAssociation", "Entitlement", "User", "UserAssociation", "UsageReportSubscription"]);
    expect(LISTED_KINDS.map((k) => k.key)).toEqual(["directoryConfigs", "images", "imageBuilders", "appBlocks", "appBlockBuilders", "fleets", "applications", "stacks", "users", "usageReports"]);
  });

  it("every op a kind's steps use has a function (or is batched), and waits have a waiter", () => {
    expect([...OP_NAMES].sort()).toEqual([
      "app-block.create", "app-block.delete",
      "app-block-builder.associate", "app-block-builder.create", "app-block-builder.delete", "app-block-builder.disassociate",
      "app-block-builder.start", "app-block-builder.stop", "app-block-builder.update",
      "application-fleet.create", "application-fleet.delete",
      "application.create", "application.delete", "application.update",
      "directory-config.create", "directory-config.delete", "directory-config.update",
      "entitlement.associate", "entitlement.create", "entitlement.delete", "entitlement.disassociate", "entitlement.update",
      "fleet-association.create", "fleet-association.delete",
      "fleet.create", "fleet.delete", "fleet.start", "fleet.stop", "fleet.update",
      "image-builder.create", "image-builder.delete", "image-builder.start", "image-builder.stop",
      "image-export.create", "image-permission.delete", "image-permission.put",
      "image-builder-software.associate", "image-builder-software.deploy", "image-builder-software.disassociate",
      "image.copy", "image.create-updated", "image.delete", "image.import",
      "schedule-group.ensure", "schedule.create", "schedule.delete", "schedule.update",
      "scaling.delete-action", "scaling.delete-policy", "scaling.deregister", "scaling.put-action", "scaling.put-policy", "scaling.register",
      "stack.create", "stack.delete", "stack.update",
      "tags.update",
      "theme.create", "theme.delete", "theme.update",
      "usage-reports.create", "usage-reports.delete",
      "user-association.create", "user-association.delete",
      "user.create", "user.delete", "user.disable", "user.enable",
      "wait",
    ].sort());
    for (const k of ALL_KINDS) for (const op of Object.keys(k.ops)) expect(OPS[op]).toBe(k.ops[op]);
    expect(Object.keys(WAITERS).sort()).toEqual(["app-block-builder", "fleet", "fleet-association", "image", "image-builder", "image-builder-software", "image-export", "user"]);
  });

  it("a step's params are its operation's SDK input", () => {
    expectTypeOf<ParamsOf<"fleet.update">>().toEqualTypeOf<UpdateFleetCommandInput>();
    expectTypeOf<Extract<TypedStep, { op: "fleet.update" }>["params"]>().toEqualTypeOf<UpdateFleetCommandInput>();
  });

  it("a saved plan naming an unknown op is refused with plan.unknown-op, before anything runs", () => {
    const doc = JSON.parse(renderPlanJson(mixedPlan())) as { steps: { op: string }[] };
    doc.steps[1]!.op = "fleet.explode";
    let err: unknown;
    try {
      parsePlanFile(JSON.stringify(doc));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("plan.unknown-op");
    expect((err as AppError).message).toBe(
      'steps[1].op: unknown op "fleet.explode": the plan was made by another version of appstreamctl or edited by hand; run plan again',
    );
  });
});
