import { useShallow } from 'zustand/react/shallow';
import type { FaceSwapPhase } from '../api/index.ts';
import { useJob } from './state/job.ts';

const STAGES: { phase: FaceSwapPhase; label: string; weight: number }[] = [
  { phase: 'models', label: 'Loading models', weight: 0.3 },
  { phase: 'detect', label: 'Detecting faces', weight: 0.2 },
  { phase: 'swap', label: 'Swapping', weight: 0.4 },
  { phase: 'encode', label: 'Encoding', weight: 0.1 },
];

/** The running swap, stage by stage, with an overall bar. */
export function SwapProgress() {
  const { phase, done, total } = useJob(useShallow((s) => ({ phase: s.phase, done: s.done, total: s.total })));
  const current = Math.max(0, STAGES.findIndex((stage) => stage.phase === phase));
  const within = total > 0 ? Math.min(1, done / total) : 0;
  const percent = Math.round(100 * STAGES.reduce((sum, stage, i) => sum + (i < current ? stage.weight : i === current ? stage.weight * within : 0), 0));
  const stage = STAGES[current];
  const detail = total > 1 ? ` (${Math.min(done + 1, total)} of ${total})` : '';

  return (
    <div className="flex flex-col gap-2" data-testid="swap-progress" data-phase={phase ?? ''}>
      <div
        role="progressbar"
        aria-label="Swap progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${stage.label}${detail}`}
        className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div className="h-full rounded-full bg-indigo-600 transition-[width] duration-300 motion-reduce:transition-none" style={{ width: `${percent}%` }} />
      </div>
      <ol className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {STAGES.map((s, i) => {
          const state = i < current ? 'done' : i === current ? 'current' : 'pending';
          return (
            <li
              key={s.phase}
              data-state={state}
              aria-current={state === 'current' ? 'step' : undefined}
              className={state === 'current' ? 'font-semibold text-indigo-700 dark:text-indigo-300' : state === 'done' ? 'text-slate-700 dark:text-slate-300' : 'text-slate-500 dark:text-slate-400'}
            >
              <span aria-hidden="true">{state === 'done' ? '✓ ' : state === 'current' ? '● ' : '○ '}</span>
              {s.label}
              {state === 'current' && detail}
              <span className="sr-only">{state === 'done' ? ' (done)' : state === 'pending' ? ' (to do)' : ''}</span>
            </li>
          );
        })}
      </ol>
      <p role="status" className="sr-only">
        {stage.label}…
      </p>
    </div>
  );
}
