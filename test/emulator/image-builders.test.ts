import {
  CreateDirectoryConfigCommand,
  CreateImageBuilderCommand,
  CreateImageBuilderStreamingURLCommand,
  DeleteImageBuilderCommand,
  DescribeImageBuildersCommand,
  ListTagsForResourceCommand,
  StartImageBuilderCommand,
  StopImageBuilderCommand,
  type CreateImageBuilderCommandInput,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { control, errorOf, type TestEmulator, useEmulator } from "./helpers.js";
import { allPages } from "./pages.js";

const IMAGE = "AppStream-WinServer2022-11-12-2025";

function builderInput(name: string, extra: Partial<CreateImageBuilderCommandInput> = {}): CreateImageBuilderCommandInput {
  return { Name: name, InstanceType: "stream.standard.medium", ImageName: IMAGE, ...extra };
}

async function stateOf(t: TestEmulator, name: string): Promise<string | undefined> {
  const out = await t.client.send(new DescribeImageBuildersCommand({ Names: [name] }));
  return out.ImageBuilders?.[0]?.State;
}

describe("image builders, immediate transitions", () => {
  const emulator = useEmulator({ pageSize: 2 }, { scope: "all" });

  test("IB-02 Describe echoes the builder with the resolved image ARN, platform and defaults; tags only via ListTagsForResource", async () => {
    const created = await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-echo", { Description: "d", Tags: { team: "euc" } })));
    const ib = (await emulator().client.send(new DescribeImageBuildersCommand({ Names: ["ib-echo"] }))).ImageBuilders?.[0];
    expect(ib).toMatchObject({
      Name: "ib-echo",
      Arn: "arn:aws:appstream:us-east-1:123456789012:image-builder/ib-echo",
      ImageArn: `arn:aws:appstream:us-east-1::image/${IMAGE}`,
      Platform: "WINDOWS_SERVER_2022",
      InstanceType: "stream.standard.medium",
      Description: "d",
      EnableDefaultInternetAccess: false,
      State: "RUNNING",
    });
    expect(ib?.CreatedTime).toBeInstanceOf(Date);
    expect(ib?.NetworkAccessConfiguration?.EniId).toMatch(/^eni-/);
    expect(ib).not.toHaveProperty("Tags");
    expect(created.ImageBuilder?.Name).toBe("ib-echo");
    const tags = await emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: ib?.Arn }));
    expect(tags.Tags).toEqual({ team: "euc" });
  });

  test("IB-03 a taken name → ResourceAlreadyExistsException", async () => {
    await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-dup")));
    const err = await errorOf(() => emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-dup"))));
    expect(err.name).toBe("ResourceAlreadyExistsException");
  });

  test("IB-04 unknown names → ResourceNotFoundException for Describe (Names), Start, Stop, Delete and the streaming URL", async () => {
    for (const cmd of [
      new DescribeImageBuildersCommand({ Names: ["nope"] }),
      new StartImageBuilderCommand({ Name: "nope" }),
      new StopImageBuilderCommand({ Name: "nope" }),
      new DeleteImageBuilderCommand({ Name: "nope" }),
      new CreateImageBuilderStreamingURLCommand({ Name: "nope" }),
    ]) {
      const err = await errorOf(() => emulator().client.send(cmd as never));
      expect(err.name).toBe("ResourceNotFoundException");
    }
  });

  test("IB-05 the source image must exist; exactly one of ImageName and ImageArn", async () => {
    const missing = await errorOf(() => emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-x", { ImageName: "no-such-image" }))));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.message).toBe("The image no-such-image for account 123456789012 does not exist.");
    const neither = await errorOf(() => emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-x", { ImageName: undefined }))));
    expect(neither.name).toBe("InvalidParameterCombinationException");
    const both = await errorOf(() =>
      emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-x", { ImageArn: `arn:aws:appstream:us-east-1::image/${IMAGE}` }))),
    );
    expect(both.name).toBe("InvalidParameterCombinationException");
    const otherRegion = await errorOf(() =>
      emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-x", { ImageName: undefined, ImageArn: `arn:aws:appstream:eu-west-1::image/${IMAGE}` }))),
    );
    expect(otherRegion.name).toBe("ResourceNotFoundException");
    const byArn = await emulator().client.send(
      new CreateImageBuilderCommand({ Name: "ib-arn", InstanceType: "stream.standard.small", ImageArn: `arn:aws:appstream:us-east-1::image/${IMAGE}` }),
    );
    expect(byArn.ImageBuilder?.ImageArn).toBe(`arn:aws:appstream:us-east-1::image/${IMAGE}`);
  });

  test("IB-07 a VpcConfig with more than one subnet → InvalidParameterCombinationException", async () => {
    const err = await errorOf(() =>
      emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-vpc", { VpcConfig: { SubnetIds: ["subnet-a", "subnet-b"] } }))),
    );
    expect(err.name).toBe("InvalidParameterCombinationException");
    const ok = await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-vpc", { VpcConfig: { SubnetIds: ["subnet-a"], SecurityGroupIds: ["sg-1"] } })));
    expect(ok.ImageBuilder?.VpcConfig).toEqual({ SubnetIds: ["subnet-a"], SecurityGroupIds: ["sg-1"] });
  });

  test("IB-08 DomainJoinInfo must name an existing directory config", async () => {
    const join = { DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedName: "OU=a,DC=corp" };
    const err = await errorOf(() => emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-ad", { DomainJoinInfo: join }))));
    expect(err.name).toBe("ResourceNotFoundException");
    await emulator().client.send(new CreateDirectoryConfigCommand({ DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: ["OU=a,DC=corp"] }));
    const ok = await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-ad", { DomainJoinInfo: join })));
    expect(ok.ImageBuilder?.DomainJoinInfo).toEqual(join);
  });

  test("IB-09 Stop is only allowed while RUNNING; otherwise OperationNotPermittedException", async () => {
    await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-stop")));
    const stopped = await emulator().client.send(new StopImageBuilderCommand({ Name: "ib-stop" }));
    expect(stopped.ImageBuilder?.State).toBe("STOPPING");
    expect(await stateOf(emulator(), "ib-stop")).toBe("STOPPED");
    const again = await errorOf(() => emulator().client.send(new StopImageBuilderCommand({ Name: "ib-stop" })));
    expect(again.name).toBe("OperationNotPermittedException");
  });

  test("IB-10 Start is only allowed while STOPPED (PENDING → RUNNING, agent version updated); otherwise ResourceNotAvailableException", async () => {
    await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-start")));
    const running = await errorOf(() => emulator().client.send(new StartImageBuilderCommand({ Name: "ib-start" })));
    expect(running.name).toBe("ResourceNotAvailableException");
    await emulator().client.send(new StopImageBuilderCommand({ Name: "ib-start" }));
    const started = await emulator().client.send(new StartImageBuilderCommand({ Name: "ib-start", AppstreamAgentVersion: "[LATEST]" }));
    expect(started.ImageBuilder?.State).toBe("PENDING");
    const ib = (await emulator().client.send(new DescribeImageBuildersCommand({ Names: ["ib-start"] }))).ImageBuilders?.[0];
    expect(ib?.State).toBe("RUNNING");
    expect(ib?.AppstreamAgentVersion).toBe("[LATEST]");
    expect(ib?.LatestAppstreamAgentVersion).toBe("TRUE");
  });

  test("IB-11 Delete needs STOPPED: RUNNING → OperationNotPermittedException; STOPPED → DELETING → gone", async () => {
    await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-del", { Tags: { a: "b" } })));
    const running = await errorOf(() => emulator().client.send(new DeleteImageBuilderCommand({ Name: "ib-del" })));
    expect(running.name).toBe("OperationNotPermittedException");
    await emulator().client.send(new StopImageBuilderCommand({ Name: "ib-del" }));
    const deleted = await emulator().client.send(new DeleteImageBuilderCommand({ Name: "ib-del" }));
    expect(deleted.ImageBuilder?.State).toBe("DELETING");
    const gone = await errorOf(() => emulator().client.send(new DescribeImageBuildersCommand({ Names: ["ib-del"] })));
    expect(gone.name).toBe("ResourceNotFoundException");
    const tags = await errorOf(() =>
      emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: "arn:aws:appstream:us-east-1:123456789012:image-builder/ib-del" })),
    );
    expect(tags.name).toBe("ResourceNotFoundException");
    // The name is free again.
    await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-del")));
  });

  test("IB-12 CreateImageBuilderStreamingURL needs RUNNING; Expires is now + Validity (default 3600 s)", async () => {
    await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-url")));
    const before = Date.now();
    const url = await emulator().client.send(new CreateImageBuilderStreamingURLCommand({ Name: "ib-url" }));
    expect(url.StreamingURL).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/authenticate\?parameters=/);
    const expires = url.Expires?.getTime() ?? 0;
    expect(expires).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);
    const short = await emulator().client.send(new CreateImageBuilderStreamingURLCommand({ Name: "ib-url", Validity: 60 }));
    expect((short.Expires?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(61_000);
    await emulator().client.send(new StopImageBuilderCommand({ Name: "ib-url" }));
    const stopped = await errorOf(() => emulator().client.send(new CreateImageBuilderStreamingURLCommand({ Name: "ib-url" })));
    expect(stopped.name).toBe("OperationNotPermittedException");
  });

  test("IB-13 DescribeImageBuilders pages by MaxResults (else the server page size) with no token on the last page", async () => {
    const { items, pages } = await allPages(async (token) => {
      const out = await emulator().client.send(new DescribeImageBuildersCommand({ MaxResults: 3, NextToken: token }));
      expect((out.ImageBuilders ?? []).length).toBeLessThanOrEqual(3);
      return { items: out.ImageBuilders, next: out.NextToken };
    });
    const all = new Set(items.map((b) => String(b.Name)));
    expect(all.size).toBe(items.length);
    expect(all.size).toBeGreaterThanOrEqual(6);
    expect(pages).toBe(Math.ceil(all.size / 3));
    const first = await emulator().client.send(new DescribeImageBuildersCommand({}));
    expect(first.ImageBuilders).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
  });
});

