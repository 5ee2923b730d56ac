import {
  CreateExportImageTaskCommand,
  CreateImageBuilderCommand,
  DescribeSoftwareAssociationsCommand,
  GetExportImageTaskCommand,
  StartSoftwareDeploymentToImageBuilderCommand,
  StartImageBuilderCommand,
  ListExportImageTasksCommand,
  type ExportImageTask,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { calls, control, errorOf, useEmulator, type TestEmulator } from "./helpers.js";

const PUBLIC = "AppStream-WinServer2022-11-12-2025";
const ROLE = "arn:aws:iam::123456789012:role/AppStreamExport";

/** A private AVAILABLE image `name` made by the Image Assistant control hook (clock advanced past every transition). */
async function makeImage(t: TestEmulator, name: string): Promise<string> {
  await t.client.send(new CreateImageBuilderCommand({ Name: `b-${name}`, InstanceType: "stream.standard.small", ImageName: PUBLIC }));
  await control(t.emu.url, "POST", "clock", { advanceSeconds: 60 });
  const res = await control(t.emu.url, "POST", "images", { builderName: `b-${name}`, imageName: name });
  expect(res.status).toBe(200);
  await control(t.emu.url, "POST", "clock", { advanceSeconds: 60 });
  return res.body.image.Arn as string;
}

const exportInput = (extra: Record<string, unknown> = {}) => ({ ImageName: "img", AmiName: "img-ami", IamRoleArn: ROLE, ...extra });

describe("export image tasks, time-scaled", () => {
  const emu = useEmulator({ timeScale: 1 }, { setUp: async (t) => void (await makeImage(t, "img")) });

  test("EXPORT-01 a task is EXPORTING, then COMPLETED with an AmiId; GetExportImageTask (EXPORT-04) follows it", async () => {
    const t = emu();
    const before = Date.now();
    const { ExportImageTask: task } = await t.client.send(
      new CreateExportImageTaskCommand(exportInput({ AmiDescription: "nightly", TagSpecifications: { team: "euc" } })),
    );
    expect(task).toMatchObject({
      ImageArn: "arn:aws:appstream:us-east-1:123456789012:image/img",
      AmiName: "img-ami",
      AmiDescription: "nightly",
      TagSpecifications: { team: "euc" },
      State: "EXPORTING",
    });
    expect(task!.TaskId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(task!.CreatedDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(task!.AmiId).toBeUndefined();
    const during = (await t.client.send(new GetExportImageTaskCommand({ TaskId: task!.TaskId }))).ExportImageTask!;
    expect(during.State).toBe("EXPORTING");
    expect(during.AmiId).toBeUndefined();
    await control(t.emu.url, "POST", "clock", { advanceSeconds: 10 });
    const done = (await t.client.send(new GetExportImageTaskCommand({ TaskId: task!.TaskId }))).ExportImageTask!;
    expect(done).toMatchObject({ TaskId: task!.TaskId, State: "COMPLETED", AmiName: "img-ami" });
    expect(done.AmiId).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(done.ErrorDetails).toBeUndefined();
  });

  test("EXPORT-02 an EXPORTING image cannot be exported again (ConcurrentModificationException)", async () => {
    const t = emu();
    await t.client.send(new CreateExportImageTaskCommand(exportInput()));
    const err = await errorOf(() => t.client.send(new CreateExportImageTaskCommand(exportInput({ AmiName: "img-ami-2" }))));
    expect(err.name).toBe("ConcurrentModificationException");
  });

  test("EXPORT-03 FAULT-12 with exportFail the task ends FAILED with ErrorDetails and no AmiId; the call itself succeeds", async () => {
    const t = emu();
    expect((await control(t.emu.url, "POST", "faults", { spec: "CreateExportImageTask:exportFail=every2" })).status).toBe(200);
    const ok = (await t.client.send(new CreateExportImageTaskCommand(exportInput()))).ExportImageTask!;
    await control(t.emu.url, "POST", "clock", { advanceSeconds: 10 });
    const bad = (await t.client.send(new CreateExportImageTaskCommand(exportInput({ AmiName: "img-ami-2" })))).ExportImageTask!;
    expect(bad.State).toBe("EXPORTING");
    await control(t.emu.url, "POST", "clock", { advanceSeconds: 10 });
    const failed = (await t.client.send(new GetExportImageTaskCommand({ TaskId: bad.TaskId }))).ExportImageTask!;
    expect(failed.State).toBe("FAILED");
    expect(failed.AmiId).toBeUndefined();
    expect(failed.ErrorDetails).toEqual([{ ErrorCode: "IMAGE_EXPORT_FAILURE", ErrorMessage: "The image img could not be exported to the AMI img-ami-2." }]);
    expect((await t.client.send(new GetExportImageTaskCommand({ TaskId: ok.TaskId }))).ExportImageTask!.State).toBe("COMPLETED");
    // A FAILED task frees its AMI name.
    const again = (await t.client.send(new CreateExportImageTaskCommand(exportInput({ AmiName: "img-ami-2" })))).ExportImageTask!;
    expect(again.State).toBe("EXPORTING");
  });
});

describe("export image tasks", () => {
  const emu = useEmulator({ pageSize: 2 }, { setUp: async (t) => void (await makeImage(t, "img")) });

  test("EXPORT-02 unknown, public, shared or unavailable images, bad roles and taken AMI names are refused", async () => {
    const t = emu();
    const create = (extra: Record<string, unknown>) => errorOf(() => t.client.send(new CreateExportImageTaskCommand(exportInput(extra))));
    expect((await create({ ImageName: "ghost" })).name).toBe("ResourceNotFoundException");
    expect((await create({ ImageName: PUBLIC })).name).toBe("OperationNotPermittedException");
    await control(t.emu.url, "POST", "images", { visibility: "SHARED", imageName: "img-shared" });
    expect((await create({ ImageName: "img-shared" })).name).toBe("OperationNotPermittedException");
    expect((await create({ IamRoleArn: "arn:aws:iam::123456789012:user/alice" })).name).toBe("InvalidRoleException");
    await t.client.send(new CreateExportImageTaskCommand(exportInput()));
    expect((await create({})).name).toBe("OperationNotPermittedException");
    await t.client.send(new StartImageBuilderCommand({ Name: "b-img" }));
    const failing = await control(t.emu.url, "POST", "images", { builderName: "b-img", imageName: "img-failing", fail: true });
    expect(failing.status).toBe(200);
    expect((await create({ ImageName: "img-failing", AmiName: "other" })).name).toBe("ResourceNotAvailableException");
  });

  test("ALLOPS-02 the call log names the image, task, builder and ARN of the new operations", async () => {
    const t = emu();
    await fetch(`${t.emu.url}/_emulator/calls`, { method: "DELETE" });
    const task = (await t.client.send(new CreateExportImageTaskCommand(exportInput()))).ExportImageTask!;
    await t.client.send(new GetExportImageTaskCommand({ TaskId: task.TaskId }));
    await t.client.send(new StartSoftwareDeploymentToImageBuilderCommand({ ImageBuilderName: "b-img" })).catch(() => undefined);
    await t.client.send(new DescribeSoftwareAssociationsCommand({ AssociatedResource: "arn:aws:appstream:us-east-1:123456789012:image-builder/b-img" }));
    expect((await calls(t.emu.url)).map((c) => [c.operation, c.resource])).toEqual([
      ["CreateExportImageTask", "img"],
      ["GetExportImageTask", task.TaskId],
      ["StartSoftwareDeploymentToImageBuilder", "b-img"],
      ["DescribeSoftwareAssociations", "arn:aws:appstream:us-east-1:123456789012:image-builder/b-img"],
    ]);
  });

  test("EXPORT-04 GetExportImageTask of an unknown or absent TaskId → ResourceNotFoundException", async () => {
    const t = emu();
    const unknown = await errorOf(() => t.client.send(new GetExportImageTaskCommand({ TaskId: "00000000-0000-0000-0000-000000000000" })));
    expect(unknown.name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => t.client.send(new GetExportImageTaskCommand({})))).name).toBe("ResourceNotFoundException");
  });

  test("EXPORT-05 ListExportImageTasks filters by State/ImageName/AmiName and pages oldest first", async () => {
    const t = emu();
    await makeImage(t, "img2");
    const ids: string[] = [];
    for (const [image, ami] of [["img", "ami-1"], ["img2", "ami-2"], ["img", "ami-3"]] as const) {
      await control(t.emu.url, "POST", "clock", { advanceSeconds: 1 });
      ids.push((await t.client.send(new CreateExportImageTaskCommand(exportInput({ ImageName: image, AmiName: ami })))).ExportImageTask!.TaskId!);
    }
    const all = async (input: Record<string, unknown> = {}) => {
      const out: ExportImageTask[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await t.client.send(new ListExportImageTasksCommand({ ...input, NextToken }));
        out.push(...(page.ExportImageTasks ?? []));
        NextToken = page.NextToken;
        pages++;
      } while (NextToken);
      return { ids: out.map((x) => x.TaskId), pages, states: out.map((x) => x.State) };
    };
    expect(await all()).toEqual({ ids, pages: 2, states: ["COMPLETED", "COMPLETED", "COMPLETED"] });
    expect((await all({ MaxResults: 3 })).pages).toBe(1);
    expect((await all({ Filters: [{ Name: "ImageName", Values: ["img"] }] })).ids).toEqual([ids[0], ids[2]]);
    expect((await all({ Filters: [{ Name: "AmiName", Values: ["ami-2", "ami-3"] }, { Name: "ImageName", Values: ["img"] }] })).ids).toEqual([ids[2]]);
    expect((await all({ Filters: [{ Name: "State", Values: ["FAILED"] }] })).ids).toEqual([]);
    expect((await all({ Filters: [{ Name: "ImageArn", Values: ["arn:aws:appstream:us-east-1:123456789012:image/img2"] }] })).ids).toEqual([ids[1]]);
    const bad = await errorOf(() => t.client.send(new ListExportImageTasksCommand({ Filters: [{ Name: "Colour", Values: ["red"] }] })));
    expect(bad.name).toBe("ValidationException");
  });
});
