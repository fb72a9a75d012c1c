/** The console shell: sign-in, header (shop, scope, language), navigation by scope, and pages. */
import { lazy, Suspense } from 'preact/compat';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { api } from './api/client';
import { AuditPage } from './pages/audit';
import { can, IdentityContext, type Identity } from './auth';
import { initialLang, LangContext, rememberLang, useT, type Lang } from './i18n';
import { OrdersPage } from './pages/orders';
import { MessagesPage } from './pages/messages';
import { ResultsPage } from './pages/results';
import { SettingsPage } from './pages/settings';
import { SimulatePage } from './pages/simulate';
import { SignIn } from './pages/sign-in';
import { TemplatesPage } from './pages/templates';
import { href, useRoute } from './router';
import { session } from './session';

// CodeMirror is large: the editor page and its chunk load only when a template is opened.
const TemplateEditor = lazy(() => import('./pages/template-editor').then((m) => m.TemplateEditor));

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [checking, setChecking] = useState(session.key() !== null);

  // Before paint, so the page's lang attribute (read by screen readers) changes with its words.
  useLayoutEffect(() => rememberLang(lang), [lang]);
  useEffect(() => {
    if (!session.key()) return;
    api.GET('/v1/key').then(({ data }) => {
      if (data) setIdentity(data);
      else session.clear();
      setChecking(false);
    });
  }, []);

  const signOut = () => {
    session.clear();
    setIdentity(null);
  };
  return (
    <LangContext.Provider value={lang}>
      <Header lang={lang} setLang={setLang} identity={identity} signOut={signOut} />
      <main>{checking ? null : identity ? <Pages identity={identity} /> : <SignIn onSignedIn={setIdentity} />}</main>
    </LangContext.Provider>
  );
}

function Header(props: { lang: Lang; setLang: (l: Lang) => void; identity: Identity | null; signOut: () => void }) {
  const t = useT();
  const { identity } = props;
  return (
    <header>
      <strong class="brand">{t.appName}</strong>
      {identity && (
        <span class="who">
          <span>
            {t.shop}: <b data-testid="shop-name">{identity.shop_name}</b>
          </span>
          <span>
            {t.scope}: <b data-testid="key-scope">{identity.key.scopes.map((s) => t.scopes[s]).join(', ')}</b>
          </span>
        </span>
      )}
      <label class="lang">
        {t.language}{' '}
        <select value={props.lang} onChange={(e) => props.setLang(e.currentTarget.value as Lang)}>
          <option value="en">English</option>
          <option value="zh-CN">简体中文</option>
        </select>
      </label>
      {identity && (
        <button type="button" onClick={props.signOut}>
          {t.signOut}
        </button>
      )}
    </header>
  );
}

function Pages({ identity }: { identity: Identity }) {
  const t = useT();
  const [page = can(identity, 'read') ? 'orders' : 'templates', ...rest] = useRoute();
  // A templates-only key sees the templates and nothing it may not open.
  // The audit log and the simulator are admin-only in the API, so only admin keys see their pages.
  const pages = (['templates', 'orders', 'messages', 'results', 'settings', 'audit', 'simulate'] as const).filter(
    (p) =>
      p === 'templates' ? true : p === 'audit' || p === 'simulate' ? can(identity, 'admin') : can(identity, 'read'),
  );
  return (
    <IdentityContext.Provider value={identity}>
      <nav aria-label="main">
        {pages.map((p) => (
          <a href={href(p)} aria-current={p === page ? 'page' : undefined}>
            {t.nav[p]}
          </a>
        ))}
        <a href="/docs">{t.nav.docs}</a>
      </nav>
      <section class="page">
        {page === 'templates' && rest.length === 3 ? (
          <Suspense fallback={<p>{t.loading}</p>}>
            <TemplateEditor kind={rest[0]!} channel={rest[1]!} locale={rest[2]!} />
          </Suspense>
        ) : page === 'templates' ? (
          <TemplatesPage />
        ) : page === 'orders' ? (
          <OrdersPage orderId={rest[0]} />
        ) : page === 'messages' ? (
          <MessagesPage />
        ) : page === 'results' ? (
          <ResultsPage />
        ) : page === 'settings' ? (
          <SettingsPage />
        ) : page === 'audit' && pages.includes('audit') ? (
          <AuditPage />
        ) : page === 'simulate' && can(identity, 'admin') ? (
          <SimulatePage />
        ) : null}
      </section>
    </IdentityContext.Provider>
  );
}
