import {
  CreateImageBuilderCommand,
  DeleteImagePermissionsCommand,
  DescribeImagePermissionsCommand,
  UpdateImagePermissionsCommand,
  paginateDescribeImagePermissions,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { control, errorOf, rawCall, useEmulator } from "./helpers.js";

const PUBLIC = "AppStream-WinServer2022-11-12-2025";
const account = (i: number) => String(100000000000 + i);

describe("image permissions", () => {
  const emulator = useEmulator({ pageSize: 2, quotas: { imageShareAccounts: 4 } }, {
    scope: "all",
    setUp: async (t) => {
      await t.client.send(new CreateImageBuilderCommand({ Name: "pb", InstanceType: "stream.standard.small", ImageName: PUBLIC }));
      const made = await control(t.emu.url, "POST", "images", { builderName: "pb", imageName: "shared-img" });
      expect(made.status).toBe(200);
    },
  });

  test("IPERM-01 UpdateImagePermissions grants; DescribeImagePermissions lists camelCase sharedAccountId/imagePermissions; an update overwrites", async () => {
    await emulator().client.send(new UpdateImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(1), ImagePermissions: { allowFleet: true, allowImageBuilder: false } }));
    await emulator().client.send(new UpdateImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(2), ImagePermissions: { allowFleet: true } }));
    await emulator().client.send(new UpdateImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(2), ImagePermissions: { allowImageBuilder: true } }));
    const out = await emulator().client.send(new DescribeImagePermissionsCommand({ Name: "shared-img" }));
    expect(out.Name).toBe("shared-img");
    expect(out.SharedImagePermissionsList).toEqual([
      { sharedAccountId: account(1), imagePermissions: { allowFleet: true, allowImageBuilder: false } },
      { sharedAccountId: account(2), imagePermissions: { allowFleet: false, allowImageBuilder: true } },
    ]);
    // The wire format really is camelCase (reference §1), not a client-side rename.
    const raw = await rawCall(emulator().emu.url, "PhotonAdminProxyService.DescribeImagePermissions", JSON.stringify({ Name: "shared-img" }));
    expect(JSON.parse(raw.text).SharedImagePermissionsList[0]).toHaveProperty("sharedAccountId", account(1));
  });

  test("IPERM-02 only PRIVATE images this account owns: public or unknown images → ResourceNotFoundException", async () => {
    for (const cmd of [
      new DescribeImagePermissionsCommand({ Name: PUBLIC }),
      new UpdateImagePermissionsCommand({ Name: PUBLIC, SharedAccountId: account(1), ImagePermissions: { allowFleet: true } }),
      new DeleteImagePermissionsCommand({ Name: PUBLIC, SharedAccountId: account(1) }),
      new DescribeImagePermissionsCommand({ Name: "no-such-image" }),
    ]) {
      expect((await errorOf(() => emulator().client.send(cmd as never))).name).toBe("ResourceNotFoundException");
    }
  });

  test("IPERM-03 SharedAwsAccountIds filters; MaxResults pages and the SDK paginator sees every grant once", async () => {
    const one = await emulator().client.send(new DescribeImagePermissionsCommand({ Name: "shared-img", SharedAwsAccountIds: [account(2), account(9)] }));
    expect(one.SharedImagePermissionsList?.map((p) => p.sharedAccountId)).toEqual([account(2)]);
    await emulator().client.send(new UpdateImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(3), ImagePermissions: { allowFleet: true } }));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeImagePermissions({ client: emulator().client, pageSize: 1 }, { Name: "shared-img" })) {
      pages++;
      seen.push(...(page.SharedImagePermissionsList ?? []).map((p) => String(p.sharedAccountId)));
    }
    expect(seen).toEqual([account(1), account(2), account(3)]);
    expect(pages).toBe(3);
  });

  test("IPERM-04 sharing with more accounts than the quota → LimitExceededException; updating an existing grant still works", async () => {
    await emulator().client.send(new UpdateImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(4), ImagePermissions: { allowFleet: true } }));
    const err = await errorOf(() =>
      emulator().client.send(new UpdateImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(5), ImagePermissions: { allowFleet: true } })),
    );
    expect(err.name).toBe("LimitExceededException");
    await emulator().client.send(new UpdateImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(4), ImagePermissions: { allowImageBuilder: true } }));
  });

  test("IPERM-05 DeleteImagePermissions revokes; an account without a grant → ResourceNotFoundException", async () => {
    await emulator().client.send(new DeleteImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(4) }));
    const out = await emulator().client.send(new DescribeImagePermissionsCommand({ Name: "shared-img", MaxResults: 10 }));
    expect(out.SharedImagePermissionsList?.map((p) => p.sharedAccountId)).toEqual([account(1), account(2), account(3)]);
    const again = await errorOf(() => emulator().client.send(new DeleteImagePermissionsCommand({ Name: "shared-img", SharedAccountId: account(4) })));
    expect(again.name).toBe("ResourceNotFoundException");
  });

  test("IPERM-06 SharedAccountId must be digits (model pattern) → ValidationException", async () => {
    const err = await errorOf(() =>
      emulator().client.send(new UpdateImagePermissionsCommand({ Name: "shared-img", SharedAccountId: "12-34", ImagePermissions: { allowFleet: true } })),
    );
    expect(err.name).toBe("ValidationException");
    expect(err.message).toContain("at 'sharedAccountId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\d+$");
  });
});

describe("image permissions on an image being built", () => {
  const emulator = useEmulator({ timeScale: 1 }, { scope: "all" });

  test("IPERM-07 an image that is not AVAILABLE cannot be shared → ResourceNotAvailableException", async () => {
    await emulator().client.send(new CreateImageBuilderCommand({ Name: "pb", InstanceType: "stream.standard.small", ImageName: PUBLIC }));
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 6 });
    await control(emulator().emu.url, "POST", "images", { builderName: "pb", imageName: "building" });
    const err = await errorOf(() =>
      emulator().client.send(new UpdateImagePermissionsCommand({ Name: "building", SharedAccountId: account(1), ImagePermissions: { allowFleet: true } })),
    );
    expect(err.name).toBe("ResourceNotAvailableException");
  });
});
