import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { api, call, idempotencyKey, type Schemas } from '../api/client';
import { Countdown } from '../components/Countdown';
import { Loading } from '../components/Loading';
import { ProblemAlert, useProblem } from '../components/problems';
import { day, money, time } from '../format';
import { useT } from '../i18n';
import { useState } from 'react';
import { OfferForm, type OfferBody } from '../components/OfferForm';
import { Link, navigate } from '../router';
import { hasRole, useMe } from '../session';
import {
  IP_KINDS,
  IP_LEGAL_STATUSES,
  LISTING_STATUSES,
  MATURITIES,
  named,
  PRICING_MODES,
  TECHNICAL_FIELDS,
  TRANSFER_MODES,
} from '../vocabulary';

export default function ListingDetail({ params }: { params: Record<string, string> }) {
  const { t, lang } = useT();
  const { me } = useMe();
  const listing = useQuery({
    queryKey: ['listing', params.id, me?.id],
    queryFn: () => call(api.GET('/api/v1/listings/{id}', { params: { path: { id: params.id } } })),
  });
  if (!listing.data) return <Loading error={listing.error} />;
  const item = listing.data;
  const own = me?.organization.id === item.seller.organizationId;

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {item.title}
      </Typography.Title>
      <Space size={[4, 4]} wrap style={{ marginBottom: 16 }}>
        <Tag className="field">{named(TECHNICAL_FIELDS, item.technicalField, lang)}</Tag>
        <Tag className={`status status-${item.status}`}>{named(LISTING_STATUSES, item.status, lang)}</Tag>
      </Space>
      <Typography.Paragraph>{item.summary}</Typography.Paragraph>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('listing.seller')}>{item.seller.name}</Descriptions.Item>
        <Descriptions.Item label={t('listing.region')}>{item.regionCode}</Descriptions.Item>
        <Descriptions.Item label={t('listing.maturity')}>{named(MATURITIES, item.maturity, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('listing.pricingMode')}>
          {named(PRICING_MODES, item.pricingMode, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('listing.price')}>
          <span className="price">{money(item.askingPriceFen, lang)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('listing.transferModes')}>
          {item.transferModes.map((mode) => named(TRANSFER_MODES, mode, lang)).join('、')}
        </Descriptions.Item>
        <Descriptions.Item label={t('listing.publishedAt')}>{time(item.publishedAt, lang)}</Descriptions.Item>
        {item.listingPeriodEndsAt && (
          <Descriptions.Item label={t('listing.listingPeriodEnds')}>
            {time(item.listingPeriodEndsAt, lang)}
          </Descriptions.Item>
        )}
      </Descriptions>

      {item.status === 'announced' && (
        <Card style={{ marginBottom: 16 }} title={<h2 className="card-title">{t('listing.announcement')}</h2>}>
          {item.announcementPaused ? (
            <Alert type="warning" showIcon title={t('listing.announcementPaused')} />
          ) : (
            <Space direction="vertical">
              <span>
                {t('listing.announcementEnds')}
                {t('colon')}
                {time(item.announcementEndsAt, lang)}
              </span>
              <span>
                {t('listing.announcementLeft')}
                {t('colon')}
                <Countdown until={item.announcementEndsAt} testId="announcement-left" />
              </span>
            </Space>
          )}
        </Card>
      )}

      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {t('listing.ipItems')}
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(row, index) => `${row.kind}-${row.number ?? index}`}
        dataSource={item.ipItems}
        scroll={{ x: true }}
        columns={[
          { title: t('seller.ipKind'), dataIndex: 'kind', render: (kind: string) => named(IP_KINDS, kind, lang) },
          { title: t('listing.ipNumber'), dataIndex: 'number', render: (n: string | null) => n ?? '—' },
          {
            title: t('listing.ipStatus'),
            dataIndex: 'legalStatus',
            render: (s: string) => named(IP_LEGAL_STATUSES, s, lang),
          },
        ]}
        style={{ marginBottom: 16 }}
      />

      <Packages listingId={item.id} />

      {item.auctionId && (
        <Link href={`/auctions/${item.auctionId}`}>
          <Button type="primary" tabIndex={-1} style={{ marginBottom: 16 }}>
            {t('listing.auction')}
          </Button>
        </Link>
      )}

      {!me && (
        <Alert type="info" title={<Link href={`/signin?next=/listings/${item.id}`}>{t('listing.signInToAct')}</Link>} />
      )}
      {me && !own && item.pricingMode === 'listed' && item.status === 'open' && hasRole(me, 'buyer') && (
        <IntentButton listing={item} />
      )}
      {me && !own && item.pricingMode === 'negotiated' && item.status === 'open' && hasRole(me, 'buyer') && (
        <NegotiateCard listing={item} />
      )}
      {me && !own && item.status === 'announced' && !item.announcementPaused && <ObjectionForm listingId={item.id} />}
    </>
  );
}

