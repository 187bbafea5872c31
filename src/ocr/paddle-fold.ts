import {
  attributeFloat,
  attributeInts,
  attributeName,
  constantNode,
  constantTensor,
  editGraph,
  type FloatTensor,
  floatAttribute,
  type OnnxGraph,
  type OnnxNode,
} from "./onnx-proto.js";

/**
 * The recognizer's graph with its elementwise steps folded into the convolutions, the same
 * function to float rounding. PP-OCRv4's backbone (PP-LCNetV3) follows each convolution by a
 * learnable scale and shift (Mul, Add by scalars), a hard-swish spelled as Add 3, Clip 0..6, Mul,
 * Div 6, and another scale and shift; onnxruntime runs each step as a pass over the whole feature
 * map (30% of the model's time in its profiler). Folded: the first scale and shift into the
 * convolution's weights and bias, the hard-swish as HardSigmoid and Mul, the second scale into
 * the next convolution (its shift too where that one has no padding).
 */

interface Graph {
  g: OnnxGraph;
  consts: Map<string, FloatTensor>;
  uses: Map<string, OnnxNode[]>;
  /** Constants whose tensors a pass rewrote (a tensor read is a copy: written back after the pass). */
  changed: Set<string>;
}

function index(g: OnnxGraph): Graph {
  const consts = new Map<string, FloatTensor>();
  const uses = new Map<string, OnnxNode[]>();
  for (const n of g.nodes) {
    const tensor = constantTensor(n);
    if (tensor) consts.set(n.outputs[0]!, tensor);
    for (const i of n.inputs) uses.set(i, [...(uses.get(i) ?? []), n]);
  }
  return { g, consts, uses, changed: new Set() };
}

/** The one node reading `name`, if exactly one does and it is not a graph output. */
function onlyUse(x: Graph, name: string, opType: string): OnnxNode | null {
  const u = x.uses.get(name) ?? [];
  return u.length === 1 && u[0]!.opType === opType && !x.g.outputs.includes(name) ? u[0]! : null;
}

/** A Mul or Add by a one-element constant: its value and the other input. */
function byScalar(x: Graph, n: OnnxNode, opType: string): { value: number; input: string } | null {
  if (n.opType !== opType || n.inputs.length !== 2) return null;
  for (const [k, name] of n.inputs.entries()) {
    const c = x.consts.get(name);
    if (c && c.data.length === 1) return { value: c.data[0]!, input: n.inputs[1 - k]! };
  }
  return null;
}

/** A constant only `n` reads, to be rewritten in place. */
function ownConstant(x: Graph, name: string | undefined): FloatTensor | null {
  return name !== undefined && (x.uses.get(name)?.length ?? 0) === 1 ? (x.consts.get(name) ?? null) : null;
}

function replaceInput(x: Graph, from: string, to: string): void {
  for (const n of x.uses.get(from) ?? []) n.inputs = n.inputs.map((i) => (i === from ? to : i));
}

/** Conv → Mul(s) → Add(b): weights × s, bias × s + b. */
function foldConvAffine(x: Graph, drop: Set<OnnxNode>): void {
  for (const conv of x.g.nodes) {
    if (conv.opType !== "Conv") continue;
    const mul = onlyUse(x, conv.outputs[0]!, "Mul");
    const s = mul && byScalar(x, mul, "Mul");
    const add = mul && onlyUse(x, mul.outputs[0]!, "Add");
    const b = add && byScalar(x, add, "Add");
    const w = ownConstant(x, conv.inputs[1]);
    const bias = ownConstant(x, conv.inputs[2]);
    if (!mul || !s || !add || !b || !w || !bias || x.g.outputs.includes(add.outputs[0]!)) continue;
    x.changed.add(conv.inputs[1]!).add(conv.inputs[2]!);
    for (let i = 0; i < w.data.length; i++) w.data[i]! *= s.value;
    for (let i = 0; i < bias.data.length; i++) bias.data[i] = bias.data[i]! * s.value + b.value;
    replaceInput(x, add.outputs[0]!, conv.outputs[0]!);
    drop.add(mul).add(add);
  }
}

const attribute = (n: OnnxNode, name: string) => n.attributes.find((a) => attributeName(a) === name);

/** Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(6): HardSigmoid(x; 1/6, 0.5) → Mul(x, ·). */
function foldHardSwish(x: Graph, drop: Set<OnnxNode>, added: Map<OnnxNode, OnnxNode[]>): void {
  for (const add of x.g.nodes) {
    const three = byScalar(x, add, "Add");
    if (three?.value !== 3) continue;
    const clip = onlyUse(x, add.outputs[0]!, "Clip");
    const low = clip && attributeFloat(attribute(clip, "min") ?? new Uint8Array());
    const high = clip && attributeFloat(attribute(clip, "max") ?? new Uint8Array());
    const mul = clip && onlyUse(x, clip.outputs[0]!, "Mul");
    const div = mul && onlyUse(x, mul.outputs[0]!, "Div");
    const six = div && byScalar(x, div, "Div");
    if (
      !clip ||
      low !== 0 ||
      high !== 6 ||
      !mul ||
      !mul.inputs.includes(three.input) ||
      !div ||
      six?.value !== 6
    )
      continue;
    const gate = `${div.outputs[0]}_formex_gate`;
    const sigmoid: OnnxNode = {
      inputs: [three.input],
      outputs: [gate],
      name: "",
      opType: "HardSigmoid",
      attributes: [floatAttribute("alpha", 1 / 6), floatAttribute("beta", 0.5)],
      rest: [],
    };
    const product: OnnxNode = {
      ...sigmoid,
      inputs: [three.input, gate],
      outputs: div.outputs,
      opType: "Mul",
      attributes: [],
    };
    drop.add(add).add(clip).add(mul).add(div);
    added.set(div, [sigmoid, product]);
  }
}

/** Mul(s) → Add(b) → Conv: weights × s; bias + b·ΣW without padding, else the Add shifts by b/s. */
function foldScaleIntoConv(x: Graph, drop: Set<OnnxNode>, added: Map<OnnxNode, OnnxNode[]>): void {
  for (const mul of x.g.nodes) {
    const s = byScalar(x, mul, "Mul");
    const add = s && s.value !== 0 ? onlyUse(x, mul.outputs[0]!, "Add") : null;
    const b = add && byScalar(x, add, "Add");
    const conv = add && onlyUse(x, add.outputs[0]!, "Conv");
    const w = conv && ownConstant(x, conv.inputs[1]);
    const bias = conv && ownConstant(x, conv.inputs[2]);
    if (!s || !add || !b || !conv || !w || !bias || conv.inputs[0] !== add.outputs[0]) continue;
    x.changed.add(conv.inputs[1]!).add(conv.inputs[2]!);
    const padded = attributeInts(attribute(conv, "pads") ?? new Uint8Array()).some((p) => p !== 0);
    const perOut = w.data.length / bias.data.length;
    if (!padded)
      for (let o = 0; o < bias.data.length; o++) {
        let sum = 0;
        for (let i = o * perOut; i < (o + 1) * perOut; i++) sum += w.data[i]!;
        bias.data[o] = bias.data[o]! + b.value * sum;
      }
    for (let i = 0; i < w.data.length; i++) w.data[i]! *= s.value;
    drop.add(mul);
    if (!padded) {
      conv.inputs[0] = s.input;
      drop.add(add);
    } else {
      // Zero padding of (s·a + b) is zero padding of (a + b/s) under weights × s.
      const shift = `${add.outputs[0]}_formex_shift`;
      added.set(add, [constantNode(shift, { dims: [1], data: Float32Array.of(b.value / s.value) })]);
      add.inputs = [s.input, shift];
    }
  }
}

/** Constants no node reads any more. */
function deadConstants(g: OnnxGraph): Set<OnnxNode> {
  const read = new Set(g.nodes.flatMap((n) => n.inputs));
  return new Set(
    g.nodes.filter(
      (n) => n.opType === "Constant" && !n.outputs.some((o) => read.has(o) || g.outputs.includes(o)),
    ),
  );
}

/**
 * The pass's edits applied in place: rewritten constants re-encoded, a new constant put before
 * the node it feeds and a replacement node where the one it replaces was (inputs come first).
 */
function apply(x: Graph, drop: Set<OnnxNode>, added: Map<OnnxNode, OnnxNode[]>): void {
  x.g.nodes = x.g.nodes.flatMap((n) => {
    const extra = added.get(n) ?? [];
    const output = n.outputs[0] ?? "";
    const own = x.changed.has(output) ? constantNode(output, x.consts.get(output)!) : n;
    return [
      ...extra.filter((a) => a.opType === "Constant"),
      ...(drop.has(n) ? [] : [own]),
      ...extra.filter((a) => a.opType !== "Constant"),
    ];
  });
}

export function foldElementwise(model: Uint8Array): Uint8Array {
  return editGraph(model, (g) => {
    for (const pass of [foldConvAffine, foldHardSwish, foldScaleIntoConv]) {
      const drop = new Set<OnnxNode>();
      const added = new Map<OnnxNode, OnnxNode[]>();
      const x = index(g);
      pass(x, drop, added);
      apply(x, drop, added);
    }
    apply(index(g), deadConstants(g), new Map());
  });
}
