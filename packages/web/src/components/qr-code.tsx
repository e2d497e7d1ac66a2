import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { errorMessage } from '../pages/form-helpers.js';

/**
 * The QR code of a URL, drawn in this browser (no outside service), as an image with a text alternative;
 * says so when it cannot be drawn, with `instead` (what to use instead, e.g. "Give the code instead.").
 */
export function QrCode({
  url,
  alt,
  className,
  size = 280,
  instead,
}: {
  url: string;
  alt: string;
  className: string;
  size?: number;
  instead: string;
}) {
  const [svg, setSvg] = useState<{ url: string; src: string } | { url: string; error: string } | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(
      (text) => {
        if (live) setSvg({ url, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}` });
      },
      (error: unknown) => {
        if (live) setSvg({ url, error: errorMessage(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [url]);
  if (!svg || svg.url !== url) return <p role="status">Drawing the code…</p>;
  if ('error' in svg)
    return (
      <p className="notice notice--error" role="alert">
        The code could not be drawn ({svg.error}). {instead}
      </p>
    );
  return <img className={className} src={svg.src} alt={alt} width={size} height={size} />;
}
