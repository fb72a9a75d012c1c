/** Placeholder. */
export function OrdersPage(_props: { orderId?: string | undefined }) {
  return <p>orders</p>;
}
