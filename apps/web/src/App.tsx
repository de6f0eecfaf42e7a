import { Result, Spin } from 'antd';
import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { Layout } from './components/Layout';
import { useT } from './i18n';
import { match, useLocation } from './router';

type Page = ComponentType<{ params: Record<string, string> }>;

/** Each page is its own chunk: the home page loads only what it shows. */
const ROUTES: [string, Page, string][] = [
  ['/', lazy(() => import('./pages/Home')), 'nav.home'],
  ['/search', lazy(() => import('./pages/Search')), 'nav.search'],
  ['/listings/:id', lazy(() => import('./pages/ListingDetail')), 'nav.search'],
  ['/packages', lazy(() => import('./pages/Packages')), 'packages.title'],
  ['/packages/:id', lazy(() => import('./pages/PackageDetail')), 'packages.kind'],
  ['/auctions', lazy(() => import('./pages/Auctions')), 'nav.auctions'],
  ['/auctions/:id', lazy(() => import('./pages/AuctionRoom')), 'nav.auctions'],
  ['/signin', lazy(() => import('./pages/SignIn')), 'nav.signIn'],
  ['/negotiations', lazy(() => import('./pages/Negotiations')), 'nav.negotiations'],
  ['/negotiations/:id', lazy(() => import('./pages/NegotiationThread')), 'nav.negotiations'],
  ['/contracts', lazy(() => import('./pages/Contracts')), 'nav.contracts'],
  ['/contracts/:id', lazy(() => import('./pages/ContractDetail')), 'nav.contracts'],
  ['/registry', lazy(() => import('./pages/RegistryQueue')), 'nav.registry'],
  ['/registry/:id', lazy(() => import('./pages/RegistryCase')), 'nav.registry'],
  ['/notifications', lazy(() => import('./pages/Notifications')), 'nav.notifications'],
  ['/seller', lazy(() => import('./pages/SellerListings')), 'nav.seller'],
  ['/seller/listings/new', lazy(() => import('./pages/ListingEditor')), 'nav.seller'],
  ['/seller/listings/:id', lazy(() => import('./pages/ListingEditor')), 'nav.seller'],
  ['/admin', lazy(() => import('./pages/AdminReview')), 'nav.admin'],
  ['/admin/organizations', lazy(() => import('./pages/AdminOrganizations')), 'orgs.title'],
  ['/admin/packages', lazy(() => import('./pages/AdminPackages')), 'packages.publishTitle'],
];

export function App() {
  const { path } = useLocation();
  const { t } = useT();
  let found: { Page: Page; params: Record<string, string>; title: string } | undefined;
  for (const [pattern, Page, title] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      found = { Page, params, title };
      break;
    }
  }
  const title = found ? t(found.title) : '404';
  useEffect(() => {
    document.title = `${title} · ${t('brand')}`;
  }, [title, t]);
  return (
    <Layout>
      <Suspense fallback={<Spin description={t('common.loading')} />}>
        {found ? <found.Page params={found.params} /> : <Result status="404" title="404" />}
      </Suspense>
    </Layout>
  );
}
