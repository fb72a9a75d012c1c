/**
 * The HTML of the address pages: one small, self-contained, phone-first
 * document (inline CSS, no script, no external asset). `html` from hono/html
 * escapes every interpolated value; only the page's own markup is raw.
 */
import { html, raw } from 'hono/html';
import type { MaskedAddress } from '../../../shared/text/mask';
import type { Copy, PageLocale } from './copy';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",
"Segoe UI",Roboto,sans-serif;background:#f5f5f4;color:#1c1917}main{max-width:28rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.3rem;margin:.5rem 0 1rem}.card{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem;
box-shadow:0 1px 2px rgba(0,0,0,.06)}.muted{color:#57534e;font-size:.9rem}.addr{font-size:1.05rem;margin:.25rem 0}
button{display:block;width:100%;font:inherit;font-weight:600;padding:.8rem;border-radius:.6rem;border:0;margin:.5rem 0;
cursor:pointer}.primary{background:#16a34a;color:#fff}
summary{list-style:none;cursor:pointer}summary::-webkit-details-marker{display:none}textarea{width:100%;
min-height:6rem;font:inherit;padding:.6rem;border:1px solid #d6d3d1;border-radius:.5rem}
.toggle{display:block;text-align:center;font-weight:600;padding:.8rem;border-radius:.6rem;background:#e7e5e4}
.error{color:#b91c1c}.note{background:#f0fdf4;border-left:3px solid #16a34a;padding:.5rem .75rem}`;

function layout(locale: PageLocale, title: string, shopName: string | null, body: unknown) {
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}${shopName ? ` · ${shopName}` : ''}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <main>
          ${shopName ? html`<p class="muted">${shopName}</p>` : ''}
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

/** A page that only says something: done, shipped, expired, invalid. */
export function messagePage(
  locale: PageLocale,
  title: string,
  text: string,
  opts: { shopName?: string | null; quote?: { label: string; text: string } } = {},
) {
  const quote = opts.quote
    ? html`<div class="card">
        <p class="muted">${opts.quote.label}</p>
        <p>${opts.quote.text}</p>
      </div>`
    : '';
  return layout(
    locale,
    title,
    opts.shopName ?? null,
    html`<div class="card"><p>${text}</p></div>
      ${quote}`,
  );
}

export type FormPage = {
  locale: PageLocale;
  t: Copy;
  shopName: string;
  orderId: string;
  address: MaskedAddress | null;
  confirmed: boolean;
  error?: string;
  correction?: string;
};

/** The question: the masked address, "looks right", and "needs a change" with a free-text correction. */
export function formPage(p: FormPage) {
  const { t } = p;
  const address = p.address
    ? html`<p class="addr">${p.address.region}${p.address.street ? ` ${p.address.street}` : ''}</p>
        <p class="muted">${[p.address.name, p.address.phone].filter(Boolean).join(' ')}</p>`
    : html`<p>${t.noAddress}</p>`;
  const confirm =
    p.address && !p.confirmed
      ? html`<form method="post"><button class="primary" name="action" value="confirm">${t.confirm}</button></form>`
      : '';
  const note = p.confirmed ? html`<p class="note">${t.confirmedNote}</p>` : '';
  const error = p.error ? html`<p class="error" role="alert">${p.error}</p>` : '';
  const open = p.error || !p.address || p.confirmed ? raw(' open') : '';
  const body = html`<p>${t.intro}</p>
<div class="card"><p class="muted">${t.order} ${p.orderId}</p>${address}</div>
${note}${confirm}
<details${open}><summary class="toggle">${t.needsChange}</summary>
<form method="post" class="card">
<input type="hidden" name="action" value="correct">
<label for="correction">${t.correctionLabel}</label>
<textarea id="correction" name="correction" maxlength="500" placeholder="${t.correctionHint}" required>${p.correction ?? ''}</textarea>
${error}<button class="primary">${t.send}</button>
</form></details>`;
  return layout(p.locale, t.title, p.shopName, body);
}
