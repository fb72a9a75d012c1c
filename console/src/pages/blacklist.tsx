/** The blacklist under Settings: phones, emails and buyer ids never messaged; add (with the API's field errors) and remove. */
import { useState } from 'preact/hooks';
import { api, errorOf, fieldErrors, type Schemas } from '../api/client';
import { fill, useT } from '../i18n';
import { useApi } from './use-api';

type Entry = Schemas['BlacklistEntry'];

export function Blacklist({ admin }: { admin: boolean }) {
  const t = useT();
  const list = useApi(() => api.GET('/v1/blacklist', {}), []);
  const [type, setType] = useState<Entry['type']>('phone');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const add = async (e: Event) => {
    e.preventDefault();
    const v = value.trim();
    // One branch per type, so that each body matches its member of the API's union.
    const body = type === 'phone' ? { type, value: v } : type === 'email' ? { type, value: v } : { type, value: v };
    const { data, error, response } = await api.POST('/v1/blacklist', { body });
    const failure = data ? undefined : errorOf(error, response.status);
    setErrors(failure ? { value: failure.message, ...fieldErrors(failure) } : {});
    if (data) setValue('');
    list.reload();
  };
  const remove = async (entry: Entry) => {
    await api.DELETE('/v1/blacklist/{type}/{value}', { params: { path: { type: entry.type, value: entry.value } } });
    list.reload();
  };

  return (
    <section class="card">
      <h2>{t.blacklist.title}</h2>
      {list.error && <p class="error">{fill(t.error, { message: list.error.message })}</p>}
      <ul data-testid="blacklist">
        {list.data?.data.map((entry) => (
          <li key={`${entry.type}/${entry.value}`}>
            {entry.type}: <code>{entry.value}</code>{' '}
            {admin && (
              <button type="button" class="secondary" onClick={() => remove(entry)}>
                {fill(t.blacklist.remove, { value: entry.value })}
              </button>
            )}
          </li>
        ))}
      </ul>
      {admin && (
        <form class="row" onSubmit={add} noValidate>
          <label>
            {t.blacklist.type}
            <select value={type} onChange={(e) => setType(e.currentTarget.value as Entry['type'])}>
              <option value="phone">phone</option>
              <option value="email">email</option>
              <option value="buyer">buyer</option>
            </select>
          </label>
          <label>
            {t.blacklist.value}
            <input
              value={value}
              aria-invalid={errors.value ? 'true' : undefined}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
            {errors.value && (
              <span class="error" data-testid="error-blacklist-value">
                {errors.value}
              </span>
            )}
          </label>
          <button type="submit">{t.blacklist.add}</button>
        </form>
      )}
    </section>
  );
}
