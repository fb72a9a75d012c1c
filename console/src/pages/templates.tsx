/**
 * Every message kind by flow, each with its channels and locales: a custom template shows its
 * published (or latest draft) version, anything else is the built-in default.
 */
import { api, type Schemas } from '../api/client';
import { fill, useT } from '../i18n';
import { href } from '../router';
import { useApi } from './use-api';

export const channels = ['sms', 'email', 'chat', 'webhook'] as const;
export const locales = ['zh-CN', 'en'] as const;

type Kind = Schemas['MessageKinds']['data'][number];
type Own = Schemas['TemplateList']['data'][number];

export function TemplatesPage() {
  const t = useT();
  const kinds = useApi(() => api.GET('/v1/templates/kinds'), []);
  const own = useApi(() => api.GET('/v1/templates'), []);
  const error = kinds.error ?? own.error;
  if (error) return <p class="error">{fill(t.error, { message: error.message })}</p>;
  if (!kinds.data || !own.data) return <p>{t.loading}</p>;

  const byFlow = new Map<string, Kind[]>();
  for (const k of kinds.data.data) byFlow.set(k.flow, [...(byFlow.get(k.flow) ?? []), k]);
  const ownOf = (k: Kind, channel: string, locale: string) =>
    own.data!.data.find((o) => o.kind === k.kind && o.channel === channel && o.locale === locale);

  return (
    <>
      <h1>{t.templates.title}</h1>
      {[...byFlow].map(([flow, list]) => (
        <section class="card" key={flow}>
          <h2>{t.templates.flows[flow] ?? flow}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t.templates.kind}</th>
                  <th>{t.templates.channels}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((k) => (
                  <tr key={k.kind}>
                    <td>
                      <code>{k.kind}</code>
                      <div class="muted">{k.class}</div>
                    </td>
                    <td>
                      {channels.map((channel) =>
                        locales.map((locale) => (
                          <Cell
                            key={`${channel}/${locale}`}
                            kind={k}
                            channel={channel}
                            locale={locale}
                            own={ownOf(k, channel, locale)}
                          />
                        )),
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}

function Cell(props: { kind: Kind; channel: string; locale: string; own: Own | undefined }) {
  const t = useT();
  const { own } = props;
  const label = own?.published_version
    ? fill(t.templates.custom, { version: own.published_version })
    : own?.latest_version
      ? fill(t.templates.customDraft, { version: own.latest_version })
      : t.templates.builtIn;
  return (
    <a
      class={own?.published_version ? 'tag custom' : 'tag'}
      href={href('templates', props.kind.kind, props.channel, props.locale)}
      data-testid={`template-${props.kind.kind}-${props.channel}-${props.locale}`}
    >
      {props.channel} · {props.locale} · {label}
    </a>
  );
}
