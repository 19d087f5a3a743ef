import { create } from 'zustand';
import type { EngineInfo } from '../../worker/api.ts';
import { studio } from '../studio-client.ts';

interface RuntimeState {
  info?: EngineInfo;
  error?: string;
  start(): Promise<void>;
}

/** The engine's backend and encodable formats, learnt once at start-up. */
export const useRuntime = create<RuntimeState>()((set) => ({
  async start() {
    try {
      set({ info: await studio.info(), error: undefined });
    } catch (caught) {
      set({ error: caught instanceof Error ? caught.message : String(caught) });
    }
  },
}));
