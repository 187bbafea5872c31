import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";
import { satisfies } from "./helpers/engines.js";

/**
 * Issue 10, item 8: the Node version the README, package.json and CI ask for is one every
 * package `npm ci` installs accepts (package-lock.json holds each one's `engines`), so `npm ci`
 * on that version warns of none.
 */

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const minimum = /^>=\s*(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];

describe("one Node requirement, the one every installed package accepts", () => {
  it("the range helper reads engines fields as npm does", () => {
    expect(satisfies("20.19.0", ">=22")).toBe(false);
    expect(satisfies("22.0.0", ">=22")).toBe(true);
    expect(satisfies("20.19.0", "^20.19.0 || >=22.12.0")).toBe(true);
    expect(satisfies("21.5.0", "^20.19.0 || >=22.12.0")).toBe(false);
    expect(satisfies("20.18.9", ">=20.19.0 || >=22.13.0 || >=24")).toBe(false);
    expect(satisfies("13.8.0", "^10 || ^12 || ^13.7 || ^14 || >=15.0.1")).toBe(true);
    expect(satisfies("20.0.0", ">= 10.x")).toBe(true);
    expect(satisfies("5.1.0", "4.x || >=6.0.0")).toBe(false);
    expect(satisfies("20.19.0", "*")).toBe(true);
  });

  it("package.json's engines is `>=x.y.z` and every locked package's engines accepts x.y.z", () => {
    expect(minimum, pkg.engines.node).toBeDefined();
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== "" && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !satisfies(minimum!, (p.engines as { node: string }).node))
      .map(
        ([path, p]) =>
          `${path.replace(/^.*node_modules\//, "")}@${p.version} wants ${(p.engines as { node: string }).node}`,
      );
    expect(refusing).toEqual([]);
  });

  it("the README and CI ask for the same version, and this Node meets it", () => {
    const [major, minor, patch] = minimum!.split(".");
    const asked = patch === "0" ? `${major}.${minor}` : minimum!;
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(`Needs **Node.js ≥ ${asked}**`);
    expect(readFileSync(join(ROOT, ".ci/run"), "utf8")).toContain(`need_node="${minimum}"`);
    expect(satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });
});
