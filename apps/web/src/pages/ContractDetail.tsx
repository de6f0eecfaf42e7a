import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Space, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, idempotencyKey, type Schemas } from '../api/client';
import { CardPayment } from '../components/CardPayment';
import { Loading } from '../components/Loading';
import { ProblemAlert, useProblem } from '../components/problems';
import { downloadFile } from '../contracts/files';
import { TerminationCard } from '../contracts/Termination';
import { day, groundsText, paren, violationText } from '../contracts/format';
import {
  CONTRACT_SOURCES,
  CONTRACT_STATUSES,
  CONTRACT_TYPES,
  MILESTONE_KINDS,
  MILESTONE_STATUSES,
  OBJECTION_OUTCOMES,
  PARTY_KINDS,
  PRICINGS,
  REGISTRATION_KINDS,
  REGISTRATION_STATUSES,
  SUB_KINDS,
} from '../contracts/vocabulary';
import { fenToYuan, type Lang, money, time, yuanToFen } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import { hasRole, useMe } from '../session';
import { IP_KINDS, IP_LEGAL_STATUSES, named, SIDES, TECHNICAL_FIELDS } from '../vocabulary';

type Contract = Schemas['ContractView'];
type Party = Schemas['ContractPartyView'];
type Progress = Schemas['MilestoneProgressView'];
type Side = 'seller' | 'buyer';

const headers = () => ({ 'Idempotency-Key': idempotencyKey() });
const TRACKED = ['registered', 'performing', 'completed', 'terminated'];

/**
 * A contract: its parties and terms, the rules it still breaks, the completion form and the
 * signatures while it is a draft, the milestone timeline, and its registration (认定登记).
 */
export default function ContractDetail({ params }: { params: Record<string, string> }) {
  const { t, lang } = useT();
  const { me } = useMe();
  const contract = useQuery({
    queryKey: ['contract', params.id],
    enabled: Boolean(me),
    queryFn: () => call(api.GET('/api/v1/contracts/{id}', { params: { path: { id: params.id } } })),
  });
  if (!me) return <Loading />;
  if (!contract.data) return <Loading error={contract.error} />;
  const item = contract.data;
  const content = item.content;
  const org = me.organization.id;
  const side: Side | null =
    org === content.seller.organizationId ? 'seller' : org === content.buyer.organizationId ? 'buyer' : null;
  // An authorized user of a party: a member holding the seller or buyer role.
  const signer = side !== null && (hasRole(me, 'seller') || hasRole(me, 'buyer'));
  const isBroker = content.broker !== null && org === content.broker.organizationId;
  const current = item.current;
  const nobodySigned = !current.sellerSignedAt && !current.buyerSignedAt;
  const editable = item.status === 'draft' && nobodySigned && (side !== null || isBroker);
  const mySignature = side === 'seller' ? current.sellerSignedAt : side === 'buyer' ? current.buyerSignedAt : null;
  const canSign = item.status === 'draft' && signer && !mySignature;

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {content.projectName}
      </Typography.Title>
      <Space size={[8, 4]} wrap style={{ marginBottom: 16 }}>
        <Tag className={`status status-${item.status}`} data-testid="contract-status">
          {named(CONTRACT_STATUSES, item.status, lang)}
        </Tag>
        <Link href="/contracts">{t('contract.toContracts')}</Link>
        {hasRole(me, 'auditor') && item.registration && (
          <Link href={`/registry/${item.id}`}>{t('contract.audit')}</Link>
        )}
      </Space>
      <Terms item={item} />
      <Parties item={item} />
      {item.violations.length > 0 && (
        <div data-testid="violations">
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('contract.violations')}
            description={
              <>
                <p style={{ margin: '0 0 4px' }}>{t('contract.violationsHint')}</p>
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {item.violations.map((violation) => (
                    <li key={`${violation.rule}-${violation.field}`}>{violationText(violation, lang)}</li>
                  ))}
                </ul>
              </>
            }
          />
        </div>
      )}
      {editable && <CompleteForm item={item} />}
      {canSign && <SignCard item={item} />}
      <Milestones item={item} side={side} />
      {TRACKED.includes(item.status) && <TerminationCard contractId={item.id} side={signer ? side : null} />}
      <Registration item={item} applicant={side === 'seller' && signer} />
    </>
  );
}

