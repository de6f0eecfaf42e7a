import { useQuery } from '@tanstack/react-query';
import { Empty, Space, Tag, Typography } from 'antd';
import { api, call } from '../api/client';
import { Loading } from '../components/Loading';
import { day } from '../format';
import { useT } from '../i18n';
import { Link, useLocation } from '../router';
import { hasRole, useMe } from '../session';
import { named, TECHNICAL_FIELDS } from '../vocabulary';

const PAGE = 20;

/** The achievement packages (科技成果包, `GET /packages`), newest issue first, a page at a time (`?offset=` in the address). */
export default function Packages() {
  const { t, lang } = useT();
  const { me } = useMe();
  const { query } = useLocation();
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const list = useQuery({
    queryKey: ['packages', offset],
    queryFn: () => call(api.GET('/api/v1/packages', { params: { query: { limit: PAGE, offset } } })),
  });
  const address = (at: number) => (at > 0 ? `/packages?offset=${at}` : '/packages');
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('packages.title')}
      </Typography.Title>
      {hasRole(me, 'admin') && (
        <p>
          <Link href="/admin/packages">{t('packages.publishLink')}</Link>
        </p>
      )}
      {!list.data ? (
        <Loading error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty description={t('packages.empty')} />
      ) : (
        <>
          <p className="package-count">{t('packages.total', { total: list.data.total })}</p>
          <ul className="package-list">
            {list.data.items.map((p) => (
              <li key={p.id}>
                <Link href={`/packages/${p.id}`}>{p.title}</Link>
                <span className="meta">
                  <Tag className="field">{named(TECHNICAL_FIELDS, p.technicalField, lang)}</Tag>
                  {t('packages.issuedOn')}
                  {t('colon')}
                  {day(p.issuedOn, lang)} · {t('packages.listingCount', { n: p.listingCount })}
                </span>
              </li>
            ))}
          </ul>
          <nav aria-label={t('packages.title')}>
            <Space>
              {offset > 0 && <Link href={address(Math.max(0, offset - PAGE))}>{t('packages.previous')}</Link>}
              {offset + PAGE < list.data.total && <Link href={address(offset + PAGE)}>{t('packages.next')}</Link>}
            </Space>
          </nav>
        </>
      )}
    </>
  );
}
