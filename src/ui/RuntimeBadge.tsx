import { useShallow } from 'zustand/react/shallow';
import { useRuntime } from './state/runtime.ts';

/** Shows which onnxruntime-web backend the worker chose, and whether WASM threads are available. */
export function RuntimeBadge() {
  const { info, error } = useRuntime(useShallow((s) => ({ info: s.info, error: s.error })));
  if (error) {
    return (
      <span role="status" className="rounded-full bg-red-100 px-3 py-1 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
        Engine failed to start: {error}
      </span>
    );
  }
  return (
    <span
      role="status"
      aria-label="Engine"
      data-backend={info?.backend ?? ''}
      data-formats={info?.outputFormats.join(' ') ?? ''}
      className="rounded-full bg-slate-200 px-3 py-1 text-xs font-medium text-slate-800 dark:bg-slate-800 dark:text-slate-200"
    >
      {info ? `Engine: ${info.backend === 'webgpu' ? 'WebGPU' : `WASM, ${info.threads} thread${info.threads === 1 ? '' : 's'}`}` : 'Starting engine…'}
    </span>
  );
}
