/**
 * Contract tests of the emulator's DynamoDB slice (SPEC.md "DynamoDB") and STS (SPEC.md "STS"), through
 * the real @aws-sdk/client-dynamodb and @aws-sdk/client-sts.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConditionalCheckFailedException, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand,
  PutItemCommand, ResourceInUseException, ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, describe, expect, test } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { calls, control, CREDENTIALS, useEmulator } from "./helpers.js";

const dynamo = (url: string, region = "us-east-1") => new DynamoDBClient({ region, endpoint: url, credentials: CREDENTIALS, maxAttempts: 1 });

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("the call succeeded");
}

async function raw(url: string, target: string, body: string): Promise<{ status: number; type: string | null; body: any }> {
  const res = await fetch(url, { method: "POST", headers: { "X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0" }, body });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

const lockTable = (name: string) =>
  new CreateTableCommand({
    TableName: name, BillingMode: "PAY_PER_REQUEST",
    KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
  });

describe("DynamoDB", () => {
  let db: DynamoDBClient;
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      db = dynamo(t.emu.url);
      await db.send(lockTable("locks"));
    },
  });
  afterAll(() => {
    db.destroy();
  });

  test("DDB-01 JSON 1.0 dispatch: namespaced error types, HTTP 400, dynamodb:<Op> in the call log, unknown ops rejected", async () => {
    await control(emulator().emu.url, "DELETE", "calls");
    const missing = await raw(emulator().emu.url, "DynamoDB_20120810.DescribeTable", JSON.stringify({ TableName: "nope" }));
    expect(missing).toEqual({
      status: 400, type: "application/x-amz-json-1.0",
      body: { __type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", message: "Requested resource not found: Table: nope not found" },
    });
    const unknown = await raw(emulator().emu.url, "DynamoDB_20120810.Scan", JSON.stringify({ TableName: "locks" }));
    expect(unknown.body.__type).toBe("com.amazonaws.dynamodb.v20120810#UnknownOperationException");
    await db.send(new GetItemCommand({ TableName: "locks", Key: { LockID: { S: "k" } } }));
    const log = (await calls(emulator().emu.url)).map((c) => [c.operation, c.resource, c.outcome, c.mutating]);
    expect(log).toEqual([
      ["dynamodb:DescribeTable", "nope", "ResourceNotFoundException", false],
      ["dynamodb:Scan", undefined, "UnknownOperationException", true],
      ["dynamodb:GetItem", "locks", "ok", false],
    ]);
  });

  test("DDB-01 AppStream fault injection does not reach DynamoDB calls", async () => {
    await control(emulator().emu.url, "POST", "faults", { spec: "5xx=1" });
    try {
      const got = await db.send(new GetItemCommand({ TableName: "locks", Key: { LockID: { S: "none" } } }));
      expect(got.Item).toBeUndefined();
    } finally {
      await control(emulator().emu.url, "POST", "faults", { spec: "" });
    }
  });

  test("DDB-02 CreateTable is ACTIVE at once; a second one is ResourceInUse; key schema and billing rules; DescribeTable by name or ARN", async () => {
    const created = await db.send(lockTable("ddb02"));
    expect(created.TableDescription).toMatchObject({
      TableName: "ddb02", TableStatus: "ACTIVE", TableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/ddb02",
      KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }], BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" }, ItemCount: 0,
    });
    expect(await rejection(db.send(lockTable("ddb02")))).toBeInstanceOf(ResourceInUseException);
    const noThroughput = await rejection(db.send(new CreateTableCommand({
      TableName: "ddb02b", KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
    })));
    expect([noThroughput.name, noThroughput.message]).toEqual(["ValidationException", "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"]);
    const undefinedKey = await rejection(db.send(new CreateTableCommand({
      TableName: "ddb02c", BillingMode: "PAY_PER_REQUEST", KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: "Other", AttributeType: "S" }],
    })));
    expect(undefinedKey.name).toBe("ValidationException");
    const badName = await rejection(db.send(lockTable("a b")));
    expect(badName.message).toContain("failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    const byArn = await db.send(new DescribeTableCommand({ TableName: "arn:aws:dynamodb:us-east-1:123456789012:table/ddb02" }));
    expect(byArn.Table?.TableName).toBe("ddb02");
    expect(await rejection(db.send(new DescribeTableCommand({ TableName: "absent" })))).toBeInstanceOf(ResourceNotFoundException);
  });

  test("DDB-03 PutItem stores and replaces by key; GetItem returns it or nothing; key presence, type and shape are checked", async () => {
    await db.send(new PutItemCommand({ TableName: "locks", Item: { LockID: { S: "ddb03" }, Who: { S: "a" }, Pid: { N: "1" } } }));
    await db.send(new PutItemCommand({ TableName: "locks", Item: { LockID: { S: "ddb03" }, Who: { S: "b" } } }));
    const got = await db.send(new GetItemCommand({ TableName: "locks", Key: { LockID: { S: "ddb03" } }, ConsistentRead: true }));
    expect(got.Item).toEqual({ LockID: { S: "ddb03" }, Who: { S: "b" } });
    expect((await db.send(new GetItemCommand({ TableName: "locks", Key: { LockID: { S: "other" } } }))).Item).toBeUndefined();
    const noKey = await rejection(db.send(new PutItemCommand({ TableName: "locks", Item: { Who: { S: "x" } } })));
    expect(noKey.message).toBe("One or more parameter values were invalid: Missing the key LockID in the item");
    const wrongType = await rejection(db.send(new PutItemCommand({ TableName: "locks", Item: { LockID: { N: "1" } } })));
    expect(wrongType.message).toBe("One or more parameter values were invalid: Type mismatch for key LockID expected: S actual: N");
    const extraKey = await rejection(db.send(new GetItemCommand({ TableName: "locks", Key: { LockID: { S: "x" }, Who: { S: "y" } } })));
    expect(extraKey.message).toBe("The provided key element does not match the schema");
    expect(await rejection(db.send(new PutItemCommand({ TableName: "absent", Item: { LockID: { S: "x" } } })))).toBeInstanceOf(ResourceNotFoundException);
  });

  test("DDB-04 conditions: attribute_not_exists takes once, = and <> compare, ALL_OLD returns the holder, nothing changes on failure", async () => {
    const take = (who: string) =>
      db.send(new PutItemCommand({
        TableName: "locks", Item: { LockID: { S: "ddb04" }, Who: { S: who } }, ConditionExpression: "attribute_not_exists(#id)",
        ExpressionAttributeNames: { "#id": "LockID" }, ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }));
    await take("first");
    const second = await rejection(take("second"));
    expect(second).toBeInstanceOf(ConditionalCheckFailedException);
    expect([second.message, second.Item]).toEqual(["The conditional request failed", { LockID: { S: "ddb04" }, Who: { S: "first" } }]);
    const kept = await db.send(new GetItemCommand({ TableName: "locks", Key: { LockID: { S: "ddb04" } } }));
    expect(kept.Item?.Who).toEqual({ S: "first" });
    const cond = (expr: string, values?: Record<string, { S: string }>) =>
      db.send(new PutItemCommand({ TableName: "locks", Item: { LockID: { S: "ddb04" }, Who: { S: "third" } }, ConditionExpression: expr, ...(values ? { ExpressionAttributeValues: values } : {}) }));
    expect(await rejection(cond("Who = :w", { ":w": { S: "second" } }))).toBeInstanceOf(ConditionalCheckFailedException);
    expect(await rejection(cond("attribute_not_exists(LockID) OR Who <> :w", { ":w": { S: "first" } }))).toBeInstanceOf(ConditionalCheckFailedException);
    await cond("attribute_exists(LockID) AND Who = :w", { ":w": { S: "first" } });
    const unsupported = await rejection(cond("begins_with(Who, :w)", { ":w": { S: "t" } }));
    expect([unsupported.name, unsupported.message]).toEqual([
      "ValidationException",
      'Invalid ConditionExpression: Syntax error or unsupported form near "begins_with(Who, :w)" (this emulator evaluates attribute_exists(p), attribute_not_exists(p), p = :v and p <> :v joined by AND/OR)',
    ]);
    expect((await rejection(cond("Who = :nope"))).message).toBe("Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope");
    expect((await rejection(cond("attribute_exists(Who)", { ":x": { S: "1" } }))).message).toBe("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}");
    expect((await rejection(cond("attribute_exists(#n)"))).message).toContain("attribute name: #n");
  });

  test("DDB-05 DeleteItem removes with or without an item, honours its condition, and returns the old item with ALL_OLD", async () => {
    await db.send(new PutItemCommand({ TableName: "locks", Item: { LockID: { S: "ddb05" }, RunId: { S: "r1" } } }));
    const wrongRun = await rejection(db.send(new DeleteItemCommand({
      TableName: "locks", Key: { LockID: { S: "ddb05" } }, ConditionExpression: "RunId = :r", ExpressionAttributeValues: { ":r": { S: "r2" } },
    })));
    expect(wrongRun).toBeInstanceOf(ConditionalCheckFailedException);
    const old = await db.send(new DeleteItemCommand({
      TableName: "locks", Key: { LockID: { S: "ddb05" } }, ConditionExpression: "RunId = :r", ExpressionAttributeValues: { ":r": { S: "r1" } }, ReturnValues: "ALL_OLD",
    }));
    expect(old.Attributes).toEqual({ LockID: { S: "ddb05" }, RunId: { S: "r1" } });
    expect((await db.send(new DeleteItemCommand({ TableName: "locks", Key: { LockID: { S: "ddb05" } } }))).Attributes).toBeUndefined();
    expect((await db.send(new GetItemCommand({ TableName: "locks", Key: { LockID: { S: "ddb05" } } }))).Item).toBeUndefined();
  });

  test("DDB-06 requests are validated: required members, JSON types, one datatype per attribute value", async () => {
    const noItem = await raw(emulator().emu.url, "DynamoDB_20120810.PutItem", JSON.stringify({ TableName: "locks" }));
    expect(noItem.body).toEqual({
      __type: "com.amazonaws.dynamodb.v20120810#ValidationException",
      message: "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null",
    });
    const wrongType = await raw(emulator().emu.url, "DynamoDB_20120810.GetItem", JSON.stringify({ TableName: "locks", Key: [] }));
    expect(wrongType.body.__type).toBe("com.amazonaws.dynamodb.v20120810#SerializationException");
    const two = await raw(emulator().emu.url, "DynamoDB_20120810.PutItem", JSON.stringify({ TableName: "locks", Item: { LockID: { S: "a", N: "1" } } }));
    expect(two.body.message).toBe("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    const none = await raw(emulator().emu.url, "DynamoDB_20120810.PutItem", JSON.stringify({ TableName: "locks", Item: { LockID: {} } }));
    expect(none.body.message).toBe("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  });

  test("DDB-07 tables are per region, any name is an ordinary string, and items survive a restart through the state file", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "asctl-ddb-")), "state.json");
    const first = await startEmulator({ timeScale: 0, stateFile: file });
    const c1 = dynamo(first.url, "eu-west-1");
    await c1.send(lockTable("__proto__"));
    await c1.send(new PutItemCommand({ TableName: "__proto__", Item: { LockID: { S: "constructor" }, Who: { S: "me" } } }));
    expect(await rejection(dynamo(first.url, "us-east-1").send(new DescribeTableCommand({ TableName: "__proto__" })))).toBeInstanceOf(ResourceNotFoundException);
    c1.destroy();
    await first.close();
    const second = await startEmulator({ timeScale: 0, stateFile: file });
    const c2 = dynamo(second.url, "eu-west-1");
    const got = await c2.send(new GetItemCommand({ TableName: "__proto__", Key: { LockID: { S: "constructor" } } }));
    expect(got.Item).toEqual({ LockID: { S: "constructor" }, Who: { S: "me" } });
    c2.destroy();
    await second.close();
  });
});

describe("STS", () => {
  const emulator = useEmulator({ account: "210987654321" }, { scope: "all" });

  test("STS-01 GetCallerIdentity (Query protocol) answers the emulator's account, an ARN of the access key, and is logged as a read", async () => {
    await control(emulator().emu.url, "DELETE", "calls");
    const sts = new STSClient({ region: "us-east-1", endpoint: emulator().emu.url, credentials: CREDENTIALS, maxAttempts: 1 });
    const who = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect([who.Account, who.Arn, who.UserId]).toEqual(["210987654321", "arn:aws:iam::210987654321:user/AKIDTEST", "AIDAEMULATORAKIDTEST"]);
    expect((await calls(emulator().emu.url)).map((c) => [c.operation, c.outcome, c.mutating])).toEqual([["sts:GetCallerIdentity", "ok", false]]);
  });

  test("STS-02 another Action or Version is an InvalidAction XML error", async () => {
    const res = await fetch(emulator().emu.url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "Action=AssumeRole&Version=2011-06-15" });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain("<Code>InvalidAction</Code>");
    expect(text).toContain("<Message>Could not find operation AssumeRole for version 2011-06-15</Message>");
    const noVersion = await fetch(emulator().emu.url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity" });
    expect(await noVersion.text()).toContain("<Code>InvalidAction</Code>");
  });
});
