import type { TfNode } from './tfjs-model.ts';

/** The error every converter failure throws: it names the op and the node. */
export function nodeError(node: TfNode, message: string): Error {
  return new Error(`${node.op} node '${node.name}': ${message}`);
}

function attr(node: TfNode, name: string) {
  return node.attr?.[name];
}

/** An int list attribute (strides, ksize, dilations...); `fallback` when absent. */
export function attrInts(node: TfNode, name: string, fallback?: number[]): number[] {
  const a = attr(node, name);
  if (!a) {
    if (fallback) return fallback;
    throw nodeError(node, `missing attribute '${name}'`);
  }
  return (a.list?.i ?? []).map(Number);
}

/** A string attribute (TF stores bytes; the JSON holds them base64-encoded). */
export function attrString(node: TfNode, name: string, fallback?: string): string {
  const s = attr(node, name)?.s;
  if (s === undefined) {
    if (fallback !== undefined) return fallback;
    throw nodeError(node, `missing attribute '${name}'`);
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

/** A string list attribute, e.g. `fused_ops`. */
export function attrStrings(node: TfNode, name: string): string[] {
  return (attr(node, name)?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

/** A bool attribute; protobuf-JSON omits false values. */
export function attrBool(node: TfNode, name: string): boolean {
  return attr(node, name)?.b === true;
}

/** A shape attribute as numbers, -1 for unknown sizes. */
export function attrShape(node: TfNode, name: string): number[] {
  const shape = attr(node, name)?.shape;
  if (!shape || shape.unknownRank) throw nodeError(node, `attribute '${name}' has no known rank`);
  return (shape.dim ?? []).map((d) => Number(d.size));
}

/** Fails unless the node computes in float32 (attribute T, or dtype for placeholders). */
export function requireFloat(node: TfNode): void {
  const type = attr(node, 'T')?.type ?? attr(node, 'dtype')?.type;
  if (type !== undefined && type !== 'DT_FLOAT') throw nodeError(node, `type ${type} is not supported (float32 only)`);
}

/** Fails unless data_format is NHWC (TF's default, and the only layout TF.js runs). */
export function requireNhwc(node: TfNode): void {
  const format = attrString(node, 'data_format', 'NHWC');
  if (format !== 'NHWC') throw nodeError(node, `data_format ${format} is not supported`);
}
