import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Form, Input, InputNumber, List, Pagination, Select, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { api, call, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import { Highlight, searchTerms } from '../components/Highlight';
import { ProblemAlert, problemText } from '../components/problems';
import { fenToYuan, money, yuanToFen } from '../format';
import { useT } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { IP_KINDS, LISTING_STATUSES, MATURITIES, named, options, PRICING_MODES, TECHNICAL_FIELDS } from '../vocabulary';

type Query = paths['/api/v1/listings']['get']['parameters']['query'];

interface Filters {
  q?: string;
  field?: string;
  maturity?: string;
  pricingMode?: string;
  ipKind?: string;
  region?: string;
  minPrice?: number;
  maxPrice?: number;
  sort?: string;
}

const PAGE_SIZE = 10;
const KEYS = ['q', 'field', 'maturity', 'pricingMode', 'ipKind', 'region', 'sort'] as const;

/** The filters are the address (`/search?q=锂电池&field=new_energy`): a search can be shared and reloaded. */
function readFilters(params: URLSearchParams): Filters & { page: number } {
  const filters: Filters & { page: number } = { page: Math.max(1, Number(params.get('page')) || 1) };
  for (const key of KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const minFen = Number(params.get('minPriceFen'));
  const maxFen = Number(params.get('maxPriceFen'));
  if (params.get('minPriceFen') && Number.isFinite(minFen)) filters.minPrice = fenToYuan(minFen);
  if (params.get('maxPriceFen') && Number.isFinite(maxFen)) filters.maxPrice = fenToYuan(maxFen);
  return filters;
}

function toAddress(filters: Filters, page = 1): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value) params.set(key, String(value).trim());
  }
  if (filters.minPrice !== undefined && filters.minPrice !== null)
    params.set('minPriceFen', String(yuanToFen(filters.minPrice)));
  if (filters.maxPrice !== undefined && filters.maxPrice !== null)
    params.set('maxPriceFen', String(yuanToFen(filters.maxPrice)));
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `/search?${text}` : '/search';
}

function apiQuery(params: URLSearchParams, page: number): Query {
  const query: Record<string, string | number> = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  for (const key of [...KEYS, 'minPriceFen', 'maxPriceFen']) {
    const value = params.get(key);
    if (value) query[key] = key.endsWith('Fen') ? Number(value) : value;
  }
  return query as Query;
}

export default function Search() {
  const { t, lang } = useT();
  const { query: address } = useLocation();
  const filters = readFilters(address);
  const [form] = Form.useForm<Filters>();
  const key = address.toString();

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(readFilters(new URLSearchParams(key)));
  }, [key, form]);

  const results = useQuery({
    queryKey: ['listings', key],
    queryFn: () => call(api.GET('/api/v1/listings', { params: { query: apiQuery(address, filters.page) } })),
    placeholderData: (previous) => previous,
  });

  const select = (name: keyof Filters, label: string, choices: { value: string; label: string }[]) => (
    <Form.Item name={name} label={label}>
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('search.any')}
        options={choices}
        aria-label={label}
      />
    </Form.Item>
  );
  const terms = searchTerms(filters.q);
  const page = results.data;

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('search.title')}
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Form
          form={form}
          layout="vertical"
          role="search"
          onFinish={(values) => navigate(toAddress(values))}
          className="search-form"
        >
          <Form.Item name="q" label={t('search.q')} style={{ gridColumn: '1 / -1' }}>
            <Input placeholder={t('search.qPlaceholder')} allowClear />
          </Form.Item>
          {select('field', t('search.field'), options(TECHNICAL_FIELDS, lang))}
          {select('maturity', t('search.maturity'), options(MATURITIES, lang))}
          {select('pricingMode', t('search.pricingMode'), options(PRICING_MODES, lang))}
          {select('ipKind', t('search.ipKind'), options(IP_KINDS, lang))}
          <Form.Item name="region" label={t('search.region')}>
            <Input placeholder={t('search.regionPlaceholder')} maxLength={6} inputMode="numeric" />
          </Form.Item>
          <Form.Item name="minPrice" label={t('search.minPrice')}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="maxPrice" label={t('search.maxPrice')}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          {select(
            'sort',
            t('search.sort'),
            (['relevance', 'newest', 'price_asc', 'price_desc'] as const).map((value) => ({
              value,
              label: t(`search.sorts.${value}`),
            })),
          )}
          <Space style={{ gridColumn: '1 / -1' }}>
            <Button type="primary" htmlType="submit">
              {t('search.submit')}
            </Button>
            <Button onClick={() => navigate('/search')}>{t('search.reset')}</Button>
          </Space>
        </Form>
      </Card>
      {results.isError && <ProblemAlert messages={[problemText(results.error, lang)]} />}
      <section aria-live="polite" aria-busy={results.isFetching}>
        {page && (
          <Typography.Paragraph data-testid="result-count">
            {t(page.totalIsExact ? 'search.results' : 'search.resultsAbout', { total: page.total })}
          </Typography.Paragraph>
        )}
        {page && page.items.length === 0 ? (
          <Empty description={t('search.none')} />
        ) : (
          <List
            loading={results.isPending}
            dataSource={page?.items ?? []}
            renderItem={(listing) => <ResultItem listing={listing} terms={terms} />}
          />
        )}
        {page && page.total > PAGE_SIZE && (
          <Pagination
            current={filters.page}
            pageSize={PAGE_SIZE}
            total={Math.min(page.total, 10_000)}
            showSizeChanger={false}
            onChange={(next) => navigate(toAddress(filters, next))}
            style={{ marginTop: 16, textAlign: 'center' }}
          />
        )}
      </section>
    </>
  );
}

function ResultItem({ listing, terms }: { listing: Schemas['ListingView']; terms: string[] }) {
  const { t, lang } = useT();
  return (
    <List.Item className="result">
      <List.Item.Meta
        title={
          <h2 style={{ fontSize: 18, margin: 0 }}>
            <Link href={`/listings/${listing.id}`}>
              <Highlight text={listing.title} terms={terms} />
            </Link>
          </h2>
        }
        description={
          <>
            <Space size={[4, 4]} wrap style={{ marginBottom: 8 }}>
              <Tag className="field">{named(TECHNICAL_FIELDS, listing.technicalField, lang)}</Tag>
              <Tag>{named(MATURITIES, listing.maturity, lang)}</Tag>
              <Tag>{named(PRICING_MODES, listing.pricingMode, lang)}</Tag>
              <Tag className={`status status-${listing.status}`}>{named(LISTING_STATUSES, listing.status, lang)}</Tag>
            </Space>
            <p className="clamp2">
              <Highlight text={listing.summary} terms={terms} />
            </p>
            <span>
              {t('search.seller')}
              {t('colon')}
              {listing.seller.name} · {t('search.askingPrice')}
              {t('colon')}
              <span className="price">
                {listing.askingPriceFen === null ? t('search.noPrice') : money(listing.askingPriceFen, lang)}
              </span>
            </span>
          </>
        }
      />
    </List.Item>
  );
}
