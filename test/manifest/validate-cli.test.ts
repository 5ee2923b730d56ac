/** `appstreamctl validate` through `run(argv, io)`, and the diagnostics renderers. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { applyColor, BufferOut, type Io } from "../../src/cli/io.js";
import { run } from "../../src/cli/main.js";
import { countLine, renderDiagnostic, renderDiagnosticsJson, renderDiagnosticsMarkdown } from "../../src/cli/render/diagnostics.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

function io(env: Record<string, string> = {}, cwd = ROOT): Io & { stdout: BufferOut; stderr: BufferOut } {
  return { stdout: new BufferOut(), stderr: new BufferOut(), env, cwd };
}

function scratch(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "appstreamctl-validate-"));
  writeFileSync(path.join(dir, "appstream.yaml"), text);
  return dir;
}

const BROKEN = `apiVersion: appstreamctl/v1
metadata:
  name: t
fleets:
  - name: f
    instanceTyp: stream.standard.small
    imageName: AppStream-AmazonLinux2-11-12-2025
    computeCapacity: { desiredInstances: 1 }
`;

describe("validate", () => {
  it("exits 0 on the main example with a one-line summary on stdout and nothing on stderr", async () => {
    const t = io({ APPSTREAM_AD_PASSWORD: "pw" });
    expect(await run(["validate", "-f", "examples/appstream.yaml"], t)).toBe(0);
    expect(t.stdout.text()).toBe(
      "valid: examples/appstream.yaml (1 directory config, 1 image, 1 image builder, 2 fleets, 3 stacks, 12 users)\n",
    );
    expect(t.stderr.text()).toBe("");
  });

  it("prints file:line:col, the code, the source line and a caret on stderr, and exits 1", async () => {
    const t = io({}, scratch(BROKEN));
    expect(await run(["validate", "--color", "never"], t)).toBe(1);
    expect(t.stdout.text()).toBe("");
    expect(t.stderr.text()).toBe(
      [
        "appstream.yaml:6:5: error [schema.unknown-field] unknown field `instanceTyp` in fleets[0]",
        "  6 |     instanceTyp: stream.standard.small",
        "    |     ^",
        "  hint: did you mean `instanceType`?",
        "",
        "1 error, 0 warnings",
        "",
      ].join("\n"),
    );
  });

  it("-o markdown writes the verdict and a table of problems on stdout, for a CI summary", async () => {
    const t = io({}, scratch(BROKEN));
    expect(await run(["validate", "-o", "markdown"], t)).toBe(1);
    expect(t.stderr.text()).toBe("");
    expect(t.stdout.text()).toBe(
      [
        "### appstreamctl validate",
        "",
        "> [!CAUTION]",
        "> 1 error, 0 warnings: nothing can be planned until the errors are fixed.",
        "",
        "| | where | code | problem |",
        "| --- | --- | --- | --- |",
        "| error | appstream.yaml:6:5 | `schema.unknown-field` | unknown field `instanceTyp` in fleets[0] — did you mean `instanceType`? |",
        "",
      ].join("\n"),
    );
    const ok = io({ APPSTREAM_AD_PASSWORD: "pw" });
    expect(await run(["validate", "-o", "markdown", "-f", "examples/appstream.yaml"], ok)).toBe(0);
    expect(ok.stdout.text()).toBe(
      "### appstreamctl validate\n\nvalid: examples/appstream.yaml (1 directory config, 1 image, 1 image builder, 2 fleets, 3 stacks, 12 users)\n",
    );
  });

  it("keeps a table row whole whatever a message holds", () => {
    const md = renderDiagnosticsMarkdown(
      [{ code: "ref.unknown-fleet", severity: "warning", message: "fleet `a|b` <x>\nnext", loc: { file: "m.yaml", line: 2, col: 3 } }],
      "valid: m.yaml",
    );
    expect(md).toContain("| warning | m.yaml:2:3 | `ref.unknown-fleet` | fleet `a\\|b` &lt;x&gt; next |");
    expect(md).toContain("valid: m.yaml — 0 errors, 1 warning");
  });

  it("colours errors red when colour is forced", async () => {
    const t = io({}, scratch(BROKEN));
    expect(await run(["validate", "--color", "always"], t)).toBe(1);
    expect(t.stderr.text()).toContain("\u001b[31merror\u001b[39m");
  });

  it("exits 0 with warnings only, showing them on stderr", async () => {
    const dir = scratch("apiVersion: appstreamctl/v1\nmetadata:\n  name: t\nusers:\n  - userName: a@example.com\n  - userName: A@example.com\n");
    const t = io({}, dir);
    expect(await run(["validate", "--color", "never"], t)).toBe(0);
    expect(t.stderr.text()).toContain("appstream.yaml:6:15: warning [name.case-collision]");
    expect(t.stderr.text()).toContain("0 errors, 1 warning");
    expect(t.stdout.text()).toBe("valid: appstream.yaml (2 users)\n");
  });

  it("-o json writes the diagnostics document on stdout", async () => {
    const t = io({}, scratch(BROKEN));
    expect(await run(["validate", "-o", "json"], t)).toBe(1);
    expect(t.stderr.text()).toBe("");
    expect(JSON.parse(t.stdout.text())).toEqual({
      valid: false,
      diagnostics: [
        {
          code: "schema.unknown-field",
          severity: "error",
          message: "unknown field `instanceTyp` in fleets[0]",
          file: "appstream.yaml",
          line: 6,
          col: 5,
          pointer: "/fleets/0/instanceTyp",
          hint: "did you mean `instanceType`?",
        },
      ],
    });
  });

  it("-o json on a valid manifest says valid with no diagnostics", async () => {
    const t = io({ APPSTREAM_AD_PASSWORD: "pw" });
    expect(await run(["validate", "-o", "json", "-f", "examples/minimal.yaml"], t)).toBe(0);
    expect(JSON.parse(t.stdout.text())).toEqual({ valid: true, diagnostics: [] });
  });

  it("merges several -f files and reports a missing one without a position", async () => {
    const t = io({ APPSTREAM_AD_PASSWORD: "pw" });
    expect(await run(["validate", "-o", "json", "-f", "examples/minimal.yaml", "-f", "nope.yaml"], t)).toBe(1);
    const doc = JSON.parse(t.stdout.text()) as { diagnostics: { code: string; file: string | null }[] };
    expect(doc.diagnostics.map((d) => [d.code, d.file])).toEqual([["manifest.file-not-found", null]]);
  });

  it("never prints a literal password, even in the source excerpt", async () => {
    const dir = scratch(
      "apiVersion: appstreamctl/v1\nmetadata:\n  name: t\ndirectoryConfigs:\n  - directoryName: corp.example.com\n    organizationalUnitDistinguishedNames: [OU=A]\n    serviceAccountCredentials:\n      accountName: CORP\\svc\n      accountPassword: Winter2025!\n",
    );
    const t = io({}, dir);
    expect(await run(["validate", "--color", "never"], t)).toBe(0);
    expect(t.stderr.text()).toContain("[secret.literal]");
    expect(t.stderr.text()).toContain("accountPassword: ***********");
    expect(t.stderr.text() + t.stdout.text()).not.toContain("Winter2025!");
  });
});

describe("diagnostic rendering", () => {
  // kleur has one global switch; these tests read plain text.
  beforeEach(() => applyColor(false));

  it("keeps tabs before the column so the caret lines up", () => {
    const text = renderDiagnostic(
      { code: "schema.type", severity: "error", message: "m", loc: { file: "f.yaml", line: 1, col: 4 } },
      new Map([["f.yaml", "\tab: x"]]),
    );
    expect(text.split("\n")[2]).toBe("    | \t  ^");
  });

  it("renders a diagnostic without a position as one line", () => {
    expect(renderDiagnostic({ code: "manifest.file-not-found", severity: "error", message: "no such file" })).toBe("error [manifest.file-not-found] no such file");
  });

  it("counts errors and warnings", () => {
    expect(countLine([])).toBe("0 errors, 0 warnings");
    expect(countLine([{ code: "secret.literal", severity: "warning", message: "" }, { code: "internal", severity: "error", message: "" }, { code: "internal", severity: "error", message: "" }])).toBe("2 errors, 1 warning");
  });

  it("JSON keeps a fixed shape with nulls for absent facts", () => {
    expect(JSON.parse(renderDiagnosticsJson([{ code: "secret.literal", severity: "warning", message: "w" }]))).toEqual({
      valid: true,
      diagnostics: [{ code: "secret.literal", severity: "warning", message: "w", file: null, line: null, col: null, pointer: null, hint: null }],
    });
  });
});
