import { Button, Layout as AntLayout, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { session } from '../api/client';
import { setLang, useT } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { hasRole, useMe } from '../session';

const { Header, Content, Footer } = AntLayout;

/** Header with the sections the user may visit, the language switch and sign-in; then the page. */
export function Layout({ children }: { children: ReactNode }) {
  const { t, lang } = useT();
  const { me } = useMe();
  const { path } = useLocation();
  const items: { href: string; label: string; show: boolean }[] = [
    { href: '/', label: t('nav.home'), show: true },
    { href: '/search', label: t('nav.search'), show: true },
    { href: '/auctions', label: t('nav.auctions'), show: true },
    { href: '/packages', label: t('nav.packages'), show: true },
    { href: '/seller', label: t('nav.seller'), show: hasRole(me, 'seller') },
    { href: '/admin', label: t('nav.admin'), show: hasRole(me, 'admin') },
    { href: '/negotiations', label: t('nav.negotiations'), show: Boolean(me) },
    { href: '/contracts', label: t('nav.contracts'), show: Boolean(me) },
    { href: '/registry', label: t('nav.registry'), show: hasRole(me, 'auditor') },
    { href: '/notifications', label: t('nav.notifications'), show: Boolean(me) },
  ];
  const current = (href: string) => (href === '/' ? path === '/' : path.startsWith(href));
  return (
    <AntLayout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <Header className="market-header">
        <Link href="/" className="brand">
          {t('brand')}
        </Link>
        <nav aria-label={lang === 'zh' ? '主导航' : 'Main'} className="market-nav">
          {items
            .filter((item) => item.show)
            .map((item) => (
              <Link key={item.href} href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                {item.label}
              </Link>
            ))}
        </nav>
        <Space className="market-actions" wrap>
          <Button
            size="small"
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
            title={t('language.label')}
            lang={lang === 'zh' ? 'en' : 'zh-CN'}
          >
            {t('language.switchTo')}
          </Button>
          {me ? (
            <>
              <Typography.Text className="who">{me.displayName}</Typography.Text>
              <Button
                size="small"
                onClick={() => {
                  session.set(null);
                  navigate('/');
                }}
              >
                {t('nav.signOut')}
              </Button>
            </>
          ) : (
            <Button size="small" type="primary" onClick={() => navigate('/signin')}>
              {t('nav.signIn')}
            </Button>
          )}
        </Space>
      </Header>
      <Content id="main" tabIndex={-1} className="market-main">
        {children}
      </Content>
      <Footer className="market-footer">
        {t('brand')} · {lang === 'zh' ? '时间均为北京时间（UTC+8）' : 'Times are China Standard Time (UTC+8)'} ·{' '}
        <a href="/docs">API</a>
      </Footer>
    </AntLayout>
  );
}
