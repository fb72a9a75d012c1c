/** Placeholder. */
export function TemplateEditor(_props: { kind: string; channel: string; locale: string }) {
  return <p>editor</p>;
}
