/**
 * Every operation of the AppStream model has a handler: a call never answers UnknownOperationException.
 * Each is probed with an empty body, which the server routes before validating, so an operation with
 * required members answers ValidationException and one without answers its own result or error.
 */
import { expect, test } from "vitest";
import { OPERATIONS } from "../../src/emulator/model.gen.js";
import { OPS } from "../../src/emulator/ops.js";
import { rawCall, useEmulator } from "./helpers.js";

const emu = useEmulator({}, { scope: "all" });

test("ALLOPS-01 every operation of the model (89) is served: none answers UnknownOperationException", async () => {
  const names = Object.keys(OPERATIONS).sort();
  expect(names).toHaveLength(89);
  const unknown: string[] = [];
  for (const op of names) {
    const res = await rawCall(emu().emu.url, `PhotonAdminProxyService.${op}`, "{}");
    const type = res.headers.get("x-amzn-errortype") ?? "";
    if (type.startsWith("UnknownOperationException")) unknown.push(op);
    else expect(res.status, `${op}: ${res.text}`).toBeLessThan(500);
  }
  expect(unknown).toEqual([]);
  // Nothing is served that the model does not have.
  expect(Object.keys(OPS).filter((op) => !names.includes(op))).toEqual([]);
});
