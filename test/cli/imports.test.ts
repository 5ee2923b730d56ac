/**
 * Layering and cycles of src/, read from the import lines: the CLI sits on top, nothing below it imports
 * cli/, and no module imports itself back through others (type-only and lazy imports included, since a
 * cycle of types still ties the modules together).
 */
import { expect, test } from "vitest";
import { importCycles, importGraph, importsOf, type ImportEdge } from "./import-graph.js";

/** The layers below the CLI. */
const BELOW_CLI = ["core/", "engine/", "kinds/", "manifest/", "aws/", "emulator/", "shared/"];

/** Cycles known and accepted; a cycle not listed here fails the test. (The kind contract's are gone.) */
const KNOWN_CYCLES: string[][] = [];

const show = (e: ImportEdge): string => `src/${e.from}:${e.line} imports src/${e.to}`;

test("no module below the CLI imports src/cli", () => {
  const edges = importGraph();
  expect(edges.length).toBeGreaterThan(300);
  const upward = edges.filter((e) => BELOW_CLI.some((layer) => e.from.startsWith(layer)) && e.to.startsWith("cli/")).map(show);
  expect(upward).toEqual([]);
});

test("src has no import cycles beyond the known ones", () => {
  const cycles = importCycles(importGraph());
  const unknown = cycles.filter((c) => !KNOWN_CYCLES.some((k) => k.join() === c.join()));
  expect(unknown).toEqual([]);
});

test("the import scanner reads every import form and finds cycles", () => {
  const text = [
    'import { a } from "./a.js";',
    'import type { B } from "../b.js";',
    "import {",
    "  type C,",
    "  type D,",
    '} from "./cd.js";',
    'export { e } from "./e.js";',
    'import "./side.js";',
    'import { x } from "node:fs";',
    'const m = await import("./lazy.js");',
    'type T = import("./t.js").T;',
    '// import nothing from "./comment.js" (not at the start of a line)',
  ].join("\n");
  expect(importsOf(text)).toEqual([
    { spec: "./a.js", line: 1, typeOnly: false, dynamic: false },
    { spec: "../b.js", line: 2, typeOnly: true, dynamic: false },
    { spec: "./cd.js", line: 3, typeOnly: true, dynamic: false },
    { spec: "./e.js", line: 7, typeOnly: false, dynamic: false },
    { spec: "./side.js", line: 8, typeOnly: false, dynamic: false },
    { spec: "./lazy.js", line: 10, typeOnly: false, dynamic: true },
    { spec: "./t.js", line: 11, typeOnly: true, dynamic: false },
  ]);
  const edge = (from: string, to: string): ImportEdge => ({ from, to, line: 1, typeOnly: false, dynamic: false });
  expect(importCycles([edge("a.ts", "b.ts"), edge("b.ts", "c.ts"), edge("c.ts", "a.ts"), edge("c.ts", "d.ts"), edge("e.ts", "e.ts")])).toEqual([
    ["a.ts", "b.ts", "c.ts"],
    ["e.ts"],
  ]);
});
