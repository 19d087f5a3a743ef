import type { ResultView } from './state/job.ts';

/** The seed's response fields. */
export function ResultFields({ result }: { result: ResultView }) {
  const fields = [
    { id: 'resolution', label: 'Resolution', value: result.resolution },
    { id: 'processing-time', label: 'Processing time', value: `${result.processingTime.toLocaleString('en-US')} ms` },
    { id: 'faces-detected', label: 'Faces detected', value: String(result.facesDetected) },
    { id: 'job-id', label: 'Job ID', value: result.jobId },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
      {fields.map((field) => (
        <div key={field.id} className="min-w-0 rounded-lg bg-slate-100 px-3 py-2 dark:bg-slate-800">
          <dt className="text-xs text-slate-600 dark:text-slate-400">{field.label}</dt>
          <dd className="truncate font-medium tabular-nums" data-testid={`result-${field.id}`} title={field.value}>
            {field.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
