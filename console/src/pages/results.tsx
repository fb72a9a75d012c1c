/** Placeholder. */
export function ResultsPage(_props: { orderId?: string | undefined }) {
  return <p>results</p>;
}
