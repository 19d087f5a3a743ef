import { useLayoutEffect, useRef, useState, type PointerEvent } from 'react';
import { RangeField } from './RangeField.tsx';

interface Props {
  after: string;
  before?: string;
  width: number;
  height: number;
}

/**
 * The result, large, with the original over its left part up to a divider: drag on the picture or use the
 * "Before / after" slider (arrow keys) to move it, and the zoom slider to look closer (scroll to pan).
 */
export function CompareView({ after, before, width, height }: Props) {
  const [position, setPosition] = useState(50);
  const [zoom, setZoom] = useState(100);
  const dragging = useRef(false);
  const viewport = useRef<HTMLDivElement>(null);
  const centre = useRef({ x: 0.5, y: 0.5 });

  // Zooming keeps the point at the centre of the view where it was.
  const zoomTo = (next: number) => {
    const view = viewport.current;
    if (view) {
      centre.current = {
        x: (view.scrollLeft + view.clientWidth / 2) / Math.max(1, view.scrollWidth),
        y: (view.scrollTop + view.clientHeight / 2) / Math.max(1, view.scrollHeight),
      };
    }
    setZoom(next);
  };
  useLayoutEffect(() => {
    const view = viewport.current;
    if (!view) return;
    view.scrollLeft = centre.current.x * view.scrollWidth - view.clientWidth / 2;
    view.scrollTop = centre.current.y * view.scrollHeight - view.clientHeight / 2;
  }, [zoom]);
  const ratio = width / height;

  const moveTo = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    setPosition(Math.round(Math.min(100, Math.max(0, ((event.clientX - rect.left) / rect.width) * 100))));
  };
  // With a mouse, dragging moves the divider at any zoom; with touch only at 100 %, so a zoomed picture can be panned.
  const drags = (event: PointerEvent) => before !== undefined && (event.pointerType === 'mouse' || zoom === 100);

  return (
    <div className="flex flex-col gap-3">
      <div ref={viewport} className="max-h-[70vh] overflow-auto rounded-xl bg-slate-100 dark:bg-slate-950" tabIndex={zoom > 100 ? 0 : undefined} aria-label={zoom > 100 ? 'Zoomed result (scroll to pan)' : undefined} role={zoom > 100 ? 'region' : undefined}>
        <div
          className={`relative mx-auto select-none ${before ? 'cursor-ew-resize' : ''} ${zoom === 100 ? 'touch-pan-y' : ''}`}
          style={{ width: `calc(${zoom / 100} * min(100%, ${(70 * ratio).toFixed(3)}vh))`, aspectRatio: `${width} / ${height}` }}
          onPointerDown={(event) => {
            if (!drags(event)) return;
            dragging.current = true;
            event.currentTarget.setPointerCapture(event.pointerId);
            moveTo(event);
          }}
          onPointerMove={(event) => dragging.current && moveTo(event)}
          onPointerUp={() => (dragging.current = false)}
          onPointerCancel={() => (dragging.current = false)}
        >
          <img src={after} alt="Swapped result" draggable={false} className="absolute inset-0 h-full w-full" data-testid="result-image" />
          {before && (
            <>
              <img src={before} alt="" aria-hidden="true" draggable={false} className="absolute inset-0 h-full w-full" style={{ clipPath: `inset(0 ${100 - position}% 0 0)` }} />
              <div aria-hidden="true" className="pointer-events-none absolute inset-y-0 w-0.5 -translate-x-1/2 bg-white shadow-[0_0_0_1px_rgba(0,0,0,0.4)]" style={{ left: `${position}%` }}>
                <span className="absolute top-1/2 left-1/2 flex size-8 -translate-x-1/2 -translate-y-1/2 items-center justify-center rounded-full bg-white text-slate-900 shadow">⇔</span>
              </div>
              <span aria-hidden="true" className="pointer-events-none absolute top-2 left-2 rounded bg-black/60 px-2 py-0.5 text-xs font-medium text-white">
                Before
              </span>
              <span aria-hidden="true" className="pointer-events-none absolute top-2 right-2 rounded bg-black/60 px-2 py-0.5 text-xs font-medium text-white">
                After
              </span>
            </>
          )}
        </div>
      </div>
      <div className="grid gap-3 text-sm sm:grid-cols-2">
        {before && (
          <RangeField label="Before / after" min={0} max={100} value={position} valueText={`${position}% before, ${100 - position}% after`} onChange={setPosition} />
        )}
        <RangeField label="Zoom" min={100} max={400} step={25} value={zoom} valueText={`${zoom}%`} onChange={zoomTo}>
          <output className="w-12 text-right tabular-nums">{zoom}%</output>
        </RangeField>
      </div>
    </div>
  );
}