function Terms({ item }: { item: Contract }) {
  const { t, lang } = useT();
  const content = item.content;
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2 }}
      style={{ marginBottom: 16 }}
      data-testid="contract-terms"
    >
      <Descriptions.Item label={t('contract.type')}>
        {named(CONTRACT_TYPES, content.contractType, lang)}
      </Descriptions.Item>
      <Descriptions.Item label={t('contract.subKind')}>{named(SUB_KINDS, content.subKind, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('contract.field')}>
        {named(TECHNICAL_FIELDS, content.technicalField, lang)}
      </Descriptions.Item>
      <Descriptions.Item label={t('contract.source')}>{named(CONTRACT_SOURCES, item.source, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('contract.totalAmount')}>
        <span data-testid="total-amount">{money(content.totalAmountFen, lang)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('contract.technologyAmount')}>
        {money(content.technologyAmountFen, lang)}
      </Descriptions.Item>
      {content.nonTechnicalItems.length > 0 && (
        <Descriptions.Item label={t('contract.nonTechnical')}>
          {content.nonTechnicalItems.map((i) => `${i.description} ${money(i.amountFen, lang)}`).join('；')}
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('contract.validity')}>
        {content.validFrom || content.validUntil
          ? `${day(content.validFrom, lang)} – ${day(content.validUntil, lang)}`
          : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('contract.expectedInvestment')}>
        {money(content.expectedNewInvestmentFen, lang)}
      </Descriptions.Item>
      <Descriptions.Item label={t('contract.expectedOutput')}>
        {money(content.expectedNewOutputFen, lang)}
      </Descriptions.Item>
      <Descriptions.Item label={t('contract.pricing')}>{named(PRICINGS, content.pricing, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('contract.version')}>{item.version}</Descriptions.Item>
      {content.ipItems.length > 0 && (
        <Descriptions.Item label={t('contract.ipItems')} span={2}>
          {content.ipItems
            .map(
              (ip) =>
                `${named(IP_KINDS, ip.kind, lang)} ${ip.number ?? ''}${paren(named(IP_LEGAL_STATUSES, ip.legalStatus, lang), lang)}`,
            )
            .join('；')}
        </Descriptions.Item>
      )}
      {item.closedReason && (
        <Descriptions.Item label={t('contract.closedReason')}>{item.closedReason}</Descriptions.Item>
      )}
    </Descriptions>
  );
}

function partyText(party: Party, lang: Lang) {
  return `${party.name}${paren(`${named(PARTY_KINDS, party.kind, lang)} · ${party.regionCode}`, lang)}`;
}

function Parties({ item }: { item: Contract }) {
  const { t, lang } = useT();
  const { content, current } = item;
  const signature = (at: string | null) =>
    at ? (
      <Tag className="tag-good">{t('contract.signedAt', { at: time(at, lang) })}</Tag>
    ) : (
      <Tag>{t('contract.notSigned')}</Tag>
    );
  const broker = content.broker;
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={<h2 className="card-title">{t('contract.parties')}</h2>}
      data-testid="parties"
    >
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('contract.seller')}>
          <Space wrap size={[8, 4]}>
            <span>{partyText(content.seller, lang)}</span>
            <span data-testid="seller-signature">{signature(current.sellerSignedAt)}</span>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('contract.buyer')}>
          <Space wrap size={[8, 4]}>
            <span>{partyText(content.buyer, lang)}</span>
            <span data-testid="buyer-signature">{signature(current.buyerSignedAt)}</span>
          </Space>
        </Descriptions.Item>
        {broker && (
          <Descriptions.Item label={t('contract.broker')}>
            {broker.name}
            {(broker.commissionFixedFen !== null || broker.commissionRateBasisPoints !== null) &&
              ` · ${t('contract.commission')} ${
                broker.commissionFixedFen !== null
                  ? money(broker.commissionFixedFen, lang)
                  : `${(broker.commissionRateBasisPoints ?? 0) / 100}%`
              }${paren(named(SIDES, broker.commissionPaidBy, lang), lang)}`}
          </Descriptions.Item>
        )}
        {current.contentHash && (
          <Descriptions.Item label={t('contract.contentHash')}>
            <code style={{ wordBreak: 'break-all' }}>{current.contentHash}</code>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

function useRefresh(contractId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['contract', contractId] }),
      client.invalidateQueries({ queryKey: ['contract-milestones', contractId] }),
      client.invalidateQueries({ queryKey: ['contracts'] }),
    ]);
}

