import { useQuery } from '@tanstack/react-query';
import { Alert, Pagination, Select, Space, Table, Tag, Typography } from 'antd';
import { api, call, type Schemas } from '../api/client';
import { Loading } from '../components/Loading';
import { CONTRACT_SOURCES, CONTRACT_STATUSES } from '../contracts/vocabulary';
import { money, time } from '../format';
import { useT } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useMe } from '../session';
import { named, SIDES } from '../vocabulary';

type Summary = Schemas['ContractSummaryView'];
type Status = NonNullable<Summary['status']>;
const PAGE = 20;

/** The caller's contracts (`GET /contracts`: as a party, its broker, the office in charge, or an admin), by state. */
export default function Contracts() {
  const { t, lang } = useT();
  const { me, loading } = useMe();
  const { query } = useLocation();
  const status = (query.get('status') ?? undefined) as Status | undefined;
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const list = useQuery({
    queryKey: ['contracts', status, page, me?.id],
    enabled: Boolean(me),
    queryFn: () =>
      call(api.GET('/api/v1/contracts', { params: { query: { status, limit: PAGE, offset: (page - 1) * PAGE } } })),
  });
  if (!me && !loading)
    return <Alert type="info" title={<Link href="/signin?next=/contracts">{t('contract.signInRequired')}</Link>} />;
  const side = (row: Summary) => {
    const org = me?.organization.id;
    if (org === row.sellerOrganizationId) return 'seller';
    if (org === row.buyerOrganizationId) return 'buyer';
    if (org === row.brokerOrganizationId) return 'broker';
    return null;
  };
  const go = (next: { status?: string; page?: number }) => {
    const params = new URLSearchParams();
    const s = 'status' in next ? next.status : status;
    if (s) params.set('status', s);
    if (next.page && next.page > 1) params.set('page', String(next.page));
    const search = params.toString();
    navigate(search ? `/contracts?${search}` : '/contracts', { replace: true });
  };
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('contract.title')}
      </Typography.Title>
      <Space style={{ marginBottom: 16 }} wrap>
        <label htmlFor="contract-status">{t('contract.filterState')}</label>
        <Select
          id="contract-status"
          aria-label={t('contract.filterState')}
          style={{ minWidth: 180 }}
          showSearch={{ optionFilterProp: 'label' }}
          value={status ?? ''}
          onChange={(value: string) => go({ status: value || undefined })}
          options={[
            { value: '', label: t('contract.allStates') },
            ...Object.keys(CONTRACT_STATUSES).map((value) => ({ value, label: named(CONTRACT_STATUSES, value, lang) })),
          ]}
        />
      </Space>
      {list.data ? (
        <>
          <Table
            size="small"
            rowKey="id"
            dataSource={list.data.items}
            pagination={false}
            scroll={{ x: true }}
            locale={{ emptyText: t('contract.none') }}
            columns={[
              {
                title: t('contract.project'),
                dataIndex: 'projectName',
                render: (name: string, row: Summary) => <Link href={`/contracts/${row.id}`}>{name}</Link>,
              },
              {
                title: t('contract.yourSide'),
                key: 'side',
                render: (_: unknown, row: Summary) => named(SIDES, side(row), lang),
              },
              {
                title: t('contract.status'),
                dataIndex: 'status',
                render: (value: string) => (
                  <Tag className={`status status-${value}`}>{named(CONTRACT_STATUSES, value, lang)}</Tag>
                ),
              },
              {
                title: t('contract.amount'),
                dataIndex: 'totalAmountFen',
                align: 'right',
                render: (fen: number) => money(fen, lang),
              },
              {
                title: t('contract.source'),
                dataIndex: 'source',
                render: (value: string) => named(CONTRACT_SOURCES, value, lang),
              },
              { title: t('contract.updatedAt'), dataIndex: 'updatedAt', render: (at: string) => time(at, lang) },
            ]}
          />
          {list.data.total > PAGE && (
            <Pagination
              style={{ marginTop: 16 }}
              current={page}
              pageSize={PAGE}
              total={list.data.total}
              showSizeChanger={false}
              onChange={(next) => go({ page: next })}
            />
          )}
        </>
      ) : (
        <Loading error={list.error} />
      )}
    </>
  );
}
