import { useId, useState, type DragEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ImageRole } from '../engine/errors.ts';
import { AddressForm } from './AddressForm.tsx';
import { card } from './classes.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { FaceChoices } from './FaceChoices.tsx';
import { FacePicker } from './FacePicker.tsx';
import { PictureInfo } from './PictureInfo.tsx';
import { useImages } from './state/images.ts';

interface Props {
  role: ImageRole;
  step: number;
  title: string;
  hint: string;
}

const ACCEPT = 'image/png,image/jpeg,image/webp,image/avif,image/gif,image/bmp';

/** One input picture: drop, browse, paste or type a URL / base64; shows its preview with its faces, size and any error. */
export function ImageDrop({ role, step, title, hint }: Props) {
  const { hasImage, busy, error } = useImages(useShallow((s) => ({ hasImage: !!s.slots[role].image, busy: s.slots[role].busy, error: s.slots[role].error })));
  const loadImage = useImages((s) => s.loadImage);
  const inputId = useId();
  const titleId = useId();
  const label = role === 'source' ? 'Source image' : 'Target image';

  return (
    <section data-role={role} aria-labelledby={titleId} className={card}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h2 id={titleId} className="flex items-center gap-2 text-lg font-semibold">
          <span aria-hidden="true" className="flex size-6 items-center justify-center rounded-full bg-indigo-600 text-xs font-bold text-white">
            {step}
          </span>
          {title}
        </h2>
        <span className="text-sm text-slate-600 dark:text-slate-400">{hint}</span>
      </div>

      <DropZone onFile={(file) => void loadImage(role, file, file.name)} onText={(text) => void loadImage(role, text, 'Dropped link')}>
        <input
          id={inputId}
          type="file"
          accept={ACCEPT}
          aria-label={label}
          className="peer sr-only"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void loadImage(role, file, file.name);
            event.target.value = '';
          }}
        />
        {hasImage ? (
          <FacePicker role={role} title={title} />
        ) : (
          <label htmlFor={inputId} className="flex h-full w-full cursor-pointer flex-col items-center justify-center gap-2 px-6 text-center text-sm text-slate-600 dark:text-slate-400">
            <svg aria-hidden="true" viewBox="0 0 24 24" className="size-8 text-slate-400" fill="none" stroke="currentColor" strokeWidth="1.5">
              <path d="M4 16l4.6-4.6a2 2 0 012.8 0L16 16m-2-2l1.6-1.6a2 2 0 012.8 0L20 14M14 8h.01M6 20h12a2 2 0 002-2V6a2 2 0 00-2-2H6a2 2 0 00-2 2v12a2 2 0 002 2z" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            <span>
              Drop a photo here, <span className="font-medium text-indigo-700 underline dark:text-indigo-300">click to browse</span>, or paste one (Ctrl/⌘ V)
            </span>
          </label>
        )}
        {busy && (
          <span className="absolute inset-0 flex items-center justify-center bg-white/70 text-sm font-medium dark:bg-slate-950/70" role="status">
            Reading…
          </span>
        )}
      </DropZone>

      <FaceChoices role={role} />
      {hasImage && <PictureInfo role={role} title={title} inputId={inputId} />}
      {error && <ErrorMessage role={role} error={error} />}
      <AddressForm role={role} title={title} />
    </section>
  );
}

/** The preview frame; a file or a link dropped on it is read, and it shows the focus of the file input inside it. */
function DropZone({ children, onFile, onText }: { children: ReactNode; onFile: (file: File) => void; onText: (text: string) => void }) {
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) onFile(file);
    else {
      const text = event.dataTransfer.getData('text/uri-list') || event.dataTransfer.getData('text/plain');
      if (text) onText(text);
    }
  };
  return (
    <div
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className={`relative flex aspect-[4/3] items-center justify-center overflow-hidden rounded-xl border-2 border-dashed transition has-[input[type=file]:focus-visible]:outline-2 has-[input[type=file]:focus-visible]:outline-offset-2 has-[input[type=file]:focus-visible]:outline-indigo-500 ${
        dragging ? 'border-indigo-500 bg-indigo-50 dark:bg-indigo-950' : 'border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-950'
      }`}
    >
      {children}
    </div>
  );
}
