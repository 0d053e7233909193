// Where a wallet sends the resident back after paying in the phone's browser (h5): the web app's pay page of
// the bill, naming the payment, so the page picks the payment up and shows the receipt once it is booked.
// WEB_URL is the web app's origin (the Web stack's in AWS, the local server's own under `npm start`). The
// address is made here from configuration and never taken from the request: a client-supplied one would turn
// the wallet into an open redirect. Without WEB_URL an H5 order is still made, only without the way back.
// Read when an H5 order is sent, like the notify URL.

import { payPagePath } from '../../../shared/web-pages.ts';

export function returnUrlOf(billId: string, paymentId: string): string | undefined {
  const webUrl = process.env.WEB_URL;
  return webUrl ? new URL(payPagePath(billId, paymentId), webUrl).href : undefined;
}
