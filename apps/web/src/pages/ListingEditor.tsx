import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, List, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, idempotencyKey, type Schemas } from '../api/client';
import { Loading } from '../components/Loading';
import { ProblemAlert, useProblem } from '../components/problems';
import { fenToYuan, yuanToFen } from '../format';
import { useT } from '../i18n';
import { Link, navigate } from '../router';
import {
  AUCTION_KINDS,
  IP_KINDS,
  IP_LEGAL_STATUSES,
  LISTING_STATUSES,
  MATURITIES,
  named,
  OBJECTION_STATUSES,
  options,
  PRICING_MODES,
  TECHNICAL_FIELDS,
  TRANSFER_MODES,
} from '../vocabulary';

type Input = Schemas['CreateListingInput'];

interface Values extends Omit<Input, 'askingPriceFen' | 'ipItems'> {
  askingPrice?: number | null;
  ipItems: {
    kind: Input['ipItems'][number]['kind'];
    number?: string;
    legalStatus: Input['ipItems'][number]['legalStatus'];
  }[];
}

const FIELDS = [
  'title',
  'summary',
  'technicalField',
  'maturity',
  'ipItems',
  'transferModes',
  'pricingMode',
  'askingPrice',
  'internalNote',
];
const RENAME = { askingPriceFen: 'askingPrice' };

/** An optional amount in yuan, as fen for the API (left out when empty). */
const fenOrUndefined = (yuan: number | null | undefined) =>
  yuan === undefined || yuan === null ? undefined : yuanToFen(yuan);

function toInput(values: Values): Input {
  const { askingPrice, ipItems, ...rest } = values;
  return {
    ...rest,
    ipItems: ipItems.map((item) => ({ ...item, number: item.number?.trim() ? item.number.trim() : null })),
    askingPriceFen: fenOrUndefined(askingPrice),
  } as Input;
}

function toValues(listing: Schemas['OwnListingView']): Values {
  return {
    title: listing.title,
    summary: listing.summary,
    technicalField: listing.technicalField,
    maturity: listing.maturity,
    ipItems: listing.ipItems.map((item) => ({ ...item, number: item.number ?? undefined })),
    transferModes: listing.transferModes,
    pricingMode: listing.pricingMode,
    askingPrice: listing.askingPriceFen === null ? null : fenToYuan(listing.askingPriceFen),
    internalNote: listing.internalNote ?? undefined,
  };
}

