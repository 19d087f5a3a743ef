import { OUTPUT_FORMATS } from '../engine/formats.ts';
import { button } from './classes.ts';
import { useHistory, type HistoryEntry } from './state/history.ts';

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One past result: its thumbnail and fields, Save (download again) and Delete. */
export function HistoryItem({ entry }: { entry: HistoryEntry }) {
  const download = useHistory((s) => s.download);
  const remove = useHistory((s) => s.remove);
  return (
    <li className="flex flex-col overflow-hidden rounded-xl border border-slate-200 dark:border-slate-800" data-testid="history-item" data-job-id={entry.jobId}>
      <img src={entry.thumbnailUrl} alt={`Result ${entry.fileName}`} className="aspect-[4/3] w-full bg-slate-100 object-contain dark:bg-slate-950" />
      <div className="flex flex-col gap-1 p-2 text-xs">
        <span className="truncate font-mono" title={entry.fileName}>
          {entry.fileName}
        </span>
        <span className="text-slate-600 dark:text-slate-400">
          {OUTPUT_FORMATS[entry.outputFormat].label} · {entry.resolution} · {entry.facesDetected} {entry.facesDetected === 1 ? 'face' : 'faces'}
        </span>
        <time className="text-slate-600 dark:text-slate-400" dateTime={new Date(entry.createdAt).toISOString()}>
          {time.format(entry.createdAt)}
        </time>
        <div className="mt-1 flex gap-1">
          <button type="button" className={button.secondary} onClick={() => void download(entry.jobId)}>
            Save<span className="sr-only"> {entry.fileName}</span>
          </button>
          <button type="button" className={button.quiet} onClick={() => void remove(entry.jobId)}>
            Delete<span className="sr-only"> {entry.fileName}</span>
          </button>
        </div>
      </div>
    </li>
  );
}
