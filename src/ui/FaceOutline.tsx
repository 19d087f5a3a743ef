import type { ImageRole } from '../engine/errors.ts';
import type { FaceSummary } from '../engine/job.ts';

interface Props {
  role: ImageRole;
  face: FaceSummary;
  picture: { width: number; height: number };
  /** A radio button when there is a choice; a plain outline otherwise. */
  pickable: boolean;
  /** This face is the one chosen. */
  checked: boolean;
  /** This face will be swapped (chosen, or all faces are). */
  selected: boolean;
  onChoose(): void;
}

const pct = (value: number, of: number) => `${(value / of) * 100}%`;

/** One detected face: a box over it with its number (1-based; its API index is one less). */
export function FaceOutline({ role, face, picture, pickable, checked, selected, onChoose }: Props) {
  // What shows of the face: a face the frame cuts has its box reach past the picture, and its number with it.
  const x = Math.max(0, face.box.x);
  const y = Math.max(0, face.box.y);
  const width = Math.min(picture.width, face.box.x + face.box.width) - x;
  const height = Math.min(picture.height, face.box.y + face.box.height) - y;
  const number = face.index + 1;
  // Centred on the face and never smaller than a comfortable touch target.
  const style = {
    left: pct(x + width / 2, picture.width),
    top: pct(y + height / 2, picture.height),
    width: `max(1.75rem, ${pct(width, picture.width)})`,
    height: `max(1.75rem, ${pct(height, picture.height)})`,
  };
  const frame = `absolute -translate-x-1/2 -translate-y-1/2 rounded-md border-2 transition ${
    selected ? 'border-emerald-400 bg-emerald-400/10 shadow-[0_0_0_1px_rgba(0,0,0,0.6)]' : 'border-white/90 border-dashed shadow-[0_0_0_1px_rgba(0,0,0,0.5)]'
  }`;
  // The number sits above the box, or inside it when the face touches the top of the picture.
  const above = y / picture.height > 0.06;
  const badge = `absolute -top-0.5 -left-0.5 flex h-5 min-w-5 ${above ? '-translate-y-full' : ''} items-center justify-center rounded px-1 text-xs font-bold ${
    selected ? 'bg-emerald-400 text-slate-950' : 'bg-white text-slate-900'
  }`;

  if (!pickable) {
    return (
      <div aria-hidden="true" className={frame} style={style} data-face-index={face.index}>
        <span className={badge}>{number}</span>
      </div>
    );
  }
  return (
    <label
      className={`${frame} cursor-pointer hover:border-emerald-300 has-[input:focus-visible]:outline-4 has-[input:focus-visible]:outline-offset-2 has-[input:focus-visible]:outline-yellow-300`}
      style={style}
      data-face-index={face.index}
    >
      <input type="radio" name={`${role}-face`} value={face.index} checked={checked} onChange={onChoose} className="absolute inset-0 m-0 size-full cursor-pointer appearance-none opacity-0" />
      <span aria-hidden="true" className={badge}>
        {number}
      </span>
      <span className="sr-only">Face {number}</span>
    </label>
  );
}
