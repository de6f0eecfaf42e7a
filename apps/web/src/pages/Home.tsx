import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Space, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { api, call } from '../api/client';
import { BarChart } from '../components/BarChart';
import { money, time } from '../format';
import { useT } from '../i18n';
import { Link, navigate } from '../router';
import { named, TECHNICAL_FIELDS } from '../vocabulary';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What the market is, and its live figures (`GET /api/v1/market/figures`). */
export default function Home() {
  const { t, lang } = useT();
  const figures = useQuery({
    queryKey: ['market-figures'],
    queryFn: () => call(api.GET('/api/v1/market/figures')),
    refetchInterval: 60_000,
  });
  const f = figures.data;
  const format = (fen: number) => money(fen, lang);
  const byMonth = useMemo(
    () =>
      f && {
        labels: f.byMonth.map((m) => {
          const month = Number(m.month.slice(5));
          return lang === 'zh' ? `${month}月` : MONTHS_EN[month - 1];
        }),
        values: f.byMonth.map((m) => m.valueFen),
        format,
      },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [f, lang],
  );
  const byField = useMemo(
    () =>
      f && {
        labels: f.byField.map((x) =>
          x.technicalField === 'unspecified'
            ? lang === 'zh'
              ? '未注明'
              : 'Unspecified'
            : named(TECHNICAL_FIELDS, x.technicalField, lang),
        ),
        values: f.byField.map((x) => x.valueFen),
        horizontal: true,
        format,
      },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [f, lang],
  );
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 28 }}>
        {t('home.title')}
      </Typography.Title>
      <Typography.Paragraph style={{ fontSize: 16, maxWidth: 760 }}>{t('home.intro')}</Typography.Paragraph>
      <Space wrap>
        <Button type="primary" size="large" onClick={() => navigate('/search')}>
          {t('home.searchCta')}
        </Button>
        <Button size="large" onClick={() => navigate('/auctions')}>
          {t('home.auctionsCta')}
        </Button>
      </Space>
      <section className="figures" aria-label={t('home.figures')}>
        <Card>
          <Statistic title={t('home.listingsOpen')} value={f?.listingsOpen ?? '—'} loading={figures.isPending} />
        </Card>
        <Card>
          <Statistic title={t('home.auctionsRunning')} value={f?.auctionsRunning ?? '—'} loading={figures.isPending} />
        </Card>
        <Card>
          <Statistic
            title={t('home.tradeValue', { year: f?.year ?? '' })}
            loading={figures.isPending}
            valueRender={() => <span data-testid="trade-value">{f ? format(f.contractValueFen) : '—'}</span>}
          />
        </Card>
      </section>
      <div className="home-lists">
        <Latest />
        <Running />
      </div>
      {f && f.contractCount === 0 && <Empty description={t('home.noTrades')} />}
      {f && f.contractCount > 0 && byMonth && byField && (
        <section className="charts" aria-label={t('home.charts')}>
          <Card>
            <BarChart title={t('home.byMonth')} data={byMonth} caption={[t('home.month'), t('home.value')]} />
          </Card>
          <Card>
            <BarChart title={t('home.byField')} data={byField} caption={[t('search.field'), t('home.value')]} />
          </Card>
        </section>
      )}
    </>
  );
}

/** The newest public listings: what a visitor can act on now. */
function Latest() {
  const { t, lang } = useT();
  const latest = useQuery({
    queryKey: ['home', 'latest'],
    queryFn: () => call(api.GET('/api/v1/listings', { params: { query: { sort: 'newest', limit: 6 } } })),
  });
  return (
    <section className="home-list" aria-labelledby="latest-title">
      <h2 id="latest-title">{t('home.latest')}</h2>
      <ul>
        {(latest.data?.items ?? []).map((listing) => (
          <li key={listing.id}>
            <Link href={`/listings/${listing.id}`}>{listing.title}</Link>
            <span className="meta">
              {named(TECHNICAL_FIELDS, listing.technicalField, lang)} · {listing.seller.name}
              {listing.askingPriceFen !== null && (
                <span className="price"> · {money(listing.askingPriceFen, lang)}</span>
              )}
            </span>
          </li>
        ))}
      </ul>
      <Link href="/search?sort=newest">{t('home.more')}</Link>
    </section>
  );
}

/** Auctions taking bids now, the soonest to end first. */
function Running() {
  const { t, lang } = useT();
  const running = useQuery({
    queryKey: ['auctions', 'open'],
    queryFn: () => call(api.GET('/api/v1/auctions', { params: { query: { status: 'open', limit: 6 } } })),
  });
  const items = [...(running.data?.items ?? [])].sort((a, b) => a.endsAt.localeCompare(b.endsAt));
  return (
    <section className="home-list" aria-labelledby="running-title">
      <h2 id="running-title">{t('home.auctionsRunning')}</h2>
      <ul>
        {items.map((auction) => (
          <li key={auction.id}>
            <Link href={`/auctions/${auction.id}`}>{auction.listingTitle}</Link>
            <span className="meta">
              <span className="price">{money(auction.currentPriceFen ?? auction.startingPriceFen, lang)}</span> ·{' '}
              {t('auctions.endsAt')}
              {t('colon')}
              {time(auction.endsAt, lang)}
            </span>
          </li>
        ))}
        {running.data && items.length === 0 && <li>{t('auctions.none')}</li>}
      </ul>
      <Link href="/auctions">{t('home.more')}</Link>
    </section>
  );
}
