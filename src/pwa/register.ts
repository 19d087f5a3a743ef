/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';

/** What the service worker has to say to the page. */
export interface PwaState {
  /** A new version is installed and waits for the person to accept it. */
  needRefresh: boolean;
  /** The first install finished: everything the app needs is cached and it now works offline. */
  offlineReady: boolean;
}

const UPDATE_CHECK_MS = 60 * 60 * 1000;

let state: PwaState = { needRefresh: false, offlineReady: false };
const listeners = new Set<() => void>();
let activate: (() => Promise<void>) | undefined;

function patch(next: Partial<PwaState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore. */
export function subscribePwa(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function pwaState(): PwaState {
  return state;
}

/** Moves to the waiting version: it takes control and the page reloads into it. */
export function applyUpdate(): Promise<void> {
  return activate ? activate() : Promise.resolve();
}

export function dismissPwaMessage(): void {
  patch({ needRefresh: false, offlineReady: false });
}

/**
 * Registers the service worker (production builds only: in dev `virtual:pwa-register` does nothing), after the page's
 * load event so that its precache download does not compete with the first render. Loaded from index.html's head,
 * before the app's own script, so it registers whatever happens to React.
 */
function register(): void {
  activate = registerSW({
    onNeedRefresh: () => patch({ needRefresh: true }),
    onOfflineReady: () => patch({ offlineReady: true }),
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      const check = () => {
        if (navigator.onLine && !registration.installing) registration.update().catch(() => undefined);
      };
      setInterval(check, UPDATE_CHECK_MS);
      document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && check());
    },
  });
}

register();