interface CompleteValues {
  validFrom?: string;
  validUntil?: string;
  investment?: number | null;
  output?: number | null;
  milestones?: { dueOn?: string }[];
}

/**
 * What a trade leaves open (validity, expected investment and output, the milestones' due dates):
 * the parties or the broker fill it in.
 */
function CompleteForm({ item }: { item: Contract }) {
  const { t } = useT();
  const [form] = Form.useForm<CompleteValues>();
  const problem = useProblem(form, ['validFrom', 'validUntil', 'investment', 'output', 'milestones'], {
    expectedNewInvestmentFen: 'investment',
    expectedNewOutputFen: 'output',
  });
  const refresh = useRefresh(item.id);
  const [saved, setSaved] = useState(false);
  const content = item.content;
  const save = useMutation({
    mutationFn: (values: CompleteValues) =>
      call(
        api.PATCH('/api/v1/contracts/{id}', {
          params: { path: { id: item.id } },
          body: {
            validFrom: values.validFrom || null,
            validUntil: values.validUntil || null,
            expectedNewInvestmentFen:
              values.investment === undefined || values.investment === null ? null : yuanToFen(values.investment),
            expectedNewOutputFen:
              values.output === undefined || values.output === null ? null : yuanToFen(values.output),
            milestones: content.milestones.map((milestone, index) => ({
              ...milestone,
              dueOn: values.milestones?.[index]?.dueOn || milestone.dueOn,
            })),
          },
        }),
      ),
    onSuccess: async () => {
      setSaved(true);
      await refresh();
    },
    onError: (error) => {
      setSaved(false);
      problem.report(error);
    },
  });
  return (
    <Card style={{ marginBottom: 16 }} title={<h2 className="card-title">{t('contract.edit')}</h2>}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          validFrom: content.validFrom ?? '',
          validUntil: content.validUntil ?? '',
          investment: content.expectedNewInvestmentFen === null ? null : fenToYuan(content.expectedNewInvestmentFen),
          output: content.expectedNewOutputFen === null ? null : fenToYuan(content.expectedNewOutputFen),
          milestones: content.milestones.map((milestone) => ({ dueOn: milestone.dueOn ?? '' })),
        }}
        onFinish={(values) => {
          problem.clear();
          save.mutate(values);
        }}
      >
        <ProblemAlert messages={problem.messages} />
        <div className="contract-form-grid">
          <Form.Item name="validFrom" label={t('contract.validFrom')}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="validUntil" label={t('contract.validUntil')}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="investment" label={t('contract.investmentYuan')}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="output" label={t('contract.outputYuan')}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          {content.milestones.map((milestone, index) =>
            milestone.prepaid ? null : (
              <Form.Item
                key={milestone.key}
                name={['milestones', index, 'dueOn']}
                label={t('contract.milestoneDue', { title: milestone.title })}
              >
                <Input type="date" />
              </Form.Item>
            ),
          )}
        </div>
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('contract.save')}
          </Button>
          {saved && <span role="status">{t('contract.saved')}</span>}
        </Space>
      </Form>
    </Card>
  );
}

