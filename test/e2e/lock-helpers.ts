/**
 * Helpers of the apply-lock tests: a lock table in the emulator, a lock item written as another run
 * would, manifests of one set that differ in what they want, and the CLI as a real child process (two
 * CI jobs share nothing but AWS). Child processes run from dist/: `npm run build` first.
 */
import { spawn } from "node:child_process";
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { BIN, REPO } from "../emulator/spawn.js";
import { calls, CREDENTIALS } from "../emulator/helpers.js";
import { writeManifest } from "./helpers.js";

export const TABLE = "appstreamctl-locks";

export function dynamo(url: string): DynamoDBClient {
  return new DynamoDBClient({ region: "us-east-1", endpoint: url, credentials: CREDENTIALS, maxAttempts: 1 });
}

export async function createLockTable(url: string, table = TABLE): Promise<void> {
  const db = dynamo(url);
  try {
    await db.send(new CreateTableCommand({
      TableName: table, BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
    }));
  } finally {
    db.destroy();
  }
}

/** Writes the lock item another run would hold. */
export async function holdLock(url: string, key: string, runId: string): Promise<void> {
  const db = dynamo(url);
  try {
    await db.send(new PutItemCommand({
      TableName: TABLE,
      Item: {
        LockID: { S: key }, RunId: { S: runId }, Who: { S: "ci@runner-7" }, Pid: { N: "4242" }, Created: { S: "2026-12-05T04:00:00.000Z" },
        Command: { S: "appstreamctl apply" }, Version: { S: "0.1.0" },
      },
    }));
  } finally {
    db.destroy();
  }
}

/** The lock item of `key`, or undefined. */
export async function lockItem(url: string, key: string): Promise<Record<string, unknown> | undefined> {
  const db = dynamo(url);
  try {
    return (await db.send(new GetItemCommand({ TableName: TABLE, Key: { LockID: { S: key } } }))).Item;
  } finally {
    db.destroy();
  }
}

/** A manifest of set `set` with one stopped fleet and a stack, both described by `label`. */
export function labelled(set: string, label: string, lock = true): string {
  return writeManifest(`apiVersion: appstreamctl/v1
metadata:
  name: ${set}
${lock ? `  lock: { dynamodbTable: ${TABLE} }\n` : ""}fleets:
  - name: ${set}-fleet
    instanceType: stream.standard.small
    imageName: AppStream-AmazonLinux2-11-12-2025
    computeCapacity: { desiredInstances: 1 }
    displayName: fleet ${label}
    description: written by ${label}
    state: stopped
stacks:
  - name: ${set}-stack
    description: written by ${label}
    fleet: ${set}-fleet
`);
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process against `url`. */
export function childCli(url: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, "--endpoint-url", url, "--color", "never", ...args], {
      cwd: REPO, stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "test-secret", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    proc.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Checks the call log of a lock's life: every window between a successful `dynamodb:PutItem` and the
 * following successful `dynamodb:DeleteItem` is closed before the next opens, and every mutating
 * AppStream call lies inside a window. Returns the number of windows.
 */
export async function assertSerialized(url: string): Promise<number> {
  let open = false;
  let windows = 0;
  for (const c of await calls(url)) {
    if (c.operation === "dynamodb:PutItem" && c.outcome === "ok") {
      if (open) throw new Error(`lock taken twice at call ${c.seq}`);
      open = true;
      windows++;
    } else if (c.operation === "dynamodb:DeleteItem" && c.outcome === "ok") {
      if (!open) throw new Error(`lock released while not held at call ${c.seq}`);
      open = false;
    } else if (c.mutating && !c.operation.includes(":") && !open) {
      throw new Error(`${c.operation} ${c.resource ?? ""} at call ${c.seq} ran outside the lock`);
    }
  }
  if (open) throw new Error("the lock was never released");
  return windows;
}
