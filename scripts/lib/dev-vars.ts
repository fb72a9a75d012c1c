/**
 * `.dev.vars`: the local workers' secrets (wrangler reads this file next to wrangler.toml).
 *
 * Creates it with a random OPERATOR_TOKEN (32 bytes, hex) and ENCRYPTION_KEY (32 bytes, base64)
 * when missing, and appends whichever of the two an existing file lacks. Secret values are never
 * printed, except a newly generated operator token, once, because POST /v1/shops needs it.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { shown } from './paths.ts';

const generators: Record<string, () => string> = {
  OPERATOR_TOKEN: () => randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
};

/** Makes sure every required secret is in the file, and returns the file's variables. */
export function ensureDevVars(file: string): Record<string, string> {
  const existed = existsSync(file);
  const text = existed ? readFileSync(file, 'utf8') : '';
  const vars = parseEnv(text) as Record<string, string>;
  const missing = Object.keys(generators).filter((key) => !vars[key]);
  if (missing.length === 0) return vars;

  const lines = missing.map((key) => {
    vars[key] = generators[key]!();
    return `${key}=${vars[key]}`;
  });
  if (existed) {
    appendFileSync(file, (text === '' || text.endsWith('\n') ? '' : '\n') + lines.join('\n') + '\n');
    console.log(`Added ${missing.join(' and ')} to ${shown(file)}.`);
  } else {
    const header = '# Local secrets for `npm start` (never commit this file).\n';
    writeFileSync(file, header + lines.join('\n') + '\n', { mode: 0o600 });
    console.log(`Created ${shown(file)} with a random ${missing.join(' and ')}.`);
  }
  if (missing.includes('OPERATOR_TOKEN')) {
    console.log(`  OPERATOR_TOKEN=${vars.OPERATOR_TOKEN}   (operator API: Authorization: Bearer <token>)`);
  }
  return vars;
}
