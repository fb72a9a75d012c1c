/** Placeholder. */
export function TemplatesPage(_props: { orderId?: string | undefined }) {
  return <p>templates</p>;
}
