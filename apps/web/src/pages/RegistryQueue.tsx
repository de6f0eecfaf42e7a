import { useQuery } from '@tanstack/react-query';
import { Alert, Pagination, Table, Tag, Typography } from 'antd';
import { api, call, type Schemas } from '../api/client';
import { Loading } from '../components/Loading';
import { day } from '../contracts/format';
import { QUEUE_FLAGS, REGISTRATION_KINDS, REGISTRATION_STATUSES } from '../contracts/vocabulary';
import { money } from '../format';
import { useT } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { hasRole, useMe } from '../session';
import { named } from '../vocabulary';

type Item = Schemas['RegistrationQueueItemView'];
const PAGE = 20;

/**
 * The registry office's queue (`GET /registrations/queue`) in the API's order: the overdue and
 * nearly due first by deadline, then by risk score; awaited documents last.
 */
export default function RegistryQueue() {
  const { t, lang } = useT();
  const { me, loading } = useMe();
  const { query } = useLocation();
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const auditor = hasRole(me, 'auditor');
  const queue = useQuery({
    queryKey: ['registry-queue', page, me?.id],
    enabled: auditor,
    queryFn: () =>
      call(api.GET('/api/v1/registrations/queue', { params: { query: { limit: PAGE, offset: (page - 1) * PAGE } } })),
  });
  if (!me && !loading)
    return <Alert type="info" title={<Link href="/signin?next=/registry">{t('common.signInRequired')}</Link>} />;
  if (me && !auditor) return <Alert type="warning" title={t('registry.notAuditor')} />;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('registry.queue')}
      </Typography.Title>
      {queue.data ? (
        <>
          <p>{t('registry.total', { total: queue.data.total })}</p>
          <Table
            size="small"
            rowKey="registrationId"
            dataSource={queue.data.items}
            pagination={false}
            scroll={{ x: true }}
            locale={{ emptyText: t('registry.none') }}
            rowClassName={(row: Item) => (row.flag ? `queue-${row.flag}` : '')}
            columns={[
              {
                title: t('registry.flag'),
                dataIndex: 'flag',
                render: (flag: string | null, row: Item) => (
                  <>
                    {flag && <Tag className={`status flag-${flag}`}>{named(QUEUE_FLAGS, flag, lang)}</Tag>}
                    {row.disputed && <Tag>{t('registry.disputed')}</Tag>}
                  </>
                ),
              },
              {
                title: t('registry.project'),
                dataIndex: 'projectName',
                render: (name: string, row: Item) => <Link href={`/registry/${row.contractId}`}>{name}</Link>,
              },
              {
                title: t('registry.parties'),
                key: 'parties',
                render: (_: unknown, row: Item) => `${row.sellerName} / ${row.buyerName}`,
              },
              {
                title: t('registry.kind'),
                key: 'kind',
                render: (_: unknown, row: Item) =>
                  `${named(REGISTRATION_KINDS, row.kind, lang)} · ${named(REGISTRATION_STATUSES, row.status, lang)}`,
              },
              {
                title: t('registry.amount'),
                dataIndex: 'technologyAmountFen',
                align: 'right',
                render: (fen: number) => money(fen, lang),
              },
              { title: t('registry.deadline'), dataIndex: 'deadlineOn', render: (on: string | null) => day(on, lang) },
              {
                title: t('registry.daysLeft'),
                dataIndex: 'workingDaysLeft',
                align: 'right',
                render: (left: number | null) => (left === null ? '—' : left),
              },
              {
                title: t('registry.score'),
                dataIndex: 'riskScore',
                align: 'right',
                render: (score: number | null, row: Item) => (
                  <>
                    {score ?? '—'}
                    {row.riskFlagged && (
                      <Tag className="tag-bad" style={{ marginInlineStart: 6 }}>
                        {t('registry.flagged')}
                      </Tag>
                    )}
                  </>
                ),
              },
              { title: t('registry.findings'), dataIndex: 'screeningFindings', align: 'right' },
            ]}
          />
          {queue.data.total > PAGE && (
            <Pagination
              style={{ marginTop: 16 }}
              current={page}
              pageSize={PAGE}
              total={queue.data.total}
              showSizeChanger={false}
              onChange={(next) => navigate(next > 1 ? `/registry?page=${next}` : '/registry', { replace: true })}
            />
          )}
        </>
      ) : (
        <Loading error={queue.error} />
      )}
    </>
  );
}
