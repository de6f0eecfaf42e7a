import { useQuery } from '@tanstack/react-query';
import { Alert, Select, Space, Table, Tag, Typography } from 'antd';
import { api, call, type Schemas } from '../api/client';
import { Loading } from '../components/Loading';
import { money } from '../format';
import { useT } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useMe } from '../session';
import { named, NEGOTIATION_STATUSES, SIDES, TRANSFER_MODES } from '../vocabulary';

type Summary = Schemas['NegotiationSummaryView'];
type State = NonNullable<Summary['status']>;

/** The caller's negotiations (as buyer, seller or broker), filtered by state; the state is in the address. */
export default function Negotiations() {
  const { t, lang } = useT();
  const { me, loading } = useMe();
  const { query } = useLocation();
  const state = (query.get('state') ?? undefined) as State | undefined;
  const list = useQuery({
    queryKey: ['negotiations', state, me?.id],
    enabled: Boolean(me),
    queryFn: () => call(api.GET('/api/v1/negotiations', { params: { query: { state, limit: 50 } } })),
  });
  if (!me && !loading)
    return <Alert type="info" title={<Link href="/signin?next=/negotiations">{t('common.signInRequired')}</Link>} />;
  const counterpart = (row: Summary) => (row.yourRole === 'seller' ? row.buyer.name : row.seller.name);
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('negotiation.inbox')}
      </Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <label htmlFor="negotiation-state">{t('negotiation.filterState')}</label>
        <Select
          id="negotiation-state"
          aria-label={t('negotiation.filterState')}
          style={{ minWidth: 180 }}
          showSearch={{ optionFilterProp: 'label' }}
          value={state ?? ''}
          onChange={(value: string) =>
            navigate(value ? `/negotiations?state=${value}` : '/negotiations', { replace: true })
          }
          options={[
            { value: '', label: t('negotiation.allStates') },
            ...Object.keys(NEGOTIATION_STATUSES).map((value) => ({
              value,
              label: named(NEGOTIATION_STATUSES, value, lang),
            })),
          ]}
        />
      </Space>
      {list.data ? (
        <Table
          size="small"
          rowKey="id"
          dataSource={list.data.items}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t('negotiation.none') }}
          columns={[
            {
              title: t('negotiation.listing'),
              dataIndex: 'listingTitle',
              render: (title: string, row: Summary) => <Link href={`/negotiations/${row.id}`}>{title}</Link>,
            },
            {
              title: t('negotiation.counterpart'),
              key: 'counterpart',
              render: (_: unknown, row: Summary) => counterpart(row),
            },
            {
              title: t('negotiation.yourRole'),
              dataIndex: 'yourRole',
              render: (role: string) => named(SIDES, role, lang),
            },
            {
              title: t('negotiation.status'),
              dataIndex: 'status',
              render: (status: string) => (
                <Tag className={`status status-${status}`}>{named(NEGOTIATION_STATUSES, status, lang)}</Tag>
              ),
            },
            {
              title: t('negotiation.standing'),
              key: 'offer',
              render: (_: unknown, row: Summary) =>
                row.currentOffer
                  ? `${money(row.currentOffer.priceFen, lang)} · ${named(TRANSFER_MODES, row.currentOffer.transferMode, lang)}`
                  : '—',
            },
            {
              title: t('negotiation.awaiting'),
              dataIndex: 'awaitingAnswerFrom',
              render: (side: string | null) => (side ? named(SIDES, side, lang) : '—'),
            },
          ]}
        />
      ) : (
        <Loading error={list.error} />
      )}
    </>
  );
}
