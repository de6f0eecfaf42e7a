import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, call, idempotencyKey, type Schemas } from '../api/client';
import { Loading } from '../components/Loading';
import { OfferForm, type OfferBody } from '../components/OfferForm';
import { ProblemAlert, useProblem } from '../components/problems';
import { type Lang, money, time, yuanToFen } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import {
  EXCLUSIVITIES,
  named,
  NEGOTIATION_STATUSES,
  OFFER_STATUSES,
  SCHEDULE_KINDS,
  SIDES,
  TRANSFER_MODES,
} from '../vocabulary';

type Negotiation = Schemas['NegotiationView'];
type Offer = Schemas['OfferView'];

/** A negotiation: its offers with their terms, the moves the caller may make, and the thread. */
export default function NegotiationThread({ params }: { params: Record<string, string> }) {
  const { t, lang } = useT();
  const negotiation = useQuery({
    queryKey: ['negotiation', params.id],
    queryFn: () => call(api.GET('/api/v1/negotiations/{id}', { params: { path: { id: params.id } } })),
  });
  const listing = useQuery({
    queryKey: ['listing', negotiation.data?.listingId],
    enabled: Boolean(negotiation.data),
    queryFn: () => call(api.GET('/api/v1/listings/{id}', { params: { path: { id: negotiation.data!.listingId } } })),
  });
  if (!negotiation.data) return <Loading error={negotiation.error} />;
  const item = negotiation.data;
  const side = item.yourRole === 'buyer' || item.yourRole === 'seller' ? item.yourRole : null;
  const standing = item.currentOffer;
  const myTurn = item.status === 'open' && side !== null && item.awaitingAnswerFrom === side && standing;
  const proposals = item.offers.filter(
    (offer) => offer.status === 'awaiting_confirmation' && side !== null && item.broker?.clientSide === side,
  );

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {item.listingTitle}
      </Typography.Title>
      <Space size={[4, 4]} wrap style={{ marginBottom: 16 }}>
        <Tag className={`status status-${item.status}`} data-testid="negotiation-status">
          {named(NEGOTIATION_STATUSES, item.status, lang)}
        </Tag>
        <Link href={`/listings/${item.listingId}`}>{t('negotiation.listing')}</Link>
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('negotiation.seller')}>{item.seller.name}</Descriptions.Item>
        <Descriptions.Item label={t('negotiation.buyer')}>{item.buyer.name}</Descriptions.Item>
        <Descriptions.Item label={t('negotiation.yourRole')}>{named(SIDES, item.yourRole, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('negotiation.awaiting')}>
          {item.awaitingAnswerFrom ? named(SIDES, item.awaitingAnswerFrom, lang) : '—'}
        </Descriptions.Item>
        {item.broker && (
          <Descriptions.Item label={t('negotiation.commission')}>
            {commissionText(item.broker.commission, lang, t)}
          </Descriptions.Item>
        )}
        {item.endedReason && <Descriptions.Item label={t('negotiation.reason')}>{item.endedReason}</Descriptions.Item>}
      </Descriptions>

      {item.agreedTerms && (
        <div data-testid="agreed">
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            title={`${t('negotiation.agreed')}${t('colon')}${money(item.agreedTerms.priceFen, lang)} · ${named(TRANSFER_MODES, item.agreedTerms.transferMode, lang)}`}
          />
        </div>
      )}
      {item.status === 'open' && side && (
        <div data-testid="turn">
          <Alert
            type={myTurn ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 16 }}
            title={myTurn ? t('negotiation.yourTurn') : t('negotiation.theirTurn')}
          />
        </div>
      )}

      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {t('negotiation.offers')}
      </Typography.Title>
      <div className="offers" data-testid="offers">
        {[...item.offers].reverse().map((offer) => (
          <OfferCard key={offer.id} offer={offer} />
        ))}
      </div>

      {proposals.map((proposal) => (
        <ConfirmProposal key={proposal.id} negotiation={item} proposal={proposal} />
      ))}
      {myTurn && standing && (
        <Answer negotiation={item} standing={standing} modes={listing.data?.transferModes ?? [standing.transferMode]} />
      )}
      {item.status === 'open' && side && (
        <div className="party-actions">
          {!item.broker && <InviteBroker negotiation={item} side={side} />}
          <Withdraw negotiation={item} />
        </div>
      )}
      <Messages negotiationId={item.id} canWrite={item.yourRole !== 'admin'} />
    </>
  );
}

