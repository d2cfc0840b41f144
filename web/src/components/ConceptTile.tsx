/** One image of a concept — the base logo or a colour variation — with its palette and actions. */
import type { StorageRef } from '../api/exports';
import type { VariationView } from '../api/types';
import { Swatches } from './Swatches';

export interface TileImage {
  key: string;
  title: string;
  imageUrl: string;
  alt: string;
  /** Where the image is stored, when the API says so (export names it by that). */
  storage: StorageRef | null;
  variation: VariationView | null;
}

function DownloadIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M12 3v12m0 0-5-5m5 5 5-5M4 19h16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function ConceptTile({ image, onOpen }: { image: TileImage; onOpen: (image: TileImage) => void }) {
  const { variation } = image;
  return (
    <li className={`tile${variation ? '' : ' tile--base'}`} data-kind={variation ? 'variation' : 'base'}>
      <button type="button" className="tile__image" onClick={() => onOpen(image)} aria-label={`Preview and export ${image.title}`}>
        <img src={image.imageUrl} alt={image.alt} width={512} height={512} />
        {!variation && <span className="tile__badge">Base logo</span>}
      </button>
      <div className="tile__body">
        <div className="tile__head">
          <h3 className="tile__title">{image.title}</h3>
          <button type="button" className="icon-button" onClick={() => onOpen(image)} aria-label={`Export ${image.title}`} title="Export">
            <DownloadIcon />
          </button>
        </div>
        {variation ? (
          <>
            <Swatches colors={variation.colors} name={variation.palette_name} />
            {variation.description && <p className="tile__description">{variation.description}</p>}
          </>
        ) : (
          <p className="tile__description">The logo before recolouring; every variation starts from it.</p>
        )}
      </div>
    </li>
  );
}
