/**
 * Object URLs shared by several owners (an input picture and the result that shows it as "before"):
 * each owner releases its reference, and the URL is revoked when the last one does.
 */
const owners = new Map<string, number>();

/** A new object URL for `blob`, with one owner. */
export function createUrl(blob: Blob): string {
  const url = URL.createObjectURL(blob);
  owners.set(url, 1);
  return url;
}

/** Adds an owner to a URL made by {@link createUrl}. */
export function retainUrl(url: string): string {
  owners.set(url, (owners.get(url) ?? 0) + 1);
  return url;
}

/** Drops an owner; the last one revokes the URL. */
export function releaseUrl(url: string | undefined): void {
  if (!url) return;
  const left = (owners.get(url) ?? 1) - 1;
  if (left > 0) owners.set(url, left);
  else {
    owners.delete(url);
    URL.revokeObjectURL(url);
  }
}