function commissionText(commission: Schemas['CommissionTermsView'], lang: Lang, t: (key: string) => string): string {
  const amount =
    commission.fixedFen !== null ? money(commission.fixedFen, lang) : `${(commission.rateBasisPoints ?? 0) / 100}%`;
  return `${amount}（${t('negotiation.paidBy')}${t('colon')}${named(SIDES, commission.paidBy, lang)}）`;
}

function OfferCard({ offer }: { offer: Offer }) {
  const { t, lang } = useT();
  const schedule = offer.paymentSchedule;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={`offer-${offer.seq}`}
      title={
        <h3 className="card-title">
          #{offer.seq} {named(SIDES, offer.side, lang)} · <span className="price">{money(offer.priceFen, lang)}</span>
        </h3>
      }
      extra={<Tag className={`status status-${offer.status}`}>{named(OFFER_STATUSES, offer.status, lang)}</Tag>}
    >
      <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2 }}>
        <Descriptions.Item label={t('negotiation.transferMode')}>
          {named(TRANSFER_MODES, offer.transferMode, lang)}
        </Descriptions.Item>
        {offer.license && (
          <Descriptions.Item label={t('negotiation.license')}>
            {[
              offer.license.fieldOfUse,
              offer.license.territory === 'nationwide'
                ? t('negotiation.nationwide')
                : (offer.license.territory as string[]).join('、'),
              t('negotiation.months', { n: offer.license.termMonths }),
              named(EXCLUSIVITIES, offer.license.exclusivity, lang),
            ].join(' · ')}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('negotiation.payment')}>
          {named(SCHEDULE_KINDS, schedule.kind, lang)}
          {schedule.dueOn ? ` · ${t('negotiation.dueOn')} ${schedule.dueOn}` : ''}
          {schedule.instalments?.map((part) => ` · ${money(part.amountFen, lang)} ${part.dueOn}`).join('')}
          {schedule.kind === 'royalty' &&
            ` · ${money(schedule.downPaymentFen, lang)} + ${(schedule.royaltyBasisPoints ?? 0) / 100}% · ${t('negotiation.months', { n: schedule.royaltyTermMonths })}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('negotiation.expiresAt')}>{time(offer.expiresAt, lang)}</Descriptions.Item>
        {offer.viaBroker && <Descriptions.Item label={t('negotiation.viaBroker')}>{t('common.yes')}</Descriptions.Item>}
        {offer.reason && <Descriptions.Item label={t('negotiation.reason')}>{offer.reason}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

function useRefresh(negotiationId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['negotiation', negotiationId] }),
      client.invalidateQueries({ queryKey: ['negotiations'] }),
    ]);
}

const headers = () => ({ 'Idempotency-Key': idempotencyKey() });

/** The side that must answer: accept, reject with a reason, or counter. */
function Answer({ negotiation, standing, modes }: { negotiation: Negotiation; standing: Offer; modes: string[] }) {
  const { t } = useT();
  const refresh = useRefresh(negotiation.id);
  const problem = useProblem();
  const [mode, setMode] = useState<'none' | 'reject' | 'counter'>('none');
  const path = { id: negotiation.id, offerId: standing.id };
  const accept = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/negotiations/{id}/offers/{offerId}/accept', {
          params: { path, header: headers() },
        }),
      ),
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  const counter = useMutation({
    mutationFn: (body: OfferBody) =>
      call(
        api.POST('/api/v1/negotiations/{id}/offers', {
          params: { path: { id: negotiation.id }, header: headers() },
          body: { ...body, replyToOfferId: standing.id },
        }),
      ),
    onSuccess: refresh,
  });
  return (
    <Card style={{ marginBottom: 16 }} title={<h2 className="card-title">{t('negotiation.yourTurn')}</h2>}>
      <ProblemAlert messages={problem.messages} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Button type="primary" loading={accept.isPending} onClick={() => accept.mutate()}>
          {t('negotiation.accept')}
        </Button>
        <Button onClick={() => setMode('counter')}>{t('negotiation.counter')}</Button>
        <Button danger onClick={() => setMode('reject')}>
          {t('negotiation.reject')}
        </Button>
      </Space>
      {mode === 'reject' && <RejectForm negotiationId={negotiation.id} offerId={standing.id} />}
      {mode === 'counter' && (
        <section aria-label={t('negotiation.counterTitle')}>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            {t('negotiation.counterTitle')}
          </Typography.Title>
          <OfferForm
            modes={modes}
            submitLabel={t('negotiation.send')}
            pending={counter.isPending}
            onSubmit={(body) => counter.mutateAsync(body)}
          />
        </section>
      )}
    </Card>
  );
}

function RejectForm({ negotiationId, offerId }: { negotiationId: string; offerId: string }) {
  const { t } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const problem = useProblem(form, ['reason']);
  const refresh = useRefresh(negotiationId);
  const reject = useMutation({
    mutationFn: (reason: string) =>
      call(
        api.POST('/api/v1/negotiations/{id}/offers/{offerId}/reject', {
          params: { path: { id: negotiationId, offerId }, header: headers() },
          body: { reason },
        }),
      ),
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(values) => reject.mutate(values.reason)}>
      <ProblemAlert messages={problem.messages} />
      <Form.Item
        name="reason"
        label={t('negotiation.rejectReason')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
      <Button danger htmlType="submit" loading={reject.isPending}>
        {t('negotiation.reject')}
      </Button>
    </Form>
  );
}

/** A broker's proposal, which the client confirms to make it its offer. */
function ConfirmProposal({ negotiation, proposal }: { negotiation: Negotiation; proposal: Offer }) {
  const { t, lang } = useT();
  const problem = useProblem();
  const refresh = useRefresh(negotiation.id);
  const confirm = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/negotiations/{id}/offers/{offerId}/confirm', {
          params: { path: { id: negotiation.id, offerId: proposal.id }, header: headers() },
        }),
      ),
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  return (
    <Card style={{ marginBottom: 16 }}>
      <ProblemAlert messages={problem.messages} />
      <Button type="primary" loading={confirm.isPending} onClick={() => confirm.mutate()}>
        {t('negotiation.confirm')}（#{proposal.seq} {money(proposal.priceFen, lang)}）
      </Button>
    </Card>
  );
}

/** Either party breaks off the negotiation, as the standing offer it saw stands (a reason optional). */
function Withdraw({ negotiation }: { negotiation: Negotiation }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason?: string }>();
  const problem = useProblem(form, ['reason']);
  const refresh = useRefresh(negotiation.id);
  const withdraw = useMutation({
    mutationFn: (reason?: string) =>
      call(
        api.POST('/api/v1/negotiations/{id}/withdraw', {
          params: { path: { id: negotiation.id }, header: headers() },
          body: {
            ...(negotiation.currentOffer ? { offerId: negotiation.currentOffer.id } : {}),
            ...(reason?.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  return (
    <Card style={{ marginBottom: 16 }} title={<h2 className="card-title">{t('negotiate.withdraw')}</h2>}>
      {open ? (
        <Form form={form} layout="vertical" onFinish={(values) => withdraw.mutate(values.reason)}>
          <ProblemAlert messages={problem.messages} />
          <Form.Item name="reason" label={t('negotiate.withdrawReason')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Space wrap>
            <Button danger htmlType="submit" loading={withdraw.isPending} autoFocus>
              {t('negotiate.withdrawConfirm')}
            </Button>
            <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      ) : (
        <Button danger onClick={() => setOpen(true)}>
          {t('negotiate.withdraw')}
        </Button>
      )}
    </Card>
  );
}

interface InviteValues {
  brokerUserId: string;
  kind: 'rate' | 'fixed';
  commission: { rateBasisPoints?: number; fixedFen?: number; paidBy: 'seller' | 'buyer' };
}

/**
 * A party invites a broker (技术经理人) of a technology transfer agency, naming the commission and
 * who pays it; the broker may then propose offers for that party, which it confirms.
 */
function InviteBroker({ negotiation, side }: { negotiation: Negotiation; side: 'buyer' | 'seller' }) {
  const { t, lang } = useT();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<InviteValues>();
  // The form's commission fields carry the API's names, holding a percentage or yuan.
  const problem = useProblem(form, ['brokerUserId', 'commission']);
  const kind = Form.useWatch('kind', form);
  const refresh = useRefresh(negotiation.id);
  const invite = useMutation({
    mutationFn: (values: InviteValues) =>
      call(
        api.POST('/api/v1/negotiations/{id}/broker', {
          params: { path: { id: negotiation.id }, header: headers() },
          body: {
            brokerUserId: values.brokerUserId.trim(),
            commission: {
              paidBy: values.commission.paidBy,
              ...(values.kind === 'fixed'
                ? { fixedFen: yuanToFen(values.commission.fixedFen ?? 0) }
                : { rateBasisPoints: Math.round((values.commission.rateBasisPoints ?? 0) * 100) }),
            },
          },
        }),
      ),
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  return (
    <Card style={{ marginBottom: 16 }} title={<h2 className="card-title">{t('negotiate.invite')}</h2>}>
      {open ? (
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) => {
            problem.clear();
            invite.mutate(values);
          }}
          initialValues={{ kind: 'rate', commission: { paidBy: side } }}
        >
          <ProblemAlert messages={problem.messages} />
          <Form.Item
            name="brokerUserId"
            label={t('negotiate.brokerUserId')}
            extra={t('negotiate.brokerUserIdHint')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input autoFocus spellCheck={false} />
          </Form.Item>
          <Form.Item name="kind" label={t('negotiate.commissionKind')}>
            <Select
              aria-label={t('negotiate.commissionKind')}
              showSearch={{ optionFilterProp: 'label' }}
              options={[
                { value: 'rate', label: t('negotiate.rate') },
                { value: 'fixed', label: t('negotiate.fixed') },
              ]}
            />
          </Form.Item>
          {kind === 'fixed' ? (
            <Form.Item
              name={['commission', 'fixedFen']}
              label={t('negotiate.fixedYuan')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <InputNumber min={0.01} style={{ width: '100%' }} />
            </Form.Item>
          ) : (
            <Form.Item
              name={['commission', 'rateBasisPoints']}
              label={t('negotiate.ratePercent')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <InputNumber min={0.01} max={100} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          )}
          <Form.Item name={['commission', 'paidBy']} label={t('negotiate.paidBy')}>
            <Select
              aria-label={t('negotiate.paidBy')}
              showSearch={{ optionFilterProp: 'label' }}
              options={(['seller', 'buyer'] as const).map((value) => ({ value, label: named(SIDES, value, lang) }))}
            />
          </Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={invite.isPending}>
              {t('negotiate.inviteSubmit')}
            </Button>
            <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      ) : (
        <Button onClick={() => setOpen(true)}>{t('negotiate.invite')}</Button>
      )}
    </Card>
  );
}

function Messages({ negotiationId, canWrite }: { negotiationId: string; canWrite: boolean }) {
  const { t, lang } = useT();
  const [form] = Form.useForm<{ body: string }>();
  const problem = useProblem(form, ['body']);
  const client = useQueryClient();
  const messages = useQuery({
    queryKey: ['negotiation-messages', negotiationId],
    queryFn: () => call(api.GET('/api/v1/negotiations/{id}/messages', { params: { path: { id: negotiationId } } })),
  });
  const post = useMutation({
    mutationFn: (body: string) =>
      call(
        api.POST('/api/v1/negotiations/{id}/messages', {
          params: { path: { id: negotiationId }, header: headers() },
          body: { body },
        }),
      ),
    onSuccess: () => {
      form.resetFields();
      return client.invalidateQueries({ queryKey: ['negotiation-messages', negotiationId] });
    },
    onError: (error) => problem.report(error),
  });
  return (
    <Card title={<h2 className="card-title">{t('negotiation.messages')}</h2>} style={{ marginBottom: 16 }}>
      <List
        size="small"
        data-testid="messages"
        locale={{ emptyText: t('negotiation.noMessages') }}
        dataSource={messages.data ?? []}
        renderItem={(message) => (
          <List.Item>
            <Space direction="vertical" size={0}>
              <span>
                <Tag>{named(SIDES, message.authorRole, lang)}</Tag> {time(message.createdAt, lang)}
              </span>
              <span>{message.body}</span>
            </Space>
          </List.Item>
        )}
      />
      {canWrite && (
        <Form form={form} layout="vertical" onFinish={(values) => post.mutate(values.body)} style={{ marginTop: 12 }}>
          <ProblemAlert messages={problem.messages} />
          <Form.Item
            name="body"
            label={t('negotiation.message')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Button htmlType="submit" loading={post.isPending}>
            {t('negotiation.sendMessage')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
