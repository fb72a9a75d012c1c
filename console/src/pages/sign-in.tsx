/** Sign-in with a shop API key; the key is checked with `GET /v1/key` before it is kept. */
import { useState } from 'preact/hooks';
import { api, errorOf } from '../api/client';
import type { Identity } from '../auth';
import { fill, useT } from '../i18n';
import { session } from '../session';

export function SignIn({ onSignedIn }: { onSignedIn: (identity: Identity) => void }) {
  const t = useT();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const {
      data,
      error: failure,
      response,
    } = await api.GET('/v1/key', {
      headers: { authorization: `Bearer ${key.trim()}` },
    });
    setBusy(false);
    if (data) {
      session.save(key.trim());
      onSignedIn(data);
    } else if (response.status === 401) {
      setError(t.signIn.wrongKey);
    } else {
      setError(fill(t.signIn.failed, { message: errorOf(failure, response.status).message }));
    }
  };

  return (
    <form class="card sign-in" onSubmit={submit}>
      <h1>{t.signIn.title}</h1>
      <p>{t.signIn.intro}</p>
      <label>
        {t.signIn.key}
        <input
          name="api_key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
      </label>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t.signIn.submit}
      </button>
    </form>
  );
}
