import { useQuery } from '@tanstack/react-query';
import { Alert, List, Pagination, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, call } from '../api/client';
import { Loading } from '../components/Loading';
import { time } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import { useMe } from '../session';

const PAGE_SIZE = 20;

/** The signed-in user's inbox, newest first. */
export default function Notifications() {
  const { t, lang } = useT();
  const { me, loading } = useMe();
  const [page, setPage] = useState(1);
  const inbox = useQuery({
    queryKey: ['notifications', me?.id, page],
    enabled: Boolean(me),
    queryFn: () =>
      call(
        api.GET('/api/v1/me/notifications', {
          params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } },
        }),
      ),
    refetchInterval: 30_000,
  });
  if (!me && !loading)
    return <Alert type="info" title={<Link href="/signin?next=/notifications">{t('common.signInRequired')}</Link>} />;
  if (!inbox.data) return <Loading error={inbox.error} />;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('notifications.title')}
      </Typography.Title>
      <List
        dataSource={inbox.data.items}
        locale={{ emptyText: t('notifications.none') }}
        renderItem={(item) => (
          <List.Item className="notification">
            <List.Item.Meta
              title={
                <span>
                  {!item.readAt && <Tag className="status">{t('notifications.unread')}</Tag>}
                  {item.title}
                </span>
              }
              description={time(item.createdAt, lang)}
            />
          </List.Item>
        )}
      />
      {inbox.data.total > PAGE_SIZE && (
        <Pagination
          current={page}
          pageSize={PAGE_SIZE}
          total={inbox.data.total}
          onChange={setPage}
          showSizeChanger={false}
          style={{ marginTop: 16, textAlign: 'center' }}
        />
      )}
    </>
  );
}
