import * as Comlink from 'comlink';
import { workerApi } from './api.ts';

// onnxruntime-web starts its WASM threads from this same script (named em-pthread-N): only the engine worker answers.
if (!self.name.startsWith('em-pthread')) Comlink.expose(workerApi);