function SignCard({ item }: { item: Contract }) {
  const { t } = useT();
  const problem = useProblem();
  const refresh = useRefresh(item.id);
  const sign = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/contracts/{id}/sign', {
          params: { path: { id: item.id }, header: headers() },
          body: { version: item.version },
        }),
      ),
    onSuccess: () => {
      problem.clear();
      return refresh();
    },
    onError: (error) => problem.report(error),
  });
  return (
    <Card style={{ marginBottom: 16 }} title={<h2 className="card-title">{t('contract.signatures')}</h2>}>
      <ProblemAlert messages={problem.messages} />
      <p>{t('contract.signHint')}</p>
      <Button type="primary" loading={sign.isPending} onClick={() => sign.mutate()}>
        {t('contract.sign', { version: item.version })}
      </Button>
    </Card>
  );
}

/** The milestones: the contract's terms until it is registered, then their progress (履行跟踪). */
function Milestones({ item, side }: { item: Contract; side: Side | null }) {
  const { t, lang } = useT();
  const tracked = TRACKED.includes(item.status);
  const progress = useQuery({
    queryKey: ['contract-milestones', item.id],
    enabled: tracked,
    queryFn: () => call(api.GET('/api/v1/contracts/{id}/milestones', { params: { path: { id: item.id } } })),
  });
  const rows: (Schemas['MilestoneView'] & Partial<Progress>)[] =
    tracked && progress.data ? progress.data.map((row) => ({ prepaid: false, ...row })) : item.content.milestones;
  return (
    <Card
      style={{ marginBottom: 16 }}
      title={<h2 className="card-title">{t('contract.milestones')}</h2>}
      data-testid="milestones"
    >
      {!tracked && <p>{t('contract.notStarted')}</p>}
      <Timeline
        items={rows.map((row) => {
          const late = row.status === 'overdue';
          const done = row.status === 'accepted' || row.status === 'paid' || row.prepaid;
          // A superseded milestone keeps its key, which its replacement may take again: it is told
          // apart by its id (a milestone still tracked is the only one with its key).
          const superseded = row.status === 'superseded' && row.id;
          return {
            key: row.id ?? row.key,
            color: late ? 'red' : done ? 'green' : 'blue',
            content: (
              <div data-testid={superseded ? `milestone-superseded-${row.id}` : `milestone-${row.key}`}>
                <Space wrap size={[8, 4]}>
                  <strong>{row.title}</strong>
                  <Tag>{named(MILESTONE_KINDS, row.kind, lang)}</Tag>
                  {row.amountFen !== null && <span>{money(row.amountFen, lang)}</span>}
                  <span>
                    {t('contract.due')} {day(row.dueOn, lang)}
                  </span>
                  {row.status && (
                    <Tag className={`status status-${row.status}`}>{named(MILESTONE_STATUSES, row.status, lang)}</Tag>
                  )}
                  {late && row.overdueAt && (
                    <span className="overdue">{t('contract.overdueSince', { at: time(row.overdueAt, lang) })}</span>
                  )}
                  {row.prepaid && <Tag className="tag-good">{t('contract.prepaid')}</Tag>}
                  {row.paidAt && <span>{t('contract.paid', { at: time(row.paidAt, lang) })}</span>}
                </Space>
                {row.disputeReason && <div>{t('contract.disputeGiven', { reason: row.disputeReason })}</div>}
                {row.evidence && <EvidenceLink contractId={item.id} evidence={row.evidence} />}
                {tracked && row.id && item.status === 'performing' && side && (
                  <MilestoneActions contractId={item.id} milestone={row as Progress} side={side} />
                )}
              </div>
            ),
          };
        })}
      />
    </Card>
  );
}

function EvidenceLink({ contractId, evidence }: { contractId: string; evidence: Schemas['EvidenceView'] }) {
  const { t } = useT();
  const problem = useProblem();
  return (
    <div>
      {t('contract.evidence')}
      {t('colon')}
      <button
        type="button"
        className="file-link"
        onClick={() =>
          downloadFile(`/api/v1/contracts/${contractId}/evidence/${evidence.id}`, evidence.fileName).catch(
            problem.report,
          )
        }
      >
        {evidence.fileName}
      </button>{' '}
      ({Math.ceil(evidence.sizeBytes / 1024)} KB, SHA-256 {evidence.sha256.slice(0, 12)}…)
      <ProblemAlert messages={problem.messages} />
    </div>
  );
}

