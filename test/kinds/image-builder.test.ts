/** The image builder kind: immutable but for its run state and agent version. */
import { describe, expect, it } from "vitest";
import { imageBuilder, normalizeImageBuilder } from "../../src/kinds/image-builder.js";
import { change, desired, live, modeOf, REGION, view } from "./helpers.js";

const SPEC = { name: "b", instanceType: "stream.standard.medium", imageName: "Base" };

describe("image builder", () => {
  it("modes: fields replace; the agent version needs a stop", () => {
    expect(modeOf(imageBuilder, "instanceType")).toBe("replace");
    expect(modeOf(imageBuilder, "appstreamAgentVersion")).toBe("requires-stop");
  });

  it("rules: a well-formed builder passes; one without an image is refused", () => {
    expect(imageBuilder.rules(SPEC, view())).toEqual([]);
    expect(imageBuilder.rules({ name: "b", instanceType: "stream.standard.medium" }, view()).length).toBeGreaterThan(0);
  });

  it("rules: license-included applications the API does not list are warnings with the nearest listed name", () => {
    const known = { ...SPEC, softwaresToInstall: ["Microsoft_Office_2024_LTSC_Standard_64Bit"] };
    expect(imageBuilder.rules(known, view())).toEqual([]);
    const typo = imageBuilder.rules({ ...SPEC, softwaresToInstall: ["Microsoft_Office_2024_LTSC_Standard_64Bit"], softwaresToUninstall: ["Microsoft_Visio_2021_Standard_64Bit"] }, view());
    expect(typo).toEqual([expect.objectContaining({
      code: "rule.licensed-software", severity: "warning", path: ["softwaresToUninstall", 0], hint: "did you mean Microsoft_Visio_2021_LTSC_Standard_64Bit?",
    })]);
  });

  it("normalize: the builder's state and its image by ARN", () => {
    const l = normalizeImageBuilder({ Name: "b", State: "RUNNING", ImageArn: "arn:aws:appstream:us-east-1::image/Base", InstanceType: "stream.standard.medium" });
    expect([l.address, l.state, l.spec.imageArn]).toEqual(["ImageBuilder/b", "RUNNING", "arn:aws:appstream:us-east-1::image/Base"]);
  });

  it("steps: create waits for RUNNING; state: stopped stops it; an agent update restarts it", () => {
    expect(imageBuilder.create(desired("ImageBuilder", "b", SPEC), REGION).map((s) => s.op)).toEqual(["image-builder.create", "wait"]);
    const stop = imageBuilder.update(desired("ImageBuilder", "b", { ...SPEC, state: "stopped" }), live("ImageBuilder", "b", SPEC, "RUNNING"), [], REGION);
    expect(stop.steps.map((s) => s.op)).toEqual(["image-builder.stop", "wait"]);
    const agent = imageBuilder.update(
      desired("ImageBuilder", "b", { ...SPEC, appstreamAgentVersion: "1.2" }), live("ImageBuilder", "b", SPEC, "RUNNING"),
      [change(imageBuilder, "appstreamAgentVersion")], REGION,
    );
    expect(agent.steps.map((s) => s.op)).toEqual(["image-builder.stop", "wait", "image-builder.start", "wait"]);
    expect(agent.steps[2]!.params).toEqual({ Name: "b", AppstreamAgentVersion: "1.2" });
  });

  it("export: the echoed ARN becomes the image name", () => {
    expect(imageBuilder.export!.entry!({ imageArn: "arn:aws:appstream:us-east-1::image/Base" })).toEqual({ imageName: "Base" });
  });
});
