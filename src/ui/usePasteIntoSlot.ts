import { useEffect } from 'react';
import type { ImageRole } from '../engine/errors.ts';
import { useImages } from './state/images.ts';

/** Pasting an image (or an image URL / data URL) fills the slot that has focus, else the first empty one. */
export function usePasteIntoSlot(): void {
  const loadImage = useImages((s) => s.loadImage);
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const focusedField = document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'text';
      if (focusedField) return; // let text fields receive pasted text
      const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
      const text = event.clipboardData?.getData('text/plain').trim();
      if (!file && !text) return;
      const focusedRole = document.activeElement?.closest<HTMLElement>('[data-role]')?.dataset.role as ImageRole | undefined;
      const { slots } = useImages.getState();
      const role: ImageRole = focusedRole ?? (!slots.source.image ? 'source' : 'target');
      event.preventDefault();
      void loadImage(role, file ?? text!, file?.name || 'Pasted image');
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [loadImage]);
}
