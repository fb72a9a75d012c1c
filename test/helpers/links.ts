/** Reading the short links in a planned text: where each `${PUBLIC_URL}/s/<code>` leads. */
import { env } from 'cloudflare:workers';

/** The destinations of the short links in `body`, in order; throws on a code with no row. */
export async function linkTargets(body: string): Promise<string[]> {
  const prefix = `${env.PUBLIC_URL.replace(/\/$/, '')}/s/`;
  const codes = body
    .split(prefix)
    .slice(1)
    .map((rest) => rest.slice(0, 8));
  const out: string[] = [];
  for (const code of codes) {
    const row = await env.DB.prepare('SELECT destination FROM short_links WHERE code = ?')
      .bind(code)
      .first<{ destination: string }>();
    if (!row) throw new Error(`no short link ${code}`);
    out.push(row.destination);
  }
  return out;
}
