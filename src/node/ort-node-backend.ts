import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { serialised, type InferenceBackend, type ModelName, type Tensor } from '../engine/inference.ts';

const defaultModelDir = fileURLToPath(new URL('../../public/models/', import.meta.url));

/** onnxruntime-node behind the engine's InferenceBackend, loading `<modelDir>/<name>.onnx` on first use. */
export function createNodeBackend(modelDir: string = defaultModelDir): InferenceBackend {
  const sessions = new Map<ModelName, Promise<ort.InferenceSession>>();

  const session = (model: ModelName) => {
    let s = sessions.get(model);
    if (!s) {
      s = readFile(`${modelDir}/${model}.onnx`).then((bytes) => ort.InferenceSession.create(bytes));
      sessions.set(model, s);
    }
    return s;
  };

  const runNow = async (model: ModelName, input: Tensor) => {
    const s = await session(model);
    const feeds = { [s.inputNames[0]]: new ort.Tensor('float32', input.data, input.dims as number[]) };
    const results = await s.run(feeds);
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(results)) out[name] = { data: t.data as Float32Array, dims: t.dims };
    return out;
  };

  return { name: 'node-cpu', run: serialised(runNow) };
}
