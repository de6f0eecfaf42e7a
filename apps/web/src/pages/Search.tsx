import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Pagination, Space, Tag, Typography } from 'antd';
import { type FormEvent, type ReactNode } from 'react';
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

/** A labelled native control: light to render, and the keyboard and phones know it. */
function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field-box">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

export default function Search() {
  const { t, lang } = useT();
  const { query: address } = useLocation();
  const filters = readFilters(address);
  const key = address.toString();

  const results = useQuery({
    queryKey: ['listings', key],
    queryFn: () => call(api.GET('/api/v1/listings', { params: { query: apiQuery(address, filters.page) } })),
    placeholderData: (previous) => previous,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '').trim() || undefined;
    const amount = (name: string) => (text(name) === undefined ? undefined : Number(text(name)));
    navigate(
      toAddress({
        q: text('q'),
        field: text('field'),
        maturity: text('maturity'),
        pricingMode: text('pricingMode'),
        ipKind: text('ipKind'),
        region: text('region'),
        minPrice: amount('minPrice'),
        maxPrice: amount('maxPrice'),
        sort: text('sort'),
      }),
    );
  };

  const select = (name: keyof Filters, label: string, choices: { value: string; label: string }[]) => (
    <Field id={`f-${name}`} label={label}>
      <select
        id={`f-${name}`}
        name={name}
        defaultValue={(filters[name] as string | undefined) ?? ''}
        className="control"
      >
        <option value="">{t('search.any')}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </Field>
  );
  const terms = searchTerms(filters.q);
  const page = results.data;

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('search.title')}
      </Typography.Title>
      {/* Keyed by the address: going back or forward shows that search's filters. */}
      <form key={`${key}-${lang}`} role="search" onSubmit={submit} className="search-form search-card">
        <div style={{ gridColumn: '1 / -1' }}>
          <Field id="f-q" label={t('search.q')}>
            <input
              id="f-q"
              name="q"
              type="search"
              className="control"
              defaultValue={filters.q ?? ''}
              placeholder={t('search.qPlaceholder')}
            />
          </Field>
        </div>
        {select('field', t('search.field'), options(TECHNICAL_FIELDS, lang))}
        {select('maturity', t('search.maturity'), options(MATURITIES, lang))}
        {select('pricingMode', t('search.pricingMode'), options(PRICING_MODES, lang))}
        {select('ipKind', t('search.ipKind'), options(IP_KINDS, lang))}
        <Field id="f-region" label={t('search.region')}>
          <input
            id="f-region"
            name="region"
            className="control"
            defaultValue={filters.region ?? ''}
            placeholder={t('search.regionPlaceholder')}
            maxLength={6}
            inputMode="numeric"
            pattern="[0-9]{6}"
          />
        </Field>
        <Field id="f-minPrice" label={t('search.minPrice')}>
          <input
            id="f-minPrice"
            name="minPrice"
            type="number"
            min={0}
            className="control"
            defaultValue={filters.minPrice ?? ''}
          />
        </Field>
        <Field id="f-maxPrice" label={t('search.maxPrice')}>
          <input
            id="f-maxPrice"
            name="maxPrice"
            type="number"
            min={0}
            className="control"
            defaultValue={filters.maxPrice ?? ''}
          />
        </Field>
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
      </form>
      {results.isError && <ProblemAlert messages={[problemText(results.error, lang)]} />}
      <section aria-live="polite" aria-busy={results.isFetching} className="results">
        <p data-testid="result-count" className="result-count">
          {page ? t(page.totalIsExact ? 'search.results' : 'search.resultsAbout', { total: page.total }) : '\u00a0'}
        </p>
        {page && page.items.length === 0 && <Empty description={t('search.none')} />}
        <ul className="result-list">
          {(page?.items ?? []).map((listing) => (
            <ResultItem key={listing.id} listing={listing} terms={terms} />
          ))}
        </ul>
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
    <li className="result">
      <h2 className="result-title">
        <Link href={`/listings/${listing.id}`}>
          <Highlight text={listing.title} terms={terms} />
        </Link>
      </h2>
      <div className="tags">
        <Tag className="field">{named(TECHNICAL_FIELDS, listing.technicalField, lang)}</Tag>
        <Tag>{named(MATURITIES, listing.maturity, lang)}</Tag>
        <Tag>{named(PRICING_MODES, listing.pricingMode, lang)}</Tag>
        <Tag className={`status status-${listing.status}`}>{named(LISTING_STATUSES, listing.status, lang)}</Tag>
      </div>
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
    </li>
  );
}
