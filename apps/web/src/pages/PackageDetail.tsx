import { useQuery } from '@tanstack/react-query';
import { Empty, Tag, Typography } from 'antd';
import { api, call } from '../api/client';
import { Loading } from '../components/Loading';
import { day, money } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import { named, PRICING_MODES, TECHNICAL_FIELDS } from '../vocabulary';

/** An achievement package (科技成果包, `GET /packages/{id}`): its listings still public, in the published order. */
export default function PackageDetail({ params }: { params: Record<string, string> }) {
  const { t, lang } = useT();
  const pkg = useQuery({
    queryKey: ['package', params.id],
    queryFn: () => call(api.GET('/api/v1/packages/{id}', { params: { path: { id: params.id } } })),
  });
  if (!pkg.data) return <Loading error={pkg.error} />;
  const p = pkg.data;
  return (
    <>
      <p className="eyebrow">{t('packages.kind')}</p>
      <Typography.Title level={1} style={{ fontSize: 26, marginTop: 0 }}>
        {p.title}
      </Typography.Title>
      <p className="meta">
        <Tag className="field">{named(TECHNICAL_FIELDS, p.technicalField, lang)}</Tag>
        {t('packages.issuedOn')}
        {t('colon')}
        <span data-testid="package-issued">{day(p.issuedOn, lang)}</span>
      </p>
      {p.description && <Typography.Paragraph style={{ maxWidth: 760 }}>{p.description}</Typography.Paragraph>}
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {t('packages.listings', { n: p.listingCount })}
      </Typography.Title>
      {p.listings.length === 0 ? (
        <Empty description={t('packages.none')} />
      ) : (
        <ol className="package-listings">
          {p.listings.map((listing) => (
            <li key={listing.id}>
              <Link href={`/listings/${listing.id}`}>{listing.title}</Link>
              <span className="meta">
                {named(TECHNICAL_FIELDS, listing.technicalField, lang)} · {listing.seller.name} ·{' '}
                {named(PRICING_MODES, listing.pricingMode, lang)}
                {listing.askingPriceFen !== null && (
                  <span className="price"> · {money(listing.askingPriceFen, lang)}</span>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
