import { SOFT_ENLARGEMENT } from '../engine/job.ts';

/**
 * Says when the new face had to be enlarged from a smaller source face, so that a soft result is explained (and how
 * to get a sharper one) rather than left to look like a fault.
 */
export function SoftnessNote({ enlargement }: { enlargement: number }) {
  if (!(enlargement >= SOFT_ENLARGEMENT)) return null;
  return (
    <p data-testid="softness-note" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      The source face is smaller than the face it replaces: it was enlarged {enlargement.toFixed(1)}×, so the new face may look softer than
      the rest of the picture. A larger, sharper photo of the source face gives a crisper result.
    </p>
  );
}
