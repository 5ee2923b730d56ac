/** The image kind: immutable, produced from a source, shared through permissions; its waits and settles. */
import { describe, expect, it } from "vitest";
import { image, normalizeImage } from "../../src/kinds/image.js";
import { desired, live, modeOf, REGION, view } from "./helpers.js";

describe("image", () => {
  it("modes: the source replaces; sharing is an association", () => {
    expect(modeOf(image, "source")).toBe("replace");
    expect(image.fields.sharedWith!.role).toBe("association");
  });

  it("rules: a copy needs a displayName or description that differs, and passes when well-formed", () => {
    expect(image.rules({ name: "c", source: { copyOf: { region: "us-west-2", name: "g" } } }, view())).toEqual([]);
  });

  it("normalize: a private image with its state and ARN", () => {
    const l = normalizeImage({ Name: "g", Arn: "arn:aws:appstream:us-east-1:1:image/g", State: "PENDING", Visibility: "PRIVATE" });
    expect([l.address, l.state, l.arn]).toEqual(["Image/g", "PENDING", "arn:aws:appstream:us-east-1:1:image/g"]);
  });

  it("steps: a managed update produces it and waits for AVAILABLE; delete waits for GONE", () => {
    const steps = image.create(desired("Image", "n", { name: "n", source: { updateOf: "old" } }), REGION);
    expect(steps.map((s) => s.op)).toEqual(["image.create-updated", "wait"]);
    expect(steps[0]!.params).toMatchObject({ existingImageName: "old", newImageName: "n" });
    expect(steps[1]!.params).toEqual({ kind: "image", name: "n", until: "AVAILABLE" });
    expect(image.remove(live("Image", "n", {}), REGION).map((s) => s.op)).toEqual(["image.delete", "wait"]);
  });

  it("steps: a WorkSpaces image is imported with WorkspaceImageId, the role only when given", () => {
    const ws = (extra: Record<string, unknown> = {}) =>
      image.create(desired("Image", "ws", { name: "ws", description: "byol", source: { importFromWorkSpaces: { workspaceImageId: "wsi-0123456789", ...extra } } }), REGION);
    expect(ws().map((s) => [s.op, s.params])).toEqual([
      ["image.import", { Name: "ws", WorkspaceImageId: "wsi-0123456789", Description: "byol" }],
      ["wait", { kind: "image", name: "ws", until: "AVAILABLE" }],
    ]);
    expect(ws({ iamRoleArn: "arn:aws:iam::123456789012:role/import", agentSoftwareVersion: "ALWAYS_LATEST" })[0]!.params).toEqual({
      Name: "ws", WorkspaceImageId: "wsi-0123456789", IamRoleArn: "arn:aws:iam::123456789012:role/import", Description: "byol", AgentSoftwareVersion: "ALWAYS_LATEST",
    });
  });

  it("rules: one source form only; a WorkSpaces import has the import's text limits", () => {
    const both = image.rules({
      name: "x", source: { importFromAmi: { sourceAmiId: "ami-12345678", iamRoleArn: "arn:aws:iam::1:role/r" }, importFromWorkSpaces: { workspaceImageId: "wsi-0123456789" } },
    }, view());
    expect(both.map((v) => [v.code, v.path, v.message])).toEqual([
      ["rule.image-source-form", ["source", "importFromWorkSpaces"], "give only one of importFromAmi, importFromWorkSpaces"],
    ]);
    const text = image.rules({ name: "x", displayName: "no!", source: { importFromWorkSpaces: { workspaceImageId: "wsi-0123456789" } } }, view());
    expect(text.map((v) => [v.code, v.path])).toEqual([["rule.image-source-form", ["displayName"]]]);
  });

  it("settle: an image still being produced is waited for; a FAILED one is a warning", () => {
    expect(image.settle!(live("Image", "n", {}, "CREATING"))).toMatchObject({ steps: [{ op: "wait", params: { until: "AVAILABLE" } }] });
    expect(image.settle!({ ...live("Image", "n", {}, "FAILED"), errors: [{ code: "X", message: "y" }] })).toEqual({
      warning: "image n FAILED: X: y; nothing can use it — remove it and produce it again under a new name",
    });
  });

  it("association: shares in manifest shape, API defaults left out, by account", () => {
    const shares = [
      live("ImagePermission", "g/2", { image: "g", accountId: "2", allowFleet: true, allowImageBuilder: false }),
      live("ImagePermission", "g/1", { image: "g", accountId: "1", allowFleet: false, allowImageBuilder: true }),
    ];
    expect(image.association!.live("g", shares)).toEqual([{ accountId: "1", allowFleet: false, allowImageBuilder: true }, { accountId: "2" }]);
  });
});
