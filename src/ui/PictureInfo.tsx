import type { ImageRole } from '../engine/errors.ts';
import { button } from './classes.ts';
import { formatBytes } from './format-bytes.ts';
import { useImages } from './state/images.ts';

/** The picture's size and format, with Replace (opens the file chooser) and Clear. */
export function PictureInfo({ role, title, inputId }: { role: ImageRole; title: string; inputId: string }) {
  const image = useImages((s) => s.slots[role].image);
  const clearImage = useImages((s) => s.clearImage);
  if (!image) return null;
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 text-sm" data-testid={`${role}-info`}>
      <span className="min-w-0 truncate text-slate-700 dark:text-slate-300" title={image.name}>
        <span className="font-medium text-slate-900 dark:text-slate-100" data-testid={`${role}-size`}>
          {image.width}×{image.height}
        </span>{' '}
        · {image.format.toUpperCase()} · {formatBytes(image.byteLength)}
      </span>
      <span className="flex gap-1">
        {/* A label, not a button: the file input is the one tab stop for choosing a file. */}
        <label htmlFor={inputId} className={`${button.quiet} cursor-pointer`}>
          Replace
        </label>
        <button type="button" onClick={() => clearImage(role)} className={button.quiet}>
          Clear<span className="sr-only"> {title.toLowerCase()}</span>
        </button>
      </span>
    </div>
  );
}
