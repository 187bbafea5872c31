/**
 * pdf.js's legacy build bundles core-js, which on Node 20 replaces three builtins for every code
 * in the thread, not only its own: `Array.prototype.push` (V8 does not throw when pushing nothing
 * onto an array whose length is read-only) and `JSON.stringify`/`JSON.parse` (for JSON.rawJSON,
 * which neither pdf.js nor formex uses). The replacements are plain JavaScript: push alone, with
 * its length setter, took ~12% of a page worker's time on a merged bundle. This module is
 * imported (for its side effect) before pdf.js, so it holds the engine's own functions, and
 * `restoreNativeBuiltins` puts them back once pdf.js has loaded. What pdf.js needs and Node 20
 * lacks (Promise.withResolvers, Map.prototype.getOrInsert, the Set methods …) is added, not
 * replaced, and stays.
 */
const NATIVE = {
  push: Array.prototype.push,
  stringify: JSON.stringify,
  parse: JSON.parse,
};

export function restoreNativeBuiltins(): void {
  const put = (target: object, key: string, value: unknown) => {
    if (Object.getOwnPropertyDescriptor(target, key)?.value === value) return;
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
  };
  put(Array.prototype, "push", NATIVE.push);
  put(JSON, "stringify", NATIVE.stringify);
  put(JSON, "parse", NATIVE.parse);
}
