import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, call, idempotencyKey, type Schemas } from '../api/client';
import { Loading } from '../components/Loading';
import { ProblemAlert, useProblem } from '../components/problems';
import { time } from '../format';
import { useT } from '../i18n';
import { Link, useLocation } from '../router';
import { hasRole, useMe } from '../session';
import { named, ORGANIZATION_KINDS } from '../vocabulary';

const PAGE = 20;

/**
 * The admins' queue of organizations to verify (`GET /orgs?verified=false`, the longest waiting
 * first), or the verified ones (`?verified=true` in the address); each verified with
 * `POST /orgs/:id/verify` after a second, confirming press.
 */
export default function AdminOrganizations() {
  const { t } = useT();
  const { me, loading } = useMe();
  const { query } = useLocation();
  const verified = query.get('verified') === 'true';
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const [done, setDone] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['admin-orgs', verified, offset, me?.id],
    enabled: hasRole(me, 'admin'),
    queryFn: () => call(api.GET('/api/v1/orgs', { params: { query: { verified, limit: PAGE, offset } } })),
  });
  if (!me && !loading)
    return (
      <Alert type="info" title={<Link href="/signin?next=/admin/organizations">{t('common.signInRequired')}</Link>} />
    );
  if (me && !hasRole(me, 'admin')) return <Alert type="warning" title={t('common.notAllowed')} />;
  const address = (v: boolean, at = 0) => `/admin/organizations?verified=${v}${at > 0 ? `&offset=${at}` : ''}`;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('orgs.title')}
      </Typography.Title>
      <nav aria-label={t('orgs.lists')} className="admin-tabs">
        <Link href="/admin">{t('admin.queue')}</Link>
        <Link href={address(false)} aria-current={!verified ? 'page' : undefined}>
          {t('orgs.awaiting')}
        </Link>
        <Link href={address(true)} aria-current={verified ? 'page' : undefined}>
          {t('orgs.verified')}
        </Link>
      </nav>
      <div aria-live="polite" className="org-done">
        {done && <Alert type="success" showIcon title={t('orgs.done', { name: done })} style={{ marginBottom: 16 }} />}
      </div>
      {!list.data ? (
        <Loading error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty description={verified ? t('orgs.noneVerified') : t('orgs.none')} />
      ) : (
        <>
          <p className="org-count">{t('orgs.total', { total: list.data.total })}</p>
          <ul className="org-list">
            {list.data.items.map((organization) => (
              <li key={organization.id}>
                <Organization organization={organization} onVerified={setDone} />
              </li>
            ))}
          </ul>
          <Space>
            {offset > 0 && <Link href={address(verified, Math.max(0, offset - PAGE))}>{t('orgs.previous')}</Link>}
            {offset + PAGE < list.data.total && <Link href={address(verified, offset + PAGE)}>{t('orgs.next')}</Link>}
          </Space>
        </>
      )}
    </>
  );
}

function Organization({
  organization,
  onVerified,
}: {
  organization: Schemas['OrganizationAdminView'];
  onVerified: (name: string) => void;
}) {
  const { t, lang } = useT();
  const [confirming, setConfirming] = useState(false);
  const problem = useProblem();
  const client = useQueryClient();
  const verify = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/orgs/{id}/verify', {
          params: { path: { id: organization.id }, header: { 'Idempotency-Key': idempotencyKey() } },
        }),
      ),
    onSuccess: () => {
      onVerified(organization.name);
      return client.invalidateQueries({ queryKey: ['admin-orgs'] });
    },
    onError: (error) => {
      setConfirming(false);
      problem.report(error);
    },
  });
  const titleId = `org-${organization.id}`;
  return (
    <Card
      className="org"
      aria-labelledby={titleId}
      title={
        <h2 id={titleId} className="card-title">
          {organization.name}
        </h2>
      }
      extra={organization.verified ? <Tag className="status status-open">{t('orgs.verifiedTag')}</Tag> : null}
    >
      <ProblemAlert messages={problem.messages} />
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('orgs.kind')}>
          {named(ORGANIZATION_KINDS, organization.kind, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.uscc')}>
          <span className="code">{organization.uscc}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.region')}>{organization.regionCode}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.registeredAt')}>{time(organization.createdAt, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.legalRepresentative')}>
          {organization.legalRepresentative ?? t('orgs.notRecorded')}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.registeredAddress')}>
          {organization.registeredAddress ?? t('orgs.notRecorded')}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.contact')}>
          {organization.contact ? (
            <>
              {organization.contact.displayName} ·{' '}
              <a href={`mailto:${organization.contact.email}`}>{organization.contact.email}</a>
            </>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.members')}>{organization.memberCount}</Descriptions.Item>
        {organization.verifiedAt && (
          <Descriptions.Item label={t('orgs.verifiedAt')}>{time(organization.verifiedAt, lang)}</Descriptions.Item>
        )}
      </Descriptions>
      {!organization.verified &&
        (confirming ? (
          <div role="group" aria-label={t('orgs.confirmTitle', { name: organization.name })}>
            <p className="org-confirm">{t('orgs.confirm', { name: organization.name })}</p>
            <Space wrap>
              <Button type="primary" onClick={() => verify.mutate()} loading={verify.isPending} autoFocus>
                {t('orgs.confirmVerify')}
              </Button>
              <Button onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
            </Space>
          </div>
        ) : (
          <Button
            type="primary"
            onClick={() => {
              problem.clear();
              setConfirming(true);
            }}
          >
            {t('orgs.verify')}
          </Button>
        ))}
    </Card>
  );
}
