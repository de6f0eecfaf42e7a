import { useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { api, call, type Schemas } from '../api/client';
import { ProblemAlert, problemText } from '../components/problems';
import { money, time } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import { AUCTION_KINDS, AUCTION_STATUSES, named, TECHNICAL_FIELDS } from '../vocabulary';

function useAuctions(status: 'open' | 'scheduled') {
  return useQuery({
    queryKey: ['auctions', status],
    queryFn: () => call(api.GET('/api/v1/auctions', { params: { query: { status, limit: 50 } } })),
    refetchInterval: 30_000,
  });
}

export default function Auctions() {
  const { t } = useT();
  const open = useAuctions('open');
  const upcoming = useAuctions('scheduled');
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('auctions.title')}
      </Typography.Title>
      <Section title={t('auctions.open')} query={open} />
      <Section title={t('auctions.upcoming')} query={upcoming} />
    </>
  );
}

function Section({ title, query }: { title: string; query: ReturnType<typeof useAuctions> }) {
  const { t, lang } = useT();
  return (
    <section style={{ marginBottom: 24 }} aria-label={title}>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {title}
      </Typography.Title>
      {query.isError && <ProblemAlert messages={[problemText(query.error, lang)]} />}
      {query.data && query.data.items.length === 0 ? (
        <Empty description={t('auctions.none')} />
      ) : (
        <List
          loading={query.isPending}
          grid={{ gutter: 16, xs: 1, sm: 1, md: 2, lg: 3 }}
          dataSource={query.data?.items ?? []}
          renderItem={(auction) => (
            <List.Item>
              <AuctionCard auction={auction} />
            </List.Item>
          )}
        />
      )}
    </section>
  );
}

function AuctionCard({ auction }: { auction: Schemas['AuctionView'] }) {
  const { t, lang } = useT();
  const running = auction.status === 'open';
  return (
    <Card
      className="auction-card"
      title={
        <h3 className="card-title">
          <Link href={`/auctions/${auction.id}`}>{auction.listingTitle}</Link>
        </h3>
      }
    >
      <Space size={[4, 4]} wrap style={{ marginBottom: 8 }}>
        <Tag className="field">{named(TECHNICAL_FIELDS, auction.technicalField, lang)}</Tag>
        <Tag>{named(AUCTION_KINDS, auction.kind, lang)}</Tag>
        <Tag className={`status status-${auction.status}`}>{named(AUCTION_STATUSES, auction.status, lang)}</Tag>
      </Space>
      <div>
        {running && auction.currentPriceFen !== null ? t('auctions.current') : t('auctions.starting')}
        {t('colon')}
        <span className="price">{money(auction.currentPriceFen ?? auction.startingPriceFen, lang)}</span>
      </div>
      <div>
        {running ? t('auctions.endsAt') : t('auctions.startsAt')}
        {t('colon')}
        {time(running ? auction.endsAt : auction.startsAt, lang)}
      </div>
      {auction.kind === 'english' && (
        <div>
          {t('auctions.bids')}
          {t('colon')}
          {auction.bidCount}
        </div>
      )}
    </Card>
  );
}
