// The QR code component, fetched the first time a page needs it.

import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

type QrProps = { text: string; label: string };

export function LazyQrCode(props: QrProps) {
  const [QrCode, setQrCode] = useState<FunctionComponent<QrProps>>();
  useEffect(() => {
    void import('./qr-code.tsx').then((module) => setQrCode(() => module.QrCode));
  }, []);
  return QrCode ? <QrCode {...props} /> : <div class="qr" aria-hidden="true" />;
}