describe("image builders, timed transitions and quota", () => {
  const emulator = useEmulator({ timeScale: 1, quotas: { imageBuilders: 2 } }, { scope: "all" });

  test("IB-01 a new builder is PENDING and becomes RUNNING after the (time-scaled) start duration", async () => {
    const out = await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-timed")));
    expect(out.ImageBuilder?.State).toBe("PENDING");
    expect(await stateOf(emulator(), "ib-timed")).toBe("PENDING");
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 6 });
    expect(await stateOf(emulator(), "ib-timed")).toBe("RUNNING");
    await emulator().client.send(new StopImageBuilderCommand({ Name: "ib-timed" }));
    expect(await stateOf(emulator(), "ib-timed")).toBe("STOPPING");
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 4 });
    expect(await stateOf(emulator(), "ib-timed")).toBe("STOPPED");
    await emulator().client.send(new DeleteImageBuilderCommand({ Name: "ib-timed" }));
    expect(await stateOf(emulator(), "ib-timed")).toBe("DELETING");
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 3 });
    expect((await errorOf(() => stateOf(emulator(), "ib-timed"))).name).toBe("ResourceNotFoundException");
  });

  test("IB-06 a source image that is not AVAILABLE → ResourceNotAvailableException", async () => {
    await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-src")));
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 6 });
    const made = await control(emulator().emu.url, "POST", "images", { builderName: "ib-src", imageName: "img-pending" });
    expect(made.body.image.State).toBe("PENDING");
    const err = await errorOf(() => emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-on-pending", { ImageName: "img-pending" }))));
    expect(err.name).toBe("ResourceNotAvailableException");
  });

  test("IB-03 beyond the image builder quota → LimitExceededException", async () => {
    // ib-src exists (ib-timed is gone): one more fits the quota of 2, the next does not.
    await emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-second")));
    const err = await errorOf(() => emulator().client.send(new CreateImageBuilderCommand(builderInput("ib-over"))));
    expect(err.name).toBe("LimitExceededException");
  });
});