/** The achievement packages (科技成果包) holding this listing, newest issue first: none, no section. */
function Packages({ listingId }: { listingId: string }) {
  const { t, lang } = useT();
  const packages = useQuery({
    queryKey: ['packages', 'holding', listingId],
    queryFn: () => call(api.GET('/api/v1/packages', { params: { query: { listingId, limit: 20 } } })),
  });
  const items = packages.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="listing-packages" aria-labelledby="listing-packages-title">
      <Typography.Title level={2} style={{ fontSize: 20 }} id="listing-packages-title">
        {t('packages.inPackages')}
      </Typography.Title>
      <ul>
        {items.map((pkg) => (
          <li key={pkg.id}>
            <Link href={`/packages/${pkg.id}`}>{pkg.title}</Link>
            <span className="meta">
              {named(TECHNICAL_FIELDS, pkg.technicalField, lang)} · {t('packages.issuedOn')}
              {t('colon')}
              {day(pkg.issuedOn, lang)} · {t('packages.listingCount', { n: pkg.listingCount })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function IntentButton({ listing }: { listing: Schemas['ListingView'] }) {
  const { t, lang } = useT();
  const problem = useProblem();
  const intent = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/listings/{id}/intents', {
          params: { path: { id: listing.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: {},
        }),
      ),
    onError: (error) => problem.report(error),
  });
  return (
    <Card style={{ marginBottom: 16 }}>
      <ProblemAlert messages={problem.messages} />
      {intent.isSuccess ? (
        <Alert type="success" showIcon title={t('listing.intentDone')} />
      ) : (
        <Button type="primary" loading={intent.isPending} onClick={() => intent.mutate()}>
          {t('listing.intent')}（{money(listing.askingPriceFen, lang)}）
        </Button>
      )}
    </Card>
  );
}

/** Opens a negotiation on a listing priced by negotiation, with the buyer's first offer. */
function NegotiateCard({ listing }: { listing: Schemas['ListingView'] }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  // The caller's organization may already be negotiating this listing: one live negotiation each.
  const existing = useQuery({
    queryKey: ['negotiations', 'listing', listing.id],
    queryFn: () => call(api.GET('/api/v1/negotiations', { params: { query: { listingId: listing.id, limit: 50 } } })),
  });
  const live = existing.data?.items.find((n) => ['open', 'agreed', 'announced'].includes(n.status));
  const start = useMutation({
    mutationFn: (body: OfferBody) =>
      call(
        api.POST('/api/v1/negotiations', {
          params: { header: { 'Idempotency-Key': idempotencyKey() } },
          body: { ...body, listingId: listing.id },
        }),
      ),
    onSuccess: (negotiation) => navigate(`/negotiations/${negotiation.id}`),
  });
  return (
    <Card style={{ marginBottom: 16 }} title={<h2 className="card-title">{t('negotiation.startTitle')}</h2>}>
      {live ? (
        <Link href={`/negotiations/${live.id}`}>{t('negotiation.goThread')}</Link>
      ) : open ? (
        <OfferForm
          modes={listing.transferModes}
          submitLabel={t('negotiation.send')}
          pending={start.isPending}
          onSubmit={(body) => start.mutateAsync(body)}
        />
      ) : (
        <Button type="primary" onClick={() => setOpen(true)}>
          {t('negotiation.start')}
        </Button>
      )}
    </Card>
  );
}

function ObjectionForm({ listingId }: { listingId: string }) {
  const { t } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const problem = useProblem(form, ['reason']);
  const client = useQueryClient();
  const object = useMutation({
    mutationFn: (reason: string) =>
      call(
        api.POST('/api/v1/listings/{id}/objections', {
          params: { path: { id: listingId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { reason },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['listing', listingId] }),
    onError: (error) => problem.report(error),
  });
  return (
    <Card title={<h2 className="card-title">{t('listing.objectTitle')}</h2>} style={{ marginBottom: 16 }}>
      <ProblemAlert messages={problem.messages} />
      {object.isSuccess ? (
        <Alert type="success" showIcon title={t('listing.objected')} />
      ) : (
        <Form form={form} layout="vertical" onFinish={(values) => object.mutate(values.reason)}>
          <Form.Item
            name="reason"
            label={t('listing.objectReason')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
          <Button htmlType="submit" loading={object.isPending}>
            {t('listing.objectSubmit')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
