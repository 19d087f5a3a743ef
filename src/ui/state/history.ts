import { create } from 'zustand';
import { saveBlob } from '../../api/index.ts';
import { addToHistory, clearHistory, deleteFromHistory, listHistory, readResult, type HistoryRecord } from '../history/history-db.ts';
import { thumbnailOf } from '../history/thumbnail.ts';

/** A past result as the list shows it: its fields and a thumbnail URL; the result itself stays in IndexedDB. */
export type HistoryEntry = Omit<HistoryRecord, 'thumbnail'> & { thumbnailUrl: string };

interface HistoryState {
  entries: HistoryEntry[];
  loaded: boolean;
  /** A storage failure in plain words (e.g. the disk is full); the studio goes on without history. */
  problem?: string;
  load(): Promise<void>;
  add(record: Omit<HistoryRecord, 'thumbnail' | 'createdAt'> & { width: number; height: number }, result: Blob): Promise<void>;
  download(jobId: string): Promise<void>;
  remove(jobId: string): Promise<void>;
  clear(): Promise<void>;
}

const toEntry = ({ thumbnail, ...fields }: HistoryRecord): HistoryEntry => ({ ...fields, thumbnailUrl: URL.createObjectURL(thumbnail) });
const describe = (caught: unknown) => (caught instanceof Error ? caught.message : String(caught));

/** Recent results, kept in IndexedDB so they survive a reload. */
export const useHistory = create<HistoryState>()((set, get) => {
  const replaceEntries = (entries: HistoryEntry[]) => {
    const kept = new Set(entries.map((entry) => entry.thumbnailUrl));
    for (const old of get().entries) if (!kept.has(old.thumbnailUrl)) URL.revokeObjectURL(old.thumbnailUrl);
    set({ entries });
  };

  return {
    entries: [],
    loaded: false,

    async load() {
      try {
        const records = await listHistory();
        replaceEntries(records.map(toEntry));
        set({ loaded: true, problem: undefined });
      } catch (caught) {
        set({ loaded: true, problem: `History is unavailable in this browser: ${describe(caught)}` });
      }
    },

    async add({ width, height, ...fields }, result) {
      try {
        const thumbnail = await thumbnailOf(result, width, height);
        const record: HistoryRecord = { ...fields, createdAt: Date.now(), thumbnail };
        const dropped = new Set(await addToHistory(record, result));
        const kept = get().entries.filter((entry) => !dropped.has(entry.jobId) && entry.jobId !== record.jobId);
        replaceEntries([toEntry(record), ...kept]);
        set({ problem: undefined });
      } catch (caught) {
        set({ problem: `This result could not be kept in the history (${describe(caught)}). Download it to keep it.` });
      }
    },

    async download(jobId) {
      const entry = get().entries.find((e) => e.jobId === jobId);
      const blob = await readResult(jobId).catch(() => undefined);
      if (!entry || !blob) {
        set({ problem: 'That result is no longer stored.' });
        return;
      }
      await saveBlob(blob, entry.fileName);
    },

    async remove(jobId) {
      await deleteFromHistory(jobId).catch((caught: unknown) => set({ problem: describe(caught) }));
      replaceEntries(get().entries.filter((entry) => entry.jobId !== jobId));
    },

    async clear() {
      await clearHistory().catch((caught: unknown) => set({ problem: describe(caught) }));
      replaceEntries([]);
    },
  };
});
