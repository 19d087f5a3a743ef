import type * as Ort from 'onnxruntime-web';
import { serialised, type InferenceBackend, type ModelName, type Tensor } from '../engine/inference.ts';

/** Which execution provider runs the models. */
export type BackendKind = 'webgpu' | 'wasm';

export interface RuntimeInfo {
  backend: BackendKind;
  threads: number;
  crossOriginIsolated: boolean;
}

interface GpuNavigator {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> };
}

/**
 * WebGPU when the browser gives a hardware adapter, else WASM with as many threads as isolation allows.
 * A fallback adapter (a software rasteriser such as SwiftShader) runs the models far slower than WASM does.
 */
async function chooseBackend(): Promise<BackendKind> {
  const gpu = (navigator as GpuNavigator).gpu;
  if (!gpu) return 'wasm';
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter && !adapter.info?.isFallbackAdapter ? 'webgpu' : 'wasm';
  } catch {
    return 'wasm';
  }
}

/**
 * The onnxruntime-web build a backend needs. WebGPU needs the asyncify build (27 MB of wasm); the plain SIMD build
 * (14 MB) has only the CPU kernels. In headless Chromium on 2 cores it starts in about 4 s against 7.5, reaches its
 * full speed (the browser compiles hot wasm code again, optimised) in about 10 s against 20, and then runs the
 * models about a third faster.
 */
function loadOrt(backend: BackendKind): Promise<typeof Ort> {
  return backend === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm');
}

/**
 * onnxruntime-web behind the engine's InferenceBackend. Sessions are created on first use from the app's own
 * `models/` folder; runs are chained so that no two overlap (concurrent WebGPU runs corrupt each other).
 */
export class WebRuntime implements InferenceBackend {
  private readonly sessions = new Map<ModelName, Promise<Ort.InferenceSession>>();
  /** Runs a model; runs are chained, never overlapping. */
  readonly run = serialised((model, input) => this.runNow(model, input));

  private constructor(
    readonly info: RuntimeInfo,
    private readonly ort: typeof Ort,
  ) {}

  get name(): string {
    return this.info.backend;
  }

  static async create(): Promise<WebRuntime> {
    const isolated = self.crossOriginIsolated;
    // Without cross-origin isolation SharedArrayBuffer is missing and ORT would silently use one thread anyway.
    const threads = isolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
    const backend = await chooseBackend();
    const ort = await loadOrt(backend);
    ort.env.wasm.numThreads = threads;
    return new WebRuntime({ backend, threads, crossOriginIsolated: isolated }, ort);
  }

  /** Creates the sessions of these models now rather than on their first run. */
  async preload(models: readonly ModelName[]): Promise<void> {
    await Promise.all(models.map((model) => this.session(model)));
  }

  private session(model: ModelName): Promise<Ort.InferenceSession> {
    let session = this.sessions.get(model);
    if (!session) {
      const url = new URL(`${import.meta.env.BASE_URL}models/${model}.onnx`, self.location.origin).href;
      session = this.ort.InferenceSession.create(url, { executionProviders: [this.info.backend], graphOptimizationLevel: 'all' });
      session.catch(() => this.sessions.delete(model));
      this.sessions.set(model, session);
    }
    return session;
  }

  private async runNow(model: ModelName, input: Tensor): Promise<Record<string, Tensor>> {
    const session = await this.session(model);
    const feeds = { [session.inputNames[0]]: new this.ort.Tensor('float32', input.data, input.dims as number[]) };
    const results = await session.run(feeds);
    const out: Record<string, Tensor> = {};
    for (const [name, tensor] of Object.entries(results)) {
      out[name] = { data: (await tensor.getData()) as Float32Array, dims: tensor.dims };
      tensor.dispose();
    }
    return out;
  }
}
