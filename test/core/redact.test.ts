import { describe, expect, it } from "vitest";
import { containsSecret, redact, secretForms } from "../../src/core/redact.js";

describe("redact: a secret in every encoding an echo can produce", () => {
  const secret = 'a"b\\c<d>&e\'é🔑 +';

  it("lists the raw value and each escaping once and twice, longest first", () => {
    const forms = secretForms(secret);
    expect(forms).toContain(secret);
    expect(forms).toContain('a\\"b\\\\c<d>&e\'é🔑 +');
    expect(forms).toContain('a\\\\\\"b\\\\\\\\c<d>&e\'é🔑 +');
    expect(forms).toContain('a\\"b\\\\c<d>&e\'\\u00e9\\ud83d\\udd11 +');
    expect(forms).toContain('a\\"b\\\\c\\u003Cd\\u003E\\u0026e\\u0027\\u00E9\\uD83D\\uDD11 +');
    expect(forms).toContain(encodeURIComponent(secret));
    expect(forms).toContain("a%22b%5Cc%3Cd%3E%26e%27%C3%A9%F0%9F%94%91+%2B");
    expect(forms).toContain("a&quot;b\\c&lt;d&gt;&amp;e&#39;é🔑 +");
    expect(forms).toContain("a&#34;b\\c&#60;d&#62;&#38;e&#39;é🔑 +");
    expect(forms).toContain(encodeURIComponent(JSON.stringify(secret).slice(1, -1)));
    expect(forms.map((f) => f.length)).toEqual([...forms.map((f) => f.length)].sort((x, y) => y - x));
  });

  it("replaces each form by the marker and leaves other text alone", () => {
    const text = `x=${JSON.stringify({ p: secret })} y=${encodeURIComponent(secret)} z=${secret}.`;
    expect(redact(text, [secret])).toBe('x={"p":"(sensitive)"} y=(sensitive) z=(sensitive).');
    expect(redact("nothing here", [secret, ""])).toBe("nothing here");
    expect(containsSecret(text, [secret])).toBe(true);
    expect(containsSecret(redact(text, [secret]), [secret])).toBe(false);
  });

  it("an empty secret has no forms", () => {
    expect(secretForms("")).toEqual([]);
  });
});
