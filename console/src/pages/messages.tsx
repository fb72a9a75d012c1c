/** Placeholder. */
export function MessagesPage(_props: { orderId?: string | undefined }) {
  return <p>messages</p>;
}
