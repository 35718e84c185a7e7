import { describe, expect, it } from "vitest";
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, goStringMap, goStringSlice } from "../../src/apimachinery/validation.ts";

describe("name validation", () => {
  it("accepts good names", () => {
    expect(isDNS1123Subdomain("example.com")).toEqual([]);
    expect(isDNS1123Label("my-name")).toEqual([]);
    expect(isDNS1035Label("abc-123")).toEqual([]);
    expect(isQualifiedName("app.kubernetes.io/name")).toEqual([]);
    expect(isValidLabelValue("")).toEqual([]);
  });
  it("explains bad ones as upstream does", () => {
    expect(isDNS1035Label("1abc")).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Label("x".repeat(64))).toEqual(["must be no more than 63 characters"]);
    expect(isQualifiedName("a/b/c")[0]).toMatch(/^a qualified name must consist of/);
    expect(isQualifiedName("-x")[0]).toMatch(/^name part must consist of alphanumeric characters/);
    expect(isQualifiedName("Bad_Prefix/x")[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
  });
  it("formats Go values", () => {
    expect(goStringMap({ b: "2", a: "1" })).toBe('map[string]string{"a":"1", "b":"2"}');
    expect(goStringSlice(["10.96.0.10"])).toBe('[]string{"10.96.0.10"}');
  });
});
