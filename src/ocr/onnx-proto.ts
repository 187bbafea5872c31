/**
 * Just enough protobuf to rewrite an ONNX model's graph: fields read as byte ranges, a graph's
 * nodes decoded (inputs, outputs, op type; attributes kept as read), float tensors of Constant
 * nodes read and written. Everything not rewritten is written back byte for byte.
 */

export interface Field {
  no: number;
  /** Wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: number;
  /** A varint's value (wire 0). */
  value: bigint;
  /** The payload of a length-delimited or fixed field. */
  body: Uint8Array;
  /** The whole field, key included, to write back unchanged. */
  raw: Uint8Array;
}

function readVarint(buf: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[at++];
    if (b === undefined) throw new Error("ONNX model: truncated varint");
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [v, at];
    shift += 7n;
  }
}

export function readFields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    const [k, next] = readVarint(buf, at);
    at = next;
    const no = Number(k >> 3n);
    const wire = Number(k & 7n);
    let value = 0n;
    let body = buf.subarray(at, at);
    if (wire === 0) [value, at] = readVarint(buf, at);
    else if (wire === 1 || wire === 5) {
      body = buf.subarray(at, at + (wire === 1 ? 8 : 4));
      at += body.length;
    } else if (wire === 2) {
      const [len, from] = readVarint(buf, at);
      body = buf.subarray(from, from + Number(len));
      at = from + Number(len);
    } else throw new Error(`ONNX model: unsupported wire type ${wire}`);
    if (at > buf.length) throw new Error("ONNX model: truncated field");
    out.push({ no, wire, value, body, raw: buf.subarray(start, at) });
  }
  return out;
}

/** Protobuf varint of a (possibly negative, as int64) integer. */
export function varint(n: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Uint8Array.from(out);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const key = (no: number, wire: number) => varint((no << 3) | wire);
export const messageField = (no: number, body: Uint8Array) => concat([key(no, 2), varint(body.length), body]);
export const textField = (no: number, s: string) => messageField(no, new TextEncoder().encode(s));
export const intField = (no: number, n: number) => concat([key(no, 0), varint(n)]);
export function floatField(no: number, f: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, f, true);
  return concat([key(no, 5), b]);
}

const utf8 = new TextDecoder();
const textOf = (f: Field) => utf8.decode(f.body);

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5; anything else kept as read. */
export interface OnnxNode {
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  /** AttributeProto messages (their bodies). */
  attributes: Uint8Array[];
  rest: Uint8Array[];
}

function readNode(body: Uint8Array): OnnxNode {
  const node: OnnxNode = { inputs: [], outputs: [], name: "", opType: "", attributes: [], rest: [] };
  for (const f of readFields(body)) {
    if (f.no === 1) node.inputs.push(textOf(f));
    else if (f.no === 2) node.outputs.push(textOf(f));
    else if (f.no === 3) node.name = textOf(f);
    else if (f.no === 4) node.opType = textOf(f);
    else if (f.no === 5) node.attributes.push(f.body);
    else node.rest.push(f.raw);
  }
  return node;
}

function writeNode(n: OnnxNode): Uint8Array {
  return concat([
    ...n.inputs.map((s) => textField(1, s)),
    ...n.outputs.map((s) => textField(2, s)),
    ...(n.name ? [textField(3, n.name)] : []),
    textField(4, n.opType),
    ...n.attributes.map((a) => messageField(5, a)),
    ...n.rest,
  ]);
}

/** A model's graph (ModelProto field 7): its nodes (GraphProto field 1), and the names of its outputs (field 12). */
export interface OnnxGraph {
  nodes: OnnxNode[];
  outputs: string[];
}

export function editGraph(model: Uint8Array, edit: (g: OnnxGraph) => void): Uint8Array {
  const top = readFields(model);
  const graphField = top.find((f) => f.no === 7);
  if (!graphField) throw new Error("ONNX model: no graph");
  const fields = readFields(graphField.body);
  const graph: OnnxGraph = {
    nodes: fields.filter((f) => f.no === 1).map((f) => readNode(f.body)),
    outputs: fields
      .filter((f) => f.no === 12)
      .map((f) => textOf(readFields(f.body).find((v) => v.no === 1)!)),
  };
  edit(graph);
  const body = concat([
    ...graph.nodes.map((n) => messageField(1, writeNode(n))),
    ...fields.filter((f) => f.no !== 1).map((f) => f.raw),
  ]);
  return concat([...top.filter((f) => f !== graphField).map((f) => f.raw), messageField(7, body)]);
}

/** AttributeProto: name 1, f 2, i 3, t 5, ints 8, type 20. */
export const attributeName = (a: Uint8Array) => textOf(readFields(a).find((f) => f.no === 1)!);

export function attributeFloat(a: Uint8Array): number | undefined {
  const f = readFields(a).find((v) => v.no === 2 && v.wire === 5);
  return f ? new DataView(f.body.buffer, f.body.byteOffset, 4).getFloat32(0, true) : undefined;
}

export function attributeInts(a: Uint8Array): number[] {
  const out: number[] = [];
  for (const f of readFields(a).filter((v) => v.no === 8)) {
    if (f.wire === 0) out.push(Number(BigInt.asIntN(64, f.value)));
    else
      for (let at = 0; at < f.body.length; ) {
        const [v, next] = readVarint(f.body, at);
        out.push(Number(BigInt.asIntN(64, v)));
        at = next;
      }
  }
  return out;
}

/** An attribute of type FLOAT (1). */
export const floatAttribute = (name: string, v: number) =>
  concat([textField(1, name), floatField(2, v), intField(20, 1)]);

/** A float tensor: TensorProto dims 1, data_type 2 (1 = float), float_data 4, name 8, raw_data 9. */
export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

/** The float tensor a Constant node holds (its `value` attribute, field 5 `t`), or null. */
export function constantTensor(n: OnnxNode): FloatTensor | null {
  if (n.opType !== "Constant" || n.attributes.length !== 1) return null;
  const t = readFields(n.attributes[0]!).find((f) => f.no === 5);
  if (!t) return null;
  const fields = readFields(t.body);
  if (fields.find((f) => f.no === 2)?.value !== 1n) return null;
  const dims = fields.filter((f) => f.no === 1 && f.wire === 0).map((f) => Number(f.value));
  const raw = fields.find((f) => f.no === 9);
  const floats = fields.find((f) => f.no === 4 && f.wire === 2);
  const bytes = raw?.body ?? floats?.body;
  if (!bytes) return null;
  // A copy: the model's bytes need not be 4-aligned.
  const data = new Float32Array(new Uint8Array(bytes).buffer);
  return data.length === dims.reduce((a, b) => a * b, 1) ? { dims, data } : null;
}

/** A Constant node giving `tensor` as `output`. */
export function constantNode(output: string, tensor: FloatTensor): OnnxNode {
  const t = concat([
    ...tensor.dims.map((d) => intField(1, d)),
    intField(2, 1),
    textField(8, output),
    messageField(9, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength)),
  ]);
  const value = concat([textField(1, "value"), messageField(5, t), intField(20, 4)]);
  return { inputs: [], outputs: [output], name: "", opType: "Constant", attributes: [value], rest: [] };
}
