import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Space, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { api, call, type Schemas } from '../api/client';
import { type Bar, BarChart } from '../components/BarChart';
import { type Lang, money, moneyShort, time } from '../format';
import { useT } from '../i18n';
import { Link, navigate } from '../router';
import { named, TECHNICAL_FIELDS } from '../vocabulary';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * This year's registered contracts for the two charts, from one answer of the statistics
 * (`GET /stats/contracts?groupBy=technicalField,month`, 1 January to today in Beijing time): every
 * month of the year so far (a month without contracts at nothing), and every field with contracts,
 * largest first.
 */
function chartsOf(view: Schemas['ContractStats'], lang: Lang): { byMonth: Bar[]; byField: Bar[] } {
  const months = new Map<string, number>();
  const year = Number(view.from.slice(0, 4));
  const last = view.to.startsWith(String(year)) ? Number(view.to.slice(5, 7)) : 12;
  for (let m = 1; m <= last; m++) months.set(`${year}-${String(m).padStart(2, '0')}`, 0);
  const fields = new Map<string, number>();
  for (const row of view.rows) {
    if (row.month && months.has(row.month)) months.set(row.month, months.get(row.month)! + row.totalAmountFen);
    const key = row.key ?? 'unspecified';
    fields.set(key, (fields.get(key) ?? 0) + row.totalAmountFen);
  }
  const byMonth = [...months].map(([month, value]) => {
    const m = Number(month.slice(5));
    return { key: month, label: lang === 'zh' ? `${m}月` : MONTHS_EN[m - 1], value };
  });
  const byField = [...fields]
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => ({
      key,
      label: key === 'unspecified' ? (lang === 'zh' ? '未注明' : 'Unspecified') : named(TECHNICAL_FIELDS, key, lang),
      value,
    }));
  return { byMonth, byField };
}

/**
 * What the market is; what is on offer now (`GET /market/figures`) and this year's registered
 * contract value, by month and by technical field (`GET /stats/contracts`).
 */
export default function Home() {
  const { t, lang } = useT();
  const figures = useQuery({
    queryKey: ['market-figures'],
    queryFn: () => call(api.GET('/api/v1/market/figures')),
    refetchInterval: 60_000,
  });
  const stats = useQuery({
    queryKey: ['stats', 'home'],
    queryFn: () => call(api.GET('/api/v1/stats/contracts', { params: { query: { groupBy: 'technicalField,month' } } })),
    refetchInterval: 300_000,
  });
  const f = figures.data;
  const s = stats.data;
  const charts = useMemo(() => s && chartsOf(s, lang), [s, lang]);
  const format = (fen: number) => money(fen, lang);
  const short = (fen: number) => moneyShort(fen, lang);
  const year = s?.from.slice(0, 4) ?? '';
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
            title={t('home.tradeValue', { year })}
            loading={stats.isPending}
            valueRender={() => <span data-testid="trade-value">{s ? format(s.totals.totalAmountFen) : '—'}</span>}
          />
        </Card>
      </section>
      <div className="home-lists">
        <Latest />
        <Running />
      </div>
      {s && s.totals.contracts === 0 && <Empty description={t('home.noTrades')} />}
      {s && s.totals.contracts > 0 && charts && (
        <section className="charts" aria-label={t('home.charts')}>
          <Card>
            <BarChart
              title={t('home.byMonth')}
              bars={charts.byMonth}
              orientation="columns"
              format={format}
              short={short}
              headings={[t('home.month'), t('home.value')]}
            />
          </Card>
          <Card>
            <BarChart
              title={t('home.byField')}
              bars={charts.byField}
              orientation="rows"
              format={format}
              short={short}
              headings={[t('search.field'), t('home.value')]}
            />
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
