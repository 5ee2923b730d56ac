/**
 * Fixtures of the application and entitlement tests: app blocks, applications and Elastic fleets.
 * `appBlock` creates a block through CreateAppBlock (CUSTOM blocks are ACTIVE, APPSTREAM2 ones INACTIVE until
 * packaged, AppBlock.State documentation).
 */
import {
  CreateAppBlockCommand,
  CreateApplicationCommand,
  type Application,
  type CreateApplicationCommandInput,
} from "@aws-sdk/client-appstream";
import { createFleet, elasticInput, type TestEmulator } from "./helpers.js";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

export const appBlockArn = (name: string) => `arn:aws:appstream:${REGION}:${ACCOUNT}:app-block/${name}`;
export const applicationArn = (name: string) => `arn:aws:appstream:${REGION}:${ACCOUNT}:application/${name}`;

const script = { ScriptS3Location: { S3Bucket: "blocks", S3Key: "setup.ps1" }, ExecutablePath: "powershell.exe", TimeoutInSeconds: 60 };

/** An app block named `name`: ACTIVE for CUSTOM packaging, INACTIVE for APPSTREAM2. Returns its ARN. */
export async function appBlock(t: TestEmulator, name: string, packaging: "CUSTOM" | "APPSTREAM2" = "CUSTOM"): Promise<string> {
  const out = await t.client.send(
    new CreateAppBlockCommand({
      Name: name,
      SourceS3Location: { S3Bucket: "blocks", S3Key: `${name}.vhdx` },
      PackagingType: packaging,
      ...(packaging === "CUSTOM" ? { SetupScriptDetails: script } : {}),
    }),
  );
  return out.AppBlock!.Arn!;
}

/** A valid CreateApplication request on the app block `blockArn`. */
export function applicationInput(name: string, blockArn: string, extra: Partial<CreateApplicationCommandInput> = {}): CreateApplicationCommandInput {
  return {
    Name: name,
    IconS3Location: { S3Bucket: "icons", S3Key: `apps/${name}.png` },
    LaunchPath: `C:\\Apps\\${name}\\${name}.exe`,
    Platforms: ["WINDOWS_SERVER_2019"],
    InstanceFamilies: ["GENERAL_PURPOSE"],
    AppBlockArn: blockArn,
    ...extra,
  };
}

/** CreateApplication through the SDK. */
export async function createApplication(t: TestEmulator, input: CreateApplicationCommandInput): Promise<Application> {
  return (await t.client.send(new CreateApplicationCommand(input))).Application!;
}

/** An ACTIVE app block plus an application on it; returns the application. */
export async function applicationOnActiveBlock(t: TestEmulator, name: string, extra: Partial<CreateApplicationCommandInput> = {}): Promise<Application> {
  return createApplication(t, applicationInput(name, await appBlock(t, `${name}-block`), extra));
}

/** An Elastic fleet (WINDOWS_SERVER_2019 unless `extra` says otherwise). */
export async function elasticFleet(t: TestEmulator, name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await createFleet(t.client, elasticInput(name, extra));
}
