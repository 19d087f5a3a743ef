import { useId, useState, type FormEvent } from 'react';
import type { ImageRole } from '../engine/errors.ts';
import { focusRing } from './classes.ts';
import { useImages } from './state/images.ts';

/** A text field for an image URL, a data URL or bare base64. */
export function AddressForm({ role, title }: { role: ImageRole; title: string }) {
  const loadImage = useImages((s) => s.loadImage);
  const [address, setAddress] = useState('');
  const addressId = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const text = address.trim();
    if (text) void loadImage(role, text, /^https?:/i.test(text) ? text : 'Pasted data');
  };

  return (
    <form onSubmit={onSubmit} className="flex gap-2">
      <label htmlFor={addressId} className="sr-only">
        {title}: image URL or base64
      </label>
      <input
        id={addressId}
        type="text"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="…or an image URL, data URL or base64"
        value={address}
        onChange={(event) => setAddress(event.target.value)}
        className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm placeholder:text-slate-500 focus:ring-2 focus:ring-indigo-500 focus:outline-none dark:border-slate-700 dark:bg-slate-950 dark:placeholder:text-slate-400"
      />
      <button
        type="submit"
        className={`rounded-lg bg-slate-800 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700 dark:bg-slate-200 dark:text-slate-900 dark:hover:bg-white ${focusRing}`}
      >
        Load<span className="sr-only"> {title.toLowerCase()}</span>
      </button>
    </form>
  );
}
