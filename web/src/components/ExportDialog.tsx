/** A larger preview of one image, and its export as PNG (four sizes), JPG or SVG. */
import { useEffect, useRef, useState } from 'react';
import { EXPORT_FORMATS, EXPORT_SIZES, exportFileName, exportImage, saveBlob, type ExportFormat, type ExportSize } from '../api/exports';
import type { TileImage } from './ConceptTile';
import { ErrorAlert } from './ErrorAlert';

export function ExportDialog({ image, conceptName, onClose }: { image: TileImage | null; conceptName: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [format, setFormat] = useState<ExportFormat>('png');
  const [size, setSize] = useState<ExportSize>('medium');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (image && !element.open) {
      setError(null);
      setSaved(null);
      element.showModal();
    } else if (!image && element.open) element.close();
  }, [image]);

  async function download() {
    if (!image) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const blob = await exportImage(image, format, size);
      const name = exportFileName([conceptName.split(',')[0] ?? '', image.variation ? image.variation.palette_name : 'base', size], format);
      saveBlob(blob, name);
      setSaved(name);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="export-title" onClose={onClose}>
      {image && (
        <div className="dialog__body">
          <div className="dialog__preview checker">
            <img src={image.imageUrl} alt={image.alt} />
          </div>
          <div className="dialog__options">
            <h2 id="export-title" className="dialog__title">Export “{image.title}”</h2>
            <fieldset className="choice-group">
              <legend>Format</legend>
              {EXPORT_FORMATS.map((f) => (
                <label key={f.value} className="choice">
                  <input type="radio" name="export-format" value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} />
                  <span className="choice__label">{f.label}</span>
                  <span className="choice__hint">{f.hint}</span>
                </label>
              ))}
            </fieldset>
            <fieldset className="choice-group">
              <legend>Size</legend>
              {EXPORT_SIZES.map((s) => (
                <label key={s.value} className="choice">
                  <input type="radio" name="export-size" value={s.value} checked={size === s.value} onChange={() => setSize(s.value)} />
                  <span className="choice__label">{s.label}</span>
                </label>
              ))}
            </fieldset>
            {error && <ErrorAlert title="The export failed" error={error} />}
            <p className="dialog__status" role="status">{saved ? `Downloaded ${saved}` : ''}</p>
            <div className="dialog__actions">
              <button type="button" className="button" onClick={() => dialog.current?.close()}>Close</button>
              <button type="button" className="button button--primary" onClick={() => void download()} disabled={busy}>
                {busy ? 'Preparing…' : `Download ${format.toUpperCase()}`}
              </button>
            </div>
            <a className="dialog__link" href={image.imageUrl} target="_blank" rel="noopener noreferrer">Open the stored image in a new tab</a>
          </div>
        </div>
      )}
    </dialog>
  );
}
