import { useId, useState, type DragEvent, type FormEvent } from 'react';
import type { ImageRole } from '../engine/errors.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { formatBytes } from './format-bytes.ts';
import { useStudio } from './store.ts';

interface Props {
  role: ImageRole;
  title: string;
  hint: string;
}

const ACCEPT = 'image/png,image/jpeg,image/webp,image/avif,image/gif,image/bmp';

/** One input picture: drop, browse, paste or type a URL / base64; shows its preview, size and any error. */
export function ImageDrop({ role, title, hint }: Props) {
  const slot = useStudio((s) => s.slots[role]);
  const loadImage = useStudio((s) => s.loadImage);
  const clearImage = useStudio((s) => s.clearImage);
  const [dragging, setDragging] = useState(false);
  const [address, setAddress] = useState('');
  const inputId = useId();
  const addressId = useId();
  const label = role === 'source' ? 'Source image' : 'Target image';

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void loadImage(role, file, file.name);
    else {
      const text = event.dataTransfer.getData('text/uri-list') || event.dataTransfer.getData('text/plain');
      if (text) void loadImage(role, text, 'Dropped link');
    }
  };

  const onAddress = (event: FormEvent) => {
    event.preventDefault();
    if (address.trim()) void loadImage(role, address, address.startsWith('http') ? address : 'Pasted data');
  };

  return (
    <section
      data-role={role}
      className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex items-baseline justify-between">
        <h2 className="text-lg font-semibold">
          {title}
        </h2>
        <span className="text-xs text-slate-500 dark:text-slate-400">{hint}</span>
      </div>

      <label
        htmlFor={inputId}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`relative flex aspect-[4/3] cursor-pointer items-center justify-center overflow-hidden rounded-xl border-2 border-dashed transition focus-within:ring-2 focus-within:ring-indigo-500 ${
          dragging ? 'border-indigo-500 bg-indigo-50 dark:bg-indigo-950' : 'border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-950'
        }`}
      >
        {slot.image ? (
          <img src={slot.image.previewUrl} alt={`${title} preview`} className="h-full w-full object-contain" />
        ) : (
          <span className="px-6 text-center text-sm text-slate-600 dark:text-slate-400">
            Drop a photo here, click to browse, or paste one (Ctrl/⌘ V)
          </span>
        )}
        {slot.busy && (
          <span className="absolute inset-0 flex items-center justify-center bg-white/70 text-sm font-medium dark:bg-slate-950/70" aria-live="polite">
            Reading…
          </span>
        )}
        <input
          id={inputId}
          type="file"
          accept={ACCEPT}
          aria-label={label}
          className="sr-only"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void loadImage(role, file, file.name);
            event.target.value = '';
          }}
        />
      </label>

      {slot.image && (
        <div className="flex items-center justify-between gap-2 text-sm" data-testid={`${role}-info`}>
          <span className="truncate" title={slot.image.name}>
            <span className="font-medium" data-testid={`${role}-size`}>
              {slot.image.width}×{slot.image.height}
            </span>{' '}
            · {slot.image.format.toUpperCase()} · {formatBytes(slot.image.byteLength)}
          </span>
          <button
            type="button"
            onClick={() => clearImage(role)}
            className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:outline-none dark:text-slate-300 dark:hover:bg-slate-800"
          >
            Clear<span className="sr-only"> {title.toLowerCase()}</span>
          </button>
        </div>
      )}

      {slot.error && <ErrorMessage role={role} error={slot.error} />}

      <form onSubmit={onAddress} className="flex gap-2">
        <label htmlFor={addressId} className="sr-only">
          {title}: image URL or base64
        </label>
        <input
          id={addressId}
          type="text"
          inputMode="url"
          placeholder="…or an image URL, data URL or base64"
          value={address}
          onChange={(event) => setAddress(event.target.value)}
          className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-500 focus:outline-none dark:border-slate-700 dark:bg-slate-950"
        />
        <button
          type="submit"
          className="rounded-lg bg-slate-800 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:outline-none dark:bg-slate-200 dark:text-slate-900 dark:hover:bg-white"
        >
          Load<span className="sr-only"> {title.toLowerCase()}</span>
        </button>
      </form>
    </section>
  );
}
