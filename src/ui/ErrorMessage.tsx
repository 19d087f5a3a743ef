import type { FaceSwapErrorInfo, ImageRole } from '../engine/errors.ts';
import { button } from './classes.ts';
import { useImages } from './state/images.ts';

/** A coded error in plain words, next to the picture it concerns. */
export function ErrorMessage({ role, error }: { role: ImageRole; error: FaceSwapErrorInfo }) {
  const dismissError = useImages((s) => s.dismissError);
  return (
    <div
      role="alert"
      data-testid={`${role}-error`}
      data-code={error.code}
      className="flex items-start justify-between gap-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <p className="min-w-0 break-words">
        <code className="mr-1 font-semibold">{error.code}</code> {error.message}
      </p>
      <button type="button" onClick={() => dismissError(role)} className={`${button.quiet} shrink-0 text-red-900 hover:bg-red-100 dark:text-red-100 dark:hover:bg-red-900`}>
        Dismiss
      </button>
    </div>
  );
}
