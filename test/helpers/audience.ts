/**
 * Audience variants in every flow: one published SMS template per kind with a returning-buyer
 * variant and a persona variant, and the four buyers that tell them apart. Each flow's test drives
 * real orders of these buyers through the flow and checks the variant and text its message recorded.
 */
import { env } from 'cloudflare:workers';
import type { Persona } from '../../shared/templates/document';
import type { MessageKind } from '../../shared/templates/kinds';

export const PERSONA = 'owl' as const satisfies Persona;

/** Base text, returning-buyer variant, persona variant: each names itself and renders a variable. */
export const audienceTexts = {
  base: '新朋友{{ buyer.name }}：{{ order.id }}',
  returning: '老朋友{{ buyer.name }}：{{ order.id }}',
  [PERSONA]: '细心的{{ buyer.name }}：{{ order.id }}',
} as const;

/**
 * Who gets which: no history and no tag gets the base; a buyer who paid before gets the returning
 * variant; a tagged buyer gets the persona variant, also when returning (a persona is the closer match).
 */
export const audienceCases = [
  { name: 'new', returning: false, tags: [] as string[], variant: 'base', prefix: '新朋友' },
  { name: 'returning', returning: true, tags: [] as string[], variant: 'returning', prefix: '老朋友' },
  { name: 'persona', returning: false, tags: [PERSONA], variant: PERSONA, prefix: '细心的' },
  { name: 'returning persona', returning: true, tags: [PERSONA], variant: PERSONA, prefix: '细心的' },
] as const;

export type AudienceCase = (typeof audienceCases)[number];

/** The text the case's message must carry, before any signature. */
export const expectedText = (c: AudienceCase, buyerName: string, orderId: string) =>
  `${c.prefix}${buyerName}：${orderId}`;

/** Publishes the shop's zh-CN SMS template of `kind` with the two audience variants. */
export async function publishAudienceTemplate(shopId: string, kind: MessageKind, locale = 'zh-CN') {
  const now = Date.now();
  const version = `tv_${crypto.randomUUID()}`;
  const template = `tpl_${crypto.randomUUID()}`;
  const content = {
    parts: { body: audienceTexts.base },
    variants: [
      { key: 'returning', audience: { buyer: 'returning' }, parts: { body: audienceTexts.returning } },
      { key: PERSONA, audience: { persona: PERSONA }, parts: { body: audienceTexts[PERSONA] } },
    ],
  };
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO templates (id, shop_id, kind, channel, locale, published_version_id, created_at, updated_at)
       VALUES (?, ?, ?, 'sms', ?, ?, ?, ?)`,
    ).bind(template, shopId, kind, locale, version, now, now),
    env.DB.prepare(
      `INSERT INTO template_versions (id, shop_id, template_id, version, status, content, created_at, published_at)
       VALUES (?, ?, ?, 1, 'published', ?, ?, ?)`,
    ).bind(version, shopId, template, JSON.stringify(content), now, now),
  ]);
}
