import { describe, expect, it } from "vitest";
import "../src/pdf/open.js";

describe("pdf.js's bundled core-js leaves the engine's builtins in place", () => {
  it("Array.prototype.push is V8's own once pdf.js has loaded", () => {
    // V8 pushes nothing onto a read-only-length array without a TypeError; core-js's push throws.
    const frozenLength = Object.defineProperty([], "length", { writable: false });
    expect(() => frozenLength.push()).not.toThrow();
  });
  it("JSON round-trips as before", () => {
    const value = { a: [1, "二", null], b: "\u{20000}", c: 1.5 };
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
    expect(JSON.stringify(value)).toBe('{"a":[1,"二",null],"b":"\u{20000}","c":1.5}');
  });
});
