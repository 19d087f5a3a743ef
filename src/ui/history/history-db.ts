import type { OutputFormat } from '../../engine/formats.ts';
import { Database, openDatabase } from './idb.ts';

/** What the history list shows of a past result. */
export interface HistoryRecord {
  jobId: string;
  createdAt: number;
  fileName: string;
  outputFormat: OutputFormat;
  resolution: string;
  processingTime: number;
  facesDetected: number;
  /** A small WebP preview. */
  thumbnail: Blob;
}

/** Entries apart from the full results, so listing the history never reads the big files. */
interface Schema {
  entries: HistoryRecord;
  results: Blob;
}

/** Results kept; the oldest go first. */
export const HISTORY_LIMIT = 20;

let connection: Promise<IDBDatabase> | null = null;
const db = new Database<Schema>(() => {
  connection ??= openDatabase('faceswap-studio', 1, (database) => {
    database.createObjectStore('entries', { keyPath: 'jobId' });
    database.createObjectStore('results');
  }).catch((error: unknown) => {
    connection = null;
    throw error;
  });
  return connection;
});

/** Every entry, newest first. */
export async function listHistory(): Promise<HistoryRecord[]> {
  const entries = await db.transaction(['entries'], 'readonly', (tx) => tx.getAll('entries'));
  return entries.sort((a, b) => b.createdAt - a.createdAt);
}

/** Saves a result and its entry, dropping the oldest beyond {@link HISTORY_LIMIT}. Resolves with the ids dropped. */
export async function addToHistory(record: HistoryRecord, result: Blob): Promise<string[]> {
  return db.transaction(['entries', 'results'], 'readwrite', async (tx) => {
    await tx.put('entries', record);
    await tx.put('results', result, record.jobId);
    const all = (await tx.getAll('entries')).sort((a, b) => b.createdAt - a.createdAt);
    const dropped = all.slice(HISTORY_LIMIT).map((entry) => entry.jobId);
    await Promise.all(dropped.flatMap((id) => [tx.delete('entries', id), tx.delete('results', id)]));
    return dropped;
  });
}

/** The full result of an entry. */
export function readResult(jobId: string): Promise<Blob | undefined> {
  return db.transaction(['results'], 'readonly', (tx) => tx.get('results', jobId));
}

export function deleteFromHistory(jobId: string): Promise<void> {
  return db.transaction(['entries', 'results'], 'readwrite', async (tx) => {
    await Promise.all([tx.delete('entries', jobId), tx.delete('results', jobId)]);
  });
}

export function clearHistory(): Promise<void> {
  return db.transaction(['entries', 'results'], 'readwrite', async (tx) => {
    await Promise.all([tx.clear('entries'), tx.clear('results')]);
  });
}
