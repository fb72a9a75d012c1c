/**
 * What one template version stores: the base parts, optional A/B and audience
 * variants, and the persona tags an audience can name. Kept out of the
 * database schema so templates and channels do not depend on it.
 */
import type { TemplateContent } from '../channels/channel';

export const personas = ['tiger', 'peacock', 'koala', 'owl'] as const;
export type Persona = (typeof personas)[number];

/** An A/B variant (no audience) or an audience variant (new/returning buyer, persona tag). */
export type TemplateVariant<P = TemplateContent> = {
  key: string;
  audience?: { buyer?: 'new' | 'returning'; persona?: Persona };
  weight?: number;
  parts: P;
};

/** The base parts, the base's A/B weight, and its variants. */
export type TemplateDocument<P = TemplateContent> = { parts: P; weight?: number; variants?: TemplateVariant<P>[] };
