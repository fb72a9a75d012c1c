/** Placeholder. */
export function SettingsPage(_props: { orderId?: string | undefined }) {
  return <p>settings</p>;
}
