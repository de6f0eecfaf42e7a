import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Table, Tag, Typography } from 'antd';
import { api, call } from '../api/client';
import { Loading } from '../components/Loading';
import { money, time } from '../format';
import { useT } from '../i18n';
import { Link, navigate } from '../router';
import { hasRole, useMe } from '../session';
import { LISTING_STATUSES, named, PRICING_MODES } from '../vocabulary';

/** The seller organization's listings in every state; drafts open in the editor. */
export default function SellerListings() {
  const { t, lang } = useT();
  const { me, loading } = useMe();
  const mine = useQuery({
    queryKey: ['listings', 'mine', me?.id],
    enabled: hasRole(me, 'seller'),
    queryFn: () => call(api.GET('/api/v1/listings/mine')),
  });
  if (!me && !loading)
    return <Alert type="info" title={<Link href="/signin?next=/seller">{t('common.signInRequired')}</Link>} />;
  if (me && !hasRole(me, 'seller')) return <Alert type="warning" title={t('common.notAllowed')} />;
  if (!mine.data) return <Loading error={mine.error} />;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('seller.title')}
      </Typography.Title>
      <Button type="primary" onClick={() => navigate('/seller/listings/new')} style={{ marginBottom: 16 }}>
        {t('seller.new')}
      </Button>
      <Table
        rowKey="id"
        dataSource={mine.data}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: true }}
        locale={{ emptyText: t('seller.none') }}
        columns={[
          {
            title: t('seller.titleField'),
            dataIndex: 'title',
            render: (title: string, row) => <Link href={`/seller/listings/${row.id}`}>{title}</Link>,
          },
          {
            title: t('listing.status'),
            dataIndex: 'status',
            render: (status: string) => (
              <Tag className={`status status-${status}`}>{named(LISTING_STATUSES, status, lang)}</Tag>
            ),
          },
          {
            title: t('listing.pricingMode'),
            dataIndex: 'pricingMode',
            render: (mode: string) => named(PRICING_MODES, mode, lang),
          },
          {
            title: t('listing.price'),
            dataIndex: 'askingPriceFen',
            render: (fen: number | null) => money(fen, lang),
          },
          { title: t('seller.updatedAt'), dataIndex: 'updatedAt', render: (at: string) => time(at, lang) },
        ]}
      />
    </>
  );
}
