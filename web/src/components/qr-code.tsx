// A QR code as inline SVG (uqr: 4.5 KB gzipped, against 9.3 KB for qrcode 1.5; README "Web app"). Loaded
// only by the pages that show one, so the first page does not carry it.

import { renderSVG } from 'uqr';

export function QrCode({ text, label }: { text: string; label: string }) {
  return <div class="qr" role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: renderSVG(text, { border: 2 }) }} />;
}
