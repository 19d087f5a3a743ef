/**
 * The engine's only view of a neural-network runtime. The worker implements it with onnxruntime-web
 * (WebGPU or WASM), Node with onnxruntime-node; the engine never imports either.
 */

/** A dense float tensor: data in row-major order, dims outermost first (NHWC for image inputs). */
export interface Tensor {
  data: Float32Array;
  dims: readonly number[];
}

/** The models the app ships, by file stem under `public/models/<name>.onnx`. */
export type ModelName = string;

export interface InferenceBackend {
  /** Which runtime runs the models, for display ('webgpu', 'wasm', 'node-cpu'). */
  readonly name: string;
  /**
   * Runs a model on one input tensor and returns every output by name.
   * Implementations serialise runs: at most one is in flight at a time.
   */
  run(model: ModelName, input: Tensor): Promise<Record<string, Tensor>>;
}

/** Wraps a run function so that each call starts only after the previous one has settled. */
export function serialised(runNow: InferenceBackend['run']): InferenceBackend['run'] {
  let queue: Promise<unknown> = Promise.resolve();
  return (model, input) => {
    const result = queue.then(() => runNow(model, input));
    queue = result.catch(() => undefined);
    return result;
  };
}
