import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, InputNumber, List, Space, Statistic, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiProblem, call, idempotencyKey, type Schemas } from '../api/client';
import { CardPayment } from '../components/CardPayment';
import { Countdown } from '../components/Countdown';
import { Loading } from '../components/Loading';
import { ProblemAlert, useProblem } from '../components/problems';
import { fenToYuan, money, time, yuanToFen } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import { hasRole, useMe } from '../session';
import { AUCTION_KINDS, AUCTION_STATUSES, DEPOSIT_STATUSES, named, TECHNICAL_FIELDS } from '../vocabulary';

interface LiveBid {
  seq: number;
  amountFen: number;
  at: string;
  bidderOrganizationId?: string;
}

/**
 * The auction's server-sent events: each one refreshes the auction (the database is the record);
 * bids are listed as they come, an extension is announced.
 */
function useAuctionEvents(auctionId: string, onBid: (bid: LiveBid) => void, onExtended: (endsAt: string) => void) {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/api/v1/auctions/${auctionId}/events`);
    const refresh = () => {
      void client.invalidateQueries({ queryKey: ['auction', auctionId] });
      void client.invalidateQueries({ queryKey: ['bids', auctionId] });
    };
    source.onopen = () => {
      setConnected(true);
      refresh(); // what happened while the stream was down
    };
    source.onerror = () => setConnected(false);
    source.addEventListener('bid', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as LiveBid;
      onBid(data);
      refresh();
    });
    source.addEventListener('extended', (event) => {
      onExtended((JSON.parse((event as MessageEvent<string>).data) as { endsAt: string }).endsAt);
      refresh();
    });
    for (const name of ['opened', 'closed', 'settled']) source.addEventListener(name, refresh);
    return () => source.close();
    // onBid and onExtended only set state: the stream is opened once per auction.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [auctionId, client]);
  return connected;
}

export default function AuctionRoom({ params }: { params: Record<string, string> }) {
  const { t, lang } = useT();
  const { me } = useMe();
  const id = params.id;
  const [live, setLive] = useState<LiveBid[]>([]);
  const [extendedTo, setExtendedTo] = useState<string | null>(null);
  const connected = useAuctionEvents(
    id,
    (bid) => setLive((bids) => (bids.some((b) => b.seq === bid.seq) ? bids : [bid, ...bids])),
    setExtendedTo,
  );
  const auction = useQuery({
    queryKey: ['auction', id, me?.id],
    queryFn: () => call(api.GET('/api/v1/auctions/{id}', { params: { path: { id } } })),
  });
  const bids = useQuery({
    queryKey: ['bids', id, me?.id],
    enabled: Boolean(me),
    queryFn: () => call(api.GET('/api/v1/auctions/{id}/bids', { params: { path: { id }, query: { limit: 50 } } })),
  });
  if (!auction.data) return <Loading error={auction.error} />;
  const a = auction.data;
  const sealed = a.kind === 'sealed';
  const mine = (org?: string) => Boolean(org && org === me?.organization.id);
  const fetched: LiveBid[] = (bids.data?.items ?? []).map((b, index) => ({
    seq: b.seq ?? -index,
    amountFen: b.amountFen,
    at: b.createdAt,
    bidderOrganizationId: b.bidderOrganizationId,
  }));
  // Sealed: only the caller's own bids (what the API gives); English: every accepted bid, live.
  const shown: LiveBid[] = sealed
    ? fetched
    : [...new Map([...live, ...fetched].map((b) => [b.seq, b])).values()].sort((x, y) => y.seq - x.seq).slice(0, 20);
  const buyer = hasRole(me, 'buyer') && me?.organization.id !== a.sellerOrganizationId;

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {a.listingTitle}
      </Typography.Title>
      <Space size={[4, 4]} wrap style={{ marginBottom: 16 }}>
        <Tag className="field">{named(TECHNICAL_FIELDS, a.technicalField, lang)}</Tag>
        <Tag>{named(AUCTION_KINDS, a.kind, lang)}</Tag>
        <Tag className={`status status-${a.status}`}>{named(AUCTION_STATUSES, a.status, lang)}</Tag>
        <Link href={`/listings/${a.listingId}`}>{t('room.listing')}</Link>
      </Space>

      {extendedTo && (
        <Alert
          type="warning"
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          title={t('room.extended', { time: time(extendedTo, lang, true) })}
        />
      )}

      <div className="figures">
        <Card>
          <Statistic
            title={a.status === 'settled' ? t('room.finalPrice') : t('room.current')}
            valueRender={() => (
              <span className="price" data-testid="current-price">
                {a.finalPriceFen !== null
                  ? money(a.finalPriceFen, lang)
                  : sealed || a.currentPriceFen === null
                    ? t('room.noBids')
                    : money(a.currentPriceFen, lang)}
              </span>
            )}
          />
        </Card>
        <Card>
          <Statistic
            title={a.status === 'scheduled' ? t('room.startsIn') : t('room.endsIn')}
            valueRender={() => (
              <Countdown
                until={a.status === 'scheduled' ? a.startsAt : a.status === 'open' ? a.endsAt : null}
                testId="ends-in"
              />
            )}
          />
          <div data-testid="ends-at">
            {t('room.endsAt')}
            {t('colon')}
            {time(a.endsAt, lang, true)}
          </div>
        </Card>
      </div>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 2, md: 4 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('room.minimum')}>{money(a.minimumNextBidFen, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('room.increment')}>{money(a.incrementFen, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('room.deposit')}>{money(a.depositFen, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('room.connection')}>
          {connected ? t('room.connected') : t('room.reconnecting')}
        </Descriptions.Item>
      </Descriptions>

      {!me && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title={<Link href={`/signin?next=/auctions/${a.id}`}>{t('room.signInToBid')}</Link>}
        />
      )}
      {buyer && <DepositCard auction={a} />}
      {buyer && a.status === 'open' && <BidForm auction={a} />}

      <Card title={<h2 className="card-title">{sealed ? t('room.yourBids') : t('room.live')}</h2>}>
        {sealed && <Typography.Paragraph>{t('room.sealedNote')}</Typography.Paragraph>}
        <List
          data-testid="bids"
          dataSource={shown}
          locale={{ emptyText: t('room.noBids') }}
          renderItem={(bid) => (
            <List.Item>
              <span className="price">{money(bid.amountFen, lang)}</span>
              <span>
                {mine(bid.bidderOrganizationId)
                  ? t('room.you')
                  : `${t('room.bidder')} ${bid.bidderOrganizationId?.slice(0, 4) ?? `#${bid.seq}`}`}
              </span>
              <span>{time(bid.at, lang, true)}</span>
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}

function BidForm({ auction }: { auction: Schemas['AuctionView'] }) {
  const { t, lang } = useT();
  const [form] = Form.useForm<{ amount: number }>();
  const problem = useProblem(form, ['amount'], { amountFen: 'amount' });
  const [placed, setPlaced] = useState<number | null>(null);
  const client = useQueryClient();
  const minimum = fenToYuan(auction.minimumNextBidFen ?? auction.startingPriceFen);
  // The minimum pre-filled, and followed while the bidder has not typed an amount of their own.
  const [typed, setTyped] = useState(false);
  useEffect(() => {
    if (!typed) form.setFieldsValue({ amount: minimum });
  }, [minimum, typed, form]);
  // A bid under the minimum: the refusal carries the minimum, shown at the amount.
  const minimumFen = problem.error instanceof ApiProblem ? problem.error.extra.minimumFen : undefined;
  useEffect(() => {
    if (typeof minimumFen === 'number')
      form.setFields([{ name: 'amount', errors: [`${t('room.minimum')}${t('colon')}${money(minimumFen, lang)}`] }]);
  }, [minimumFen, form, t, lang]);
  const bid = useMutation({
    mutationFn: (amountFen: number) =>
      call(
        api.POST('/api/v1/auctions/{id}/bids', {
          params: { path: { id: auction.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { amountFen },
        }),
      ),
    onSuccess: (_, amountFen) => {
      problem.clear();
      setPlaced(amountFen);
      setTyped(false);
      form.setFieldsValue({ amount: minimum });
      void client.invalidateQueries({ queryKey: ['auction', auction.id] });
      void client.invalidateQueries({ queryKey: ['bids', auction.id] });
    },
    onError: (error) => {
      setPlaced(null);
      problem.report(error);
    },
  });
  return (
    <Card title={<h2 className="card-title">{t('room.bid')}</h2>} style={{ marginBottom: 16 }}>
      <ProblemAlert messages={problem.messages} />
      {placed !== null && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={t(auction.kind === 'sealed' ? 'room.sealedPlaced' : 'room.bidPlaced', { amount: money(placed, lang) })}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form form={form} layout="inline" onFinish={(values) => bid.mutate(yuanToFen(values.amount))}>
        <Form.Item
          name="amount"
          label={t('room.bidAmount')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <InputNumber
            min={0}
            step={fenToYuan(auction.incrementFen)}
            style={{ width: 200 }}
            onKeyDown={() => setTyped(true)}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={bid.isPending}>
          {t('room.bid')}
        </Button>
      </Form>
    </Card>
  );
}

const depositKey = (auctionId: string, organizationId: string) => `market.deposit.${organizationId}.${auctionId}`;

/**
 * The caller's deposit: asked for here, by bank transfer or, when the market takes cards
 * (`GET /payments/methods`), by card (Stripe.js authorises the amount; the webhook makes it held);
 * or found through the refusal that names it.
 */
function DepositCard({ auction }: { auction: Schemas['AuctionView'] }) {
  const { t, lang } = useT();
  const { me } = useMe();
  const key = depositKey(auction.id, me?.organization.id ?? '');
  const [depositId, setDepositId] = useState<string | null>(() => localStorage.getItem(key));
  const [instructions, setInstructions] = useState<Schemas['BankTransferInstructions'] | null>(null);
  const [card, setCard] = useState<Schemas['StripeDepositOpening'] | null>(null);
  const [awaitingHold, setAwaitingHold] = useState(false);
  const problem = useProblem();
  const methods = useQuery({
    queryKey: ['payment-methods'],
    queryFn: () => call(api.GET('/api/v1/payments/methods')),
    staleTime: 300_000,
  });
  const deposit = useQuery({
    queryKey: ['deposit', depositId],
    enabled: Boolean(depositId),
    queryFn: () => call(api.GET('/api/v1/payments/deposits/{id}', { params: { path: { id: depositId! } } })),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? (awaitingHold ? 1_000 : 15_000) : false),
  });
  const remember = (id: string) => {
    localStorage.setItem(key, id);
    setDepositId(id);
  };
  const ask = useMutation({
    mutationFn: (method: 'offline' | 'stripe') =>
      call(
        api.POST('/api/v1/auctions/{id}/deposits', {
          params: { path: { id: auction.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { method },
        }),
      ),
    onSuccess: (opening) => {
      problem.clear();
      remember(opening.deposit.id);
      setInstructions(opening.bankTransfer ?? null);
      setCard(opening.stripe ?? null);
    },
    onError: (error) => {
      // Already asked for: the refusal names the deposit, which is then shown.
      if (error instanceof ApiProblem && typeof error.extra.depositId === 'string') remember(error.extra.depositId);
      else problem.report(error);
    },
  });
  const publishableKey = methods.data?.card?.publishableKey;
  // A deposit that failed, was canceled or released holds nothing: the buyer may ask again.
  const live = deposit.data && !['failed', 'canceled', 'released'].includes(deposit.data.status);
  return (
    <Card title={<h2 className="card-title">{t('room.depositState')}</h2>} style={{ marginBottom: 16 }}>
      <ProblemAlert messages={problem.messages} />
      {deposit.data && (
        <div data-testid="deposit-status">
          <Tag className={`status status-${deposit.data.status}`}>
            {named(DEPOSIT_STATUSES, deposit.data.status, lang)}
          </Tag>
          {money(deposit.data.amountFen, lang)}
          {deposit.data.status === 'failed' && deposit.data.failureReason && (
            <Typography.Paragraph style={{ marginTop: 8 }}>
              {t('room.depositFailed')}
              {t('colon')}
              {deposit.data.failureReason}
            </Typography.Paragraph>
          )}
          {instructions && (
            <Typography.Paragraph style={{ marginTop: 8 }}>
              {instructions.instructions} · {t('room.depositReference')}
              {t('colon')}
              <Typography.Text code>{instructions.reference}</Typography.Text>
            </Typography.Paragraph>
          )}
          {card && publishableKey && deposit.data.status === 'pending' && (
            <CardPayment
              publishableKey={publishableKey}
              clientSecret={card.clientSecret}
              amount={money(deposit.data.amountFen, lang)}
              onAuthorised={() => setAwaitingHold(true)}
            />
          )}
        </div>
      )}
      {!live && (
        <Space direction="vertical" style={{ marginTop: deposit.data ? 12 : 0 }}>
          <span>{deposit.data ? t('room.depositAgain') : t('room.depositNone')}</span>
          <Space wrap>
            <Button
              onClick={() => ask.mutate('offline')}
              loading={(ask.isPending && ask.variables === 'offline') || (Boolean(depositId) && deposit.isPending)}
            >
              {t('room.depositAsk')}（{money(auction.depositFen, lang)}）
            </Button>
            {publishableKey && (
              <Button onClick={() => ask.mutate('stripe')} loading={ask.isPending && ask.variables === 'stripe'}>
                {t('room.depositCard')}（{money(auction.depositFen, lang)}）
              </Button>
            )}
          </Space>
        </Space>
      )}
    </Card>
  );
}