/** Deliver with evidence, accept or dispute a delivery, pay a payment milestone (the buyer, by bank transfer). */
function MilestoneActions({ contractId, milestone, side }: { contractId: string; milestone: Progress; side: Side }) {
  const { t, lang } = useT();
  const refresh = useRefresh(contractId);
  const problem = useProblem();
  const [disputing, setDisputing] = useState(false);
  const [transfer, setTransfer] = useState<Schemas['BankTransferInstructions'] | null>(null);
  const path = { id: contractId, key: milestone.key };
  const accept = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/contracts/{id}/milestones/{key}/accept', { params: { path, header: headers() } })),
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  const methods = useQuery({
    queryKey: ['payment-methods'],
    enabled: milestone.kind === 'payment' && side === 'buyer',
    queryFn: () => call(api.GET('/api/v1/payments/methods')),
    staleTime: 300_000,
  });
  const [card, setCard] = useState<Schemas['StripeDepositOpening'] | null>(null);
  const [awaitingPayment, setAwaitingPayment] = useState(false);
  const pay = useMutation({
    mutationFn: (method: 'offline' | 'stripe') =>
      call(
        api.POST('/api/v1/contracts/{id}/milestones/{key}/payment', {
          params: { path, header: headers() },
          body: { method },
        }),
      ),
    onSuccess: async (opening) => {
      problem.clear();
      setTransfer(opening.bankTransfer ?? null);
      setCard(opening.stripe ?? null);
      await refresh();
    },
    onError: (error) => problem.report(error),
  });
  // Once the card is authorised, the provider's webhook and the contracts queue mark it paid: look again until then.
  useEffect(() => {
    if (!awaitingPayment || milestone.status === 'paid') return;
    const timer = setInterval(() => void refresh(), 1_000);
    return () => clearInterval(timer);
  }, [awaitingPayment, milestone.status, refresh]);
  const publishableKey = methods.data?.card?.publishableKey;
  const open = milestone.status === 'pending' || milestone.status === 'overdue';
  return (
    <div style={{ marginTop: 8 }}>
      <ProblemAlert messages={problem.messages} />
      {milestone.kind === 'deliverable' && (open || milestone.status === 'disputed') && (
        <DeliverForm contractId={contractId} milestone={milestone} />
      )}
      {milestone.kind === 'deliverable' && milestone.status === 'submitted' && (
        <Space wrap>
          <Button type="primary" loading={accept.isPending} onClick={() => accept.mutate()}>
            {t('contract.accept')}
          </Button>
          <Button danger onClick={() => setDisputing(true)}>
            {t('contract.dispute')}
          </Button>
        </Space>
      )}
      {disputing && milestone.status === 'submitted' && (
        <DisputeForm contractId={contractId} milestoneKey={milestone.key} />
      )}
      {milestone.kind === 'payment' && open && side === 'buyer' && !milestone.depositId && (
        <Space wrap>
          <Button
            type="primary"
            loading={pay.isPending && pay.variables === 'offline'}
            onClick={() => pay.mutate('offline')}
          >
            {t('contract.pay')}
            {paren(t('contract.payOffline'), lang)}
          </Button>
          {publishableKey && (
            <Button loading={pay.isPending && pay.variables === 'stripe'} onClick={() => pay.mutate('stripe')}>
              {t('contract.payByCard')}
            </Button>
          )}
        </Space>
      )}
      {card && publishableKey && milestone.amountFen !== null && milestone.status !== 'paid' && (
        <CardPayment
          publishableKey={publishableKey}
          clientSecret={card.clientSecret}
          amount={money(milestone.amountFen, lang)}
          onAuthorised={() => setAwaitingPayment(true)}
          texts={{ pay: 'contract.cardPay', note: 'contract.cardNote', authorised: 'contract.cardAuthorised' }}
        />
      )}
      {transfer && (
        <Alert
          type="info"
          showIcon
          title={t('contract.transfer', { amount: money(transfer.amountFen, lang), reference: transfer.reference })}
          description={transfer.instructions}
        />
      )}
    </div>
  );
}

