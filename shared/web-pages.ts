// The resident web app's pages that the API itself sends people to: a wallet brings the resident back to
// the pay page after paying in the phone's browser. web/src/page-paths.ts routes by these same patterns, so
// the address the API builds is always a page the app has.

export const PAY_PAGE = '/my-bills/:id/pay';

/** The pay page of a bill showing one of its payments (`?payment=`), which the page then looks up. */
export const payPagePath = (billId: string, paymentId: string): string =>
  `${PAY_PAGE.replace(':id', encodeURIComponent(billId))}?${new URLSearchParams({ payment: paymentId })}`;
