// The payment sandbox's cashier page as a browser uses it, for tests without one.

const decodeHtml = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** Presses the cashier page's "pay" button: posts its form as a browser would, without following the redirect. */
export async function pressPay(pageUrl: string): Promise<Response> {
  const html = await (await fetch(pageUrl)).text();
  const action = decodeHtml(/action="([^"]+)"/.exec(html)![1]!);
  const fields = [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [decodeHtml(m[1]!), decodeHtml(m[2]!)] as [string, string]);
  return fetch(new URL(action, pageUrl), { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}