function DeliverForm({ contractId, milestone }: { contractId: string; milestone: Progress }) {
  const { t } = useT();
  const [form] = Form.useForm<{ evidenceFile?: File; note?: string }>();
  // The evidence's own errors (its size, its kind) name `evidence.*`: they go in the alert above.
  const problem = useProblem(form, ['note']);
  const refresh = useRefresh(contractId);
  const complete = useMutation({
    mutationFn: async ({ file, note }: { file: File; note?: string }) => {
      // A multipart/form-data upload: the file part keeps its name and type.
      return call(
        api.POST('/api/v1/contracts/{id}/milestones/{key}/complete', {
          params: { path: { id: contractId, key: milestone.key }, header: headers() },
          body: { file: '', ...(note ? { note } : {}) },
          bodySerializer: () => {
            const form = new FormData();
            form.append('file', file, file.name);
            if (note) form.append('note', note);
            return form;
          },
        }),
      );
    },
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  return (
    <Form
      form={form}
      name={`deliver-${milestone.key}`}
      layout="vertical"
      onFinish={(values) => {
        problem.clear();
        if (values.evidenceFile) complete.mutate({ file: values.evidenceFile, note: values.note });
      }}
    >
      <ProblemAlert messages={problem.messages} />
      <Form.Item
        name="evidenceFile"
        label={t('contract.evidenceFile')}
        valuePropName="data-file"
        getValueFromEvent={(event: { target: HTMLInputElement }) => event.target.files?.[0]}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <input type="file" accept="application/pdf,image/png,image/jpeg" />
      </Form.Item>
      <Form.Item name="note" label={t('contract.note')}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Button htmlType="submit" type="primary" loading={complete.isPending}>
        {t('contract.complete')}
      </Button>
    </Form>
  );
}

function DisputeForm({ contractId, milestoneKey }: { contractId: string; milestoneKey: string }) {
  const { t } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const problem = useProblem(form, ['reason']);
  const refresh = useRefresh(contractId);
  const dispute = useMutation({
    mutationFn: (reason: string) =>
      call(
        api.POST('/api/v1/contracts/{id}/milestones/{key}/dispute', {
          params: { path: { id: contractId, key: milestoneKey }, header: headers() },
          body: { reason },
        }),
      ),
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(values) => dispute.mutate(values.reason)} style={{ marginTop: 8 }}>
      <ProblemAlert messages={problem.messages} />
      <Form.Item
        name="reason"
        label={t('contract.disputeReason')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea rows={2} />
      </Form.Item>
      <Button danger htmlType="submit" loading={dispute.isPending}>
        {t('contract.sendDispute')}
      </Button>
    </Form>
  );
}

/** The registration: the state of the newest application, applying (the seller side), documents, the certificate. */
function Registration({ item, applicant }: { item: Contract; applicant: boolean }) {
  const { t, lang } = useT();
  const problem = useProblem();
  const refresh = useRefresh(item.id);
  const registration = item.registration;
  const apply = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/contracts/{id}/submit', { params: { path: { id: item.id }, header: headers() } })),
    onSuccess: () => {
      problem.clear();
      return refresh();
    },
    onError: (error) => problem.report(error),
  });
  const certificate = useMutation({
    mutationFn: () =>
      downloadFile(
        `/api/v1/contracts/${item.id}/registration-certificate`,
        `${registration?.registrationNumber ?? item.id}.pdf`,
      ),
    onError: (error) => problem.report(error),
  });
  return (
    <Card
      style={{ marginBottom: 16 }}
      title={<h2 className="card-title">{t('contract.registration')}</h2>}
      data-testid="registration"
    >
      <ProblemAlert messages={problem.messages} />
      {registration ? (
        <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2 }} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('contract.registrationKind')}>
            {named(REGISTRATION_KINDS, registration.kind, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={t('contract.registrationStatus')}>
            <Tag className={`status status-${registration.status}`} data-testid="registration-status">
              {named(REGISTRATION_STATUSES, registration.status, lang)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('contract.acceptedOn')}>{day(registration.acceptedOn, lang)}</Descriptions.Item>
          {registration.deadlineOn && (
            <Descriptions.Item label={t('contract.deadlineOn')}>
              {day(registration.deadlineOn, lang)}
              {paren(t('contract.workingDays', { n: registration.workingDays }), lang)}
            </Descriptions.Item>
          )}
          {registration.registrationNumber && (
            <Descriptions.Item label={t('contract.number')}>
              <strong data-testid="registration-number">{registration.registrationNumber}</strong>
            </Descriptions.Item>
          )}
          {registration.grounds.length > 0 && (
            <Descriptions.Item label={t('contract.grounds')} span={2}>
              {groundsText(registration.grounds, lang)}
            </Descriptions.Item>
          )}
          {registration.documentsRequested && (
            <Descriptions.Item label={t('contract.documentsRequested')} span={2}>
              {registration.documentsRequested}
            </Descriptions.Item>
          )}
          {registration.decisionReason && (
            <Descriptions.Item label={t('contract.decisionReason')} span={2}>
              {registration.decisionReason}
            </Descriptions.Item>
          )}
          {registration.objectionReason && (
            <Descriptions.Item label={t('contract.objection')} span={2}>
              {registration.objectionReason}
            </Descriptions.Item>
          )}
          {registration.objectionOutcome && (
            <Descriptions.Item label={t('contract.objectionOutcome')} span={2}>
              <span data-testid="objection-outcome">
                {named(OBJECTION_OUTCOMES, registration.objectionOutcome, lang)}
                {registration.objectionRulingReason ? paren(registration.objectionRulingReason, lang) : ''}
              </span>
            </Descriptions.Item>
          )}
          {registration.decidedAt && (
            <Descriptions.Item label={t('contract.decidedAt')}>{time(registration.decidedAt, lang)}</Descriptions.Item>
          )}
        </Descriptions>
      ) : (
        <p data-testid="registration-status">{t('contract.notApplied')}</p>
      )}
      {applicant && item.status === 'signed' && (
        <>
          <p>{t('contract.applyHint')}</p>
          <Button type="primary" loading={apply.isPending} onClick={() => apply.mutate()}>
            {t('contract.apply')}
          </Button>
        </>
      )}
      {applicant && registration?.status === 'documents_requested' && (
        <ReasonForm
          contractId={item.id}
          path="/api/v1/contracts/{id}/registration/documents"
          title={t('contract.supplyDocuments')}
          label={t('contract.documentsNote')}
          submit={t('contract.sendDocuments')}
        />
      )}
      {applicant && registration?.status === 'refused' && !registration.objectionReason && (
        <ReasonForm
          contractId={item.id}
          path="/api/v1/contracts/{id}/registration/objection"
          title={t('contract.object')}
          label={t('contract.objectionReason')}
          submit={t('contract.sendObjection')}
        />
      )}
      {registration?.registrationNumber && (
        <Button loading={certificate.isPending} onClick={() => certificate.mutate()}>
          {t('contract.certificate')}
        </Button>
      )}
    </Card>
  );
}

type ReasonPath = '/api/v1/contracts/{id}/registration/documents' | '/api/v1/contracts/{id}/registration/objection';

/** A form that sends one reason to a contract's registration: documents supplied, an objection (异议). */
function ReasonForm({
  contractId,
  path,
  title,
  label,
  submit,
}: {
  contractId: string;
  path: ReasonPath;
  title: string;
  label: string;
  submit: string;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const { t } = useT();
  const problem = useProblem(form, ['reason']);
  const refresh = useRefresh(contractId);
  const send = useMutation({
    mutationFn: (reason: string) =>
      call(api.POST(path, { params: { path: { id: contractId }, header: headers() }, body: { reason } })),
    onSuccess: refresh,
    onError: (error) => problem.report(error),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(values) => send.mutate(values.reason)}>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {title}
      </Typography.Title>
      <ProblemAlert messages={problem.messages} />
      <Form.Item
        name="reason"
        label={label}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea rows={2} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={send.isPending}>
        {submit}
      </Button>
    </Form>
  );
}
