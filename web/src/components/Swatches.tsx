/** A palette's colours as chips; each copies its hex code when pressed. */
import { useState } from 'react';

export function Swatches({ colors, name }: { colors: string[]; name: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (hex: string) => {
    try {
      await navigator.clipboard.writeText(hex);
      setCopied(hex);
      setTimeout(() => setCopied((c) => (c === hex ? null : c)), 1500);
    } catch {
      // No clipboard (insecure context): the code is in the title and the accessible name anyway.
    }
  };
  return (
    <ul className="swatches" aria-label={`${name} colours`}>
      {colors.map((hex, index) => (
        <li key={`${hex}-${index}`}>
          <button
            type="button"
            className="swatch"
            style={{ backgroundColor: hex }}
            title={copied === hex ? 'Copied' : `${hex.toUpperCase()} (copy)`}
            aria-label={`Copy ${hex.toUpperCase()}`}
            onClick={() => void copy(hex)}
          />
        </li>
      ))}
      <li className="swatches__status" aria-live="polite">{copied ? `Copied ${copied.toUpperCase()}` : ''}</li>
    </ul>
  );
}
