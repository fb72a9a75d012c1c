/**
 * The variants of a template document: pick which text the editor and the preview show (the base
 * or one variant), add a variant, and set its A/B weight and audience (new or returning buyer, persona).
 */
import type { Schemas } from '../api/client';
import { useT } from '../i18n';
import type { Doc } from './template-editor';

type Variant = Schemas['TemplateVariant'];
/** Which text is being edited and previewed: the base, or a variant by index. */
export type Target = 'base' | number;

const personas = ['tiger', 'peacock', 'koala', 'owl'] as const;

export function Variants(props: {
  doc: Doc;
  setDoc: (doc: Doc) => void;
  target: Target;
  setTarget: (t: Target) => void;
}) {
  const t = useT();
  const variants = props.doc.variants ?? [];
  const update = (i: number, change: Partial<Variant>) =>
    props.setDoc({ ...props.doc, variants: variants.map((v, j) => (j === i ? { ...v, ...change } : v)) });
  const add = () => {
    const key = `v${variants.length + 2}`;
    props.setDoc({ ...props.doc, variants: [...variants, { key, weight: 100, parts: props.doc.parts }] });
    props.setTarget(variants.length);
  };
  const current = typeof props.target === 'number' ? variants[props.target] : undefined;
  return (
    <div class="row variants">
      <label>
        {t.editor.variant}
        <select
          data-testid="variant-target"
          value={String(props.target)}
          onChange={(e) => props.setTarget(e.currentTarget.value === 'base' ? 'base' : Number(e.currentTarget.value))}
        >
          <option value="base">{t.editor.baseText}</option>
          {variants.map((v, i) => (
            <option value={String(i)}>{v.key}</option>
          ))}
        </select>
      </label>
      {current && typeof props.target === 'number' && (
        <>
          <label>
            {t.editor.weight}
            <input
              type="number"
              min={0}
              max={10000}
              value={current.weight ?? 100}
              onInput={(e) => update(props.target as number, { weight: Number(e.currentTarget.value) })}
            />
          </label>
          <label>
            {t.editor.buyer}
            <select
              value={current.audience?.buyer ?? ''}
              onChange={(e) => {
                const buyer = (e.currentTarget.value || undefined) as 'new' | 'returning' | undefined;
                update(props.target as number, { audience: { ...current.audience, buyer } });
              }}
            >
              <option value="">{t.messages.any}</option>
              <option value="new">{t.editor.newBuyer}</option>
              <option value="returning">{t.editor.returningBuyer}</option>
            </select>
          </label>
          <label>
            {t.editor.persona}
            <select
              value={current.audience?.persona ?? ''}
              onChange={(e) => {
                const persona = (e.currentTarget.value || undefined) as (typeof personas)[number] | undefined;
                update(props.target as number, { audience: { ...current.audience, persona } });
              }}
            >
              <option value="">{t.messages.any}</option>
              {personas.map((p) => (
                <option value={p}>{p}</option>
              ))}
            </select>
          </label>
        </>
      )}
      <button type="button" class="secondary" onClick={add}>
        {t.editor.addVariant}
      </button>
    </div>
  );
}
