import { expect, test } from "vitest";
import { FaultEngine, parseFaults } from "../../src/emulator/faults.js";

test("FAULT-12 outcome kinds parse like the error kinds and fire without failing the call", () => {
  const spec = parseFaults("CreateExportImageTask:exportFail=every2,softwareFail=1");
  expect(spec.perOp.CreateExportImageTask!.kinds).toEqual({ exportFail: { every: 2 } });
  expect(spec.global.kinds).toEqual({ softwareFail: { probability: 1 } });
  const engine = new FaultEngine(spec);
  const first = engine.decide("CreateExportImageTask");
  const second = engine.decide("CreateExportImageTask");
  expect([first.error, first.outcomes]).toEqual([undefined, ["softwareFail"]]);
  expect([second.error, second.outcomes]).toEqual([undefined, ["exportFail", "softwareFail"]]);
  expect(engine.decide("StartSoftwareDeploymentToImageBuilder").outcomes).toEqual(["softwareFail"]);
  expect(() => parseFaults("exportFail=2")).toThrow(/exportFail=2.*probability/);
});

test("FAULT-12 an outcome kind is not drawn when an error kind already failed the call", () => {
  const engine = new FaultEngine(parseFaults("StartSoftwareDeploymentToImageBuilder:cme=every1,softwareFail=every1"));
  const d = engine.decide("StartSoftwareDeploymentToImageBuilder");
  expect(d.error?.name).toBe("ConcurrentModificationException");
  expect(d.outcomes).toEqual([]);
});
