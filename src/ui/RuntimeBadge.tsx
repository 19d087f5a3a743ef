import { useStudio } from './store.ts';

/** Shows which onnxruntime-web backend the worker chose, and whether WASM threads are available. */
export function RuntimeBadge() {
  const runtime = useStudio((s) => s.runtime);
  const error = useStudio((s) => s.runtimeError);
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
      data-backend={runtime?.backend ?? ''}
      data-formats={runtime?.outputFormats.join(' ') ?? ''}
      className="rounded-full bg-slate-200 px-3 py-1 text-xs font-medium text-slate-800 dark:bg-slate-800 dark:text-slate-200"
    >
      {runtime
        ? `Engine: ${runtime.backend === 'webgpu' ? 'WebGPU' : `WASM, ${runtime.threads} thread${runtime.threads === 1 ? '' : 's'}`}`
        : 'Starting engine…'}
    </span>
  );
}
