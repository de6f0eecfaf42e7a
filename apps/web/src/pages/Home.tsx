import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Statistic, Typography } from 'antd';
import { api, call } from '../api/client';
import { useT } from '../i18n';
import { navigate } from '../router';

export default function Home() {
  const { t } = useT();
  const listings = useQuery({
    queryKey: ['home', 'listings'],
    queryFn: () => call(api.GET('/api/v1/listings', { params: { query: { limit: 1 } } })),
  });
  const auctions = useQuery({
    queryKey: ['home', 'auctions'],
    queryFn: () => call(api.GET('/api/v1/auctions', { params: { query: { status: 'open', limit: 1 } } })),
  });
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
      <section className="figures" aria-label={t('home.title')}>
        <Card>
          <Statistic title={t('home.listingsOpen')} value={listings.data?.total ?? '—'} />
        </Card>
        <Card>
          <Statistic title={t('home.auctionsRunning')} value={auctions.data?.total ?? '—'} />
        </Card>
      </section>
    </>
  );
}
