import { useShallow } from 'zustand/react/shallow';
import type { ImageRole } from '../engine/errors.ts';
import { FaceOutline } from './FaceOutline.tsx';
import { useImages } from './state/images.ts';

/**
 * The picture's preview with every detected face outlined and numbered. When there is a choice to make, each outline
 * is a radio button (click it, or Tab into the group and use the arrow keys); "All faces" sits below the picture.
 */
export function FacePicker({ role, title }: { role: ImageRole; title: string }) {
  const { image, faces, choice } = useImages(useShallow((s) => ({ image: s.slots[role].image, faces: s.slots[role].faces, choice: s.slots[role].choice })));
  const chooseFace = useImages((s) => s.chooseFace);
  if (!image) return null;
  const wide = image.width / image.height >= 4 / 3;
  const pickable = (faces?.length ?? 0) > 1;

  return (
    <div
      className="relative max-h-full max-w-full"
      style={{ aspectRatio: `${image.width} / ${image.height}`, ...(wide ? { width: '100%' } : { height: '100%' }) }}
      data-testid={`${role}-picture`}
    >
      <img src={image.previewUrl} alt={`${title} preview`} draggable={false} className="absolute inset-0 h-full w-full select-none" />
      {faces?.map((face) => (
        <FaceOutline
          key={face.index}
          role={role}
          face={face}
          picture={image}
          pickable={pickable}
          checked={choice === face.index}
          selected={choice === face.index || (role === 'target' && choice === null)}
          onChoose={() => chooseFace(role, face.index)}
        />
      ))}
    </div>
  );
}