/** A seller's listing: a draft is edited and submitted here; later, its objections are answered here. */
export default function ListingEditor({ params }: { params: Record<string, string> }) {
  const { t, lang } = useT();
  const id = params.id as string | undefined;
  const listing = useQuery({
    queryKey: ['own-listing', id],
    enabled: Boolean(id),
    queryFn: () => call(api.GET('/api/v1/listings/{id}', { params: { path: { id: id! } } })),
  });
  if (id && !listing.data) return <Loading error={listing.error} />;
  const own = listing.data as Schemas['OwnListingView'] | undefined;
  return (
    <>
      <Link href="/seller">{t('seller.backToList')}</Link>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {own ? own.title : t('seller.new')}
      </Typography.Title>
      {own && (
        <Typography.Paragraph>
          {t('seller.status')}
          {t('colon')}
          <Tag className={`status status-${own.status}`} data-testid="listing-status">
            {named(LISTING_STATUSES, own.status, lang)}
          </Tag>
        </Typography.Paragraph>
      )}
      {own?.status === 'draft' && own.closedReason && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${t('seller.reviewNote')}${t('colon')}${own.closedReason}`}
        />
      )}
      {(!own || own.status === 'draft') && <DraftForm listing={own} />}
      {own && own.status === 'announced' && <Objections listingId={own.id} />}
      {own && own.status === 'open' && own.pricingMode === 'auction' && <ScheduleAuction listingId={own.id} />}
    </>
  );
}

function DraftForm({ listing }: { listing?: Schemas['OwnListingView'] }) {
  const { t, lang } = useT();
  const [form] = Form.useForm<Values>();
  const problem = useProblem(form, FIELDS, RENAME);
  const [notice, setNotice] = useState<'saved' | null>(null);
  const client = useQueryClient();
  useEffect(() => {
    form.setFieldsValue(
      listing
        ? toValues(listing)
        : ({
            ipItems: [{ kind: 'invention_patent', legalStatus: 'granted' }],
            transferModes: ['assignment'],
          } as Partial<Values>),
    );
  }, [listing, form]);

  const save = useMutation({
    mutationFn: (values: Values) =>
      listing
        ? call(api.PATCH('/api/v1/listings/{id}', { params: { path: { id: listing.id } }, body: toInput(values) }))
        : call(
            api.POST('/api/v1/listings', {
              params: { header: { 'Idempotency-Key': idempotencyKey() } },
              body: toInput(values),
            }),
          ),
    onSuccess: (saved) => {
      problem.clear();
      setNotice('saved');
      client.setQueryData(['own-listing', saved.id], saved);
      void client.invalidateQueries({ queryKey: ['listings', 'mine'] });
      if (!listing) navigate(`/seller/listings/${saved.id}`, { replace: true });
    },
    onError: (error) => {
      setNotice(null);
      problem.report(error);
    },
  });
  const submit = useMutation({
    mutationFn: (id: string) =>
      call(
        api.POST('/api/v1/listings/{id}/submit', {
          params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey() } },
        }),
      ),
    onSuccess: (submitted) => {
      problem.clear();
      client.setQueryData(['own-listing', submitted.id], submitted);
      void client.invalidateQueries({ queryKey: ['listings', 'mine'] });
    },
    onError: (error) => problem.report(error),
  });

  const required = [{ required: true, message: t('common.required') }];
  return (
    <Card>
      <ProblemAlert messages={problem.messages} />
      {notice && <Alert type="success" showIcon role="status" title={t('seller.saved')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)} scrollToFirstError>
        <Form.Item name="title" label={t('seller.titleField')} rules={required}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="summary" label={t('seller.summary')} rules={required}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <div className="search-form">
          <Form.Item name="technicalField" label={t('listing.field')} rules={required}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={options(TECHNICAL_FIELDS, lang)}
              aria-label={t('listing.field')}
            />
          </Form.Item>
          <Form.Item name="maturity" label={t('listing.maturity')} rules={required}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={options(MATURITIES, lang)}
              aria-label={t('listing.maturity')}
            />
          </Form.Item>
          <Form.Item name="pricingMode" label={t('listing.pricingMode')} rules={required}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={options(PRICING_MODES, lang)}
              aria-label={t('listing.pricingMode')}
            />
          </Form.Item>
          <Form.Item name="askingPrice" label={t('seller.askingPrice')}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="transferModes" label={t('listing.transferModes')} rules={required}>
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={options(TRANSFER_MODES, lang)}
            aria-label={t('listing.transferModes')}
          />
        </Form.Item>
        <fieldset className="ip-items">
          <legend>{t('listing.ipItems')}</legend>
          <Typography.Paragraph type="secondary">{t('seller.ipItemsHint')}</Typography.Paragraph>
          <Form.List name="ipItems">
            {(items, { add, remove }) => (
              <>
                {items.map((item, index) => (
                  <div key={item.key} className="ip-item">
                    <Form.Item name={[item.name, 'kind']} label={`${t('seller.ipKind')} ${index + 1}`} rules={required}>
                      <Select options={options(IP_KINDS, lang)} aria-label={`${t('seller.ipKind')} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item name={[item.name, 'number']} label={`${t('seller.ipNumber')} ${index + 1}`}>
                      <Input />
                    </Form.Item>
                    <Form.Item
                      name={[item.name, 'legalStatus']}
                      label={`${t('seller.ipStatus')} ${index + 1}`}
                      rules={required}
                    >
                      <Select
                        options={options(IP_LEGAL_STATUSES, lang)}
                        aria-label={`${t('seller.ipStatus')} ${index + 1}`}
                      />
                    </Form.Item>
                    {items.length > 1 && (
                      <Button onClick={() => remove(item.name)} aria-label={`${t('seller.removeIp')} ${index + 1}`}>
                        {t('seller.removeIp')}
                      </Button>
                    )}
                  </div>
                ))}
                <Button onClick={() => add({ kind: 'invention_patent', legalStatus: 'granted' })}>
                  {t('seller.addIp')}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>
        <Form.Item name="internalNote" label={t('seller.internalNote')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('seller.save')}
          </Button>
          {listing && (
            <Button onClick={() => submit.mutate(listing.id)} loading={submit.isPending}>
              {t('seller.submit')}
            </Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}

/** The listing's objections; an open one is answered here (the announcement resumes after a ruling). */
function Objections({ listingId }: { listingId: string }) {
  const { t, lang } = useT();
  const objections = useQuery({
    queryKey: ['objections', listingId],
    queryFn: () => call(api.GET('/api/v1/listings/{id}/objections', { params: { path: { id: listingId } } })),
  });
  if (!objections.data) return <Loading error={objections.error} />;
  return (
    <Card title={<h2 className="card-title">{t('seller.objections')}</h2>}>
      <List
        dataSource={objections.data}
        locale={{ emptyText: '—' }}
        renderItem={(objection) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <Tag className={`status status-${objection.status}`}>
                {named(OBJECTION_STATUSES, objection.status, lang)}
              </Tag>
              {objection.reason}
              {objection.answer && <Typography.Paragraph type="secondary">{objection.answer}</Typography.Paragraph>}
              {objection.status === 'awaiting_answer' && (
                <AnswerForm listingId={listingId} objectionId={objection.id} />
              )}
            </div>
          </List.Item>
        )}
      />
    </Card>
  );
}

function AnswerForm({ listingId, objectionId }: { listingId: string; objectionId: string }) {
  const { t } = useT();
  const [form] = Form.useForm<{ answer: string }>();
  const problem = useProblem(form, ['answer']);
  const client = useQueryClient();
  const answer = useMutation({
    mutationFn: (text: string) =>
      call(
        api.POST('/api/v1/listings/{id}/objections/{objectionId}/answer', {
          params: { path: { id: listingId, objectionId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { answer: text },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['objections', listingId] }),
    onError: (error) => problem.report(error),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(values) => answer.mutate(values.answer)} style={{ marginTop: 8 }}>
      <ProblemAlert messages={problem.messages} />
      <Form.Item name="answer" label={t('seller.answer')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Button htmlType="submit" loading={answer.isPending}>
        {t('seller.answerSubmit')}
      </Button>
    </Form>
  );
}

interface ScheduleValues {
  kind: Schemas['CreateAuctionInput']['kind'];
  startingPrice: number;
  reservePrice?: number | null;
  increment?: number | null;
  deposit: number;
  startsAt: string;
  endsAt: string;
}

const SCHEDULE_FIELDS = ['kind', 'startingPrice', 'reservePrice', 'increment', 'deposit', 'startsAt', 'endsAt'];
const SCHEDULE_RENAME = {
  startingPriceFen: 'startingPrice',
  reservePriceFen: 'reservePrice',
  incrementFen: 'increment',
  depositFen: 'deposit',
};

/** A `datetime-local` value, read as Beijing time whatever the browser's zone, as an instant. */
function beijingInstant(local: string): string {
  return new Date(`${local}:00+08:00`).toISOString();
}

/** The seller schedules the auction of its open auction-mode listing (POST /auctions). */
function ScheduleAuction({ listingId }: { listingId: string }) {
  const { t, lang } = useT();
  const [form] = Form.useForm<ScheduleValues>();
  const problem = useProblem(form, SCHEDULE_FIELDS, SCHEDULE_RENAME);
  const kind = Form.useWatch('kind', form);
  const schedule = useMutation({
    mutationFn: (values: ScheduleValues) =>
      call(
        api.POST('/api/v1/auctions', {
          params: { header: { 'Idempotency-Key': idempotencyKey() } },
          body: {
            listingId,
            kind: values.kind,
            startingPriceFen: yuanToFen(values.startingPrice),
            reservePriceFen: fenOrUndefined(values.reservePrice),
            incrementFen: values.kind === 'english' ? fenOrUndefined(values.increment) : undefined,
            depositFen: yuanToFen(values.deposit),
            startsAt: beijingInstant(values.startsAt),
            endsAt: beijingInstant(values.endsAt),
          },
        }),
      ),
    onSuccess: () => problem.clear(),
    onError: (error) => problem.report(error),
  });
  const required = [{ required: true, message: t('common.required') }];
  const scheduled = schedule.data;
  return (
    <Card title={<h2 className="card-title">{t('schedule.title')}</h2>}>
      {scheduled ? (
        <Alert
          type="success"
          showIcon
          role="status"
          data-testid="auction-scheduled"
          title={t('schedule.done')}
          description={<Link href={`/auctions/${scheduled.id}`}>{t('schedule.open')}</Link>}
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('schedule.hint')}</Typography.Paragraph>
          <ProblemAlert messages={problem.messages} />
          <Form
            form={form}
            layout="vertical"
            initialValues={{ kind: 'english' }}
            onFinish={(values) => schedule.mutate(values)}
            scrollToFirstError
          >
            <div className="search-form">
              <Form.Item name="kind" label={t('schedule.kind')} rules={required}>
                <Select options={options(AUCTION_KINDS, lang)} showSearch={{ optionFilterProp: 'label' }} />
              </Form.Item>
              <Form.Item name="startingPrice" label={t('schedule.startingPrice')} rules={required}>
                <InputNumber min={0.01} style={{ width: '100%' }} />
              </Form.Item>
              {kind !== 'sealed' && (
                <Form.Item name="increment" label={t('schedule.increment')} rules={required}>
                  <InputNumber min={0.01} style={{ width: '100%' }} />
                </Form.Item>
              )}
              <Form.Item name="reservePrice" label={t('schedule.reservePrice')} extra={t('schedule.reserveHint')}>
                <InputNumber min={0.01} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="deposit" label={t('schedule.deposit')} rules={required}>
                <InputNumber min={0.01} style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="startsAt" label={t('schedule.startsAt')} rules={required}>
                <Input type="datetime-local" />
              </Form.Item>
              <Form.Item name="endsAt" label={t('schedule.endsAt')} rules={required}>
                <Input type="datetime-local" />
              </Form.Item>
            </div>
            <Button type="primary" htmlType="submit" loading={schedule.isPending}>
              {t('schedule.submit')}
            </Button>
          </Form>
        </>
      )}
    </Card>
  );
}
