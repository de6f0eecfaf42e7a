import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, List, Radio, Space, Tag, Typography } from 'antd';
import { api, ApiProblem, call, idempotencyKey, type Schemas } from '../api/client';
import { Loading } from '../components/Loading';
import { ProblemAlert, problemText, useProblem } from '../components/problems';
import { day, groundsText, paren } from '../contracts/format';
import {
  CONTRACT_STATUSES,
  CONTRACT_TYPES,
  DECISIONS,
  OBJECTION_OUTCOMES,
  EVIDENCE_KINDS,
  REFUSAL_GROUNDS,
  REGISTRATION_KINDS,
  REGISTRATION_STATUSES,
  RISK_RULES,
  SUB_KINDS,
} from '../contracts/vocabulary';
import { type Lang, money, time } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import { hasRole, useMe } from '../session';
import { named, TECHNICAL_FIELDS } from '../vocabulary';

type Contract = Schemas['ContractView'];
type Decision = Schemas['DecisionInput']['decision'];
type Ground = NonNullable<Schemas['DecisionInput']['grounds']>[number];

const OPEN = ['screening', 'under_review', 'documents_requested'];

/**
 * An application as the office sees it: the contract, the risk findings and their evidence (each
 * finding's sentence in the page's language), and the decision form.
 */
export default function RegistryCase({ params }: { params: Record<string, string> }) {
  const { t, lang } = useT();
  const { me } = useMe();
  const auditor = hasRole(me, 'auditor');
  const contract = useQuery({
    queryKey: ['contract', params.id],
    enabled: auditor,
    queryFn: () => call(api.GET('/api/v1/contracts/{id}', { params: { path: { id: params.id } } })),
  });
  if (me && !auditor) return <Alert type="warning" title={t('registry.notAuditor')} />;
  if (!contract.data) return <Loading error={contract.error} />;
  const item = contract.data;
  const content = item.content;
  const registration = item.registration;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {content.projectName}
      </Typography.Title>
      <Space size={[8, 4]} wrap style={{ marginBottom: 16 }}>
        <Tag className={`status status-${item.status}`}>{named(CONTRACT_STATUSES, item.status, lang)}</Tag>
        <Link href="/registry">{t('registry.back')}</Link>
        <Link href={`/contracts/${item.id}`}>{t('registry.openContract')}</Link>
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('contract.seller')}>{content.seller.name}</Descriptions.Item>
        <Descriptions.Item label={t('contract.buyer')}>{content.buyer.name}</Descriptions.Item>
        <Descriptions.Item label={t('contract.type')}>
          {named(CONTRACT_TYPES, content.contractType, lang)} · {named(SUB_KINDS, content.subKind, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contract.field')}>
          {named(TECHNICAL_FIELDS, content.technicalField, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contract.totalAmount')}>{money(content.totalAmountFen, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('contract.technologyAmount')}>
          {money(content.technologyAmountFen, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('contract.validity')}>
          {day(content.validFrom, lang)} – {day(content.validUntil, lang)}
        </Descriptions.Item>
        {registration && (
          <>
            <Descriptions.Item label={t('contract.registrationKind')}>
              {named(REGISTRATION_KINDS, registration.kind, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={t('contract.registrationStatus')}>
              <Tag className={`status status-${registration.status}`} data-testid="case-status">
                {named(REGISTRATION_STATUSES, registration.status, lang)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('contract.acceptedOn')}>{day(registration.acceptedOn, lang)}</Descriptions.Item>
            <Descriptions.Item label={t('contract.deadlineOn')}>
              <span data-testid="case-deadline">
                {day(registration.deadlineOn, lang)}
                {paren(t('contract.workingDays', { n: registration.workingDays }), lang)}
              </span>
            </Descriptions.Item>
            {registration.disputedReason && (
              <Descriptions.Item label={t('registry.disputed')}>
                <span data-testid="case-disputed">{registration.disputedReason}</span>
              </Descriptions.Item>
            )}
            {registration.registrationNumber && (
              <Descriptions.Item label={t('contract.number')}>
                <strong data-testid="case-number">{registration.registrationNumber}</strong>
              </Descriptions.Item>
            )}
            {registration.grounds.length > 0 && (
              <Descriptions.Item label={t('contract.grounds')}>
                {groundsText(registration.grounds, lang)}
              </Descriptions.Item>
            )}
            {registration.decisionReason && (
              <Descriptions.Item label={t('contract.decisionReason')}>{registration.decisionReason}</Descriptions.Item>
            )}
            {registration.objectionOutcome && (
              <Descriptions.Item label={t('contract.objectionOutcome')}>
                {named(OBJECTION_OUTCOMES, registration.objectionOutcome, lang)}
              </Descriptions.Item>
            )}
          </>
        )}
      </Descriptions>
      <Risk contractId={item.id} />
      {registration && OPEN.includes(registration.status) && registration.status !== 'screening' && (
        <DecisionForm item={item} />
      )}
      {registration && OPEN.includes(registration.status) && !registration.disputedReason && (
        <DisputeForm contractId={item.id} />
      )}
      {registration?.status === 'refused' && registration.objectionReason && !registration.objectionOutcome && (
        <RulingForm item={item} objection={registration.objectionReason} />
      )}
    </>
  );
}

function evidenceText(row: Record<string, unknown>, lang: Lang): string {
  const { kind, ...rest } = row;
  const parts = Object.entries(rest)
    .filter(([key, value]) => value !== null && value !== undefined && !key.endsWith('Id'))
    .map(([key, value]) => {
      if (key.endsWith('Fen') && typeof value === 'number') return `${key.replace(/Fen$/, '')} ${money(value, lang)}`;
      if (Array.isArray(value)) return `${key} ${value.join(' / ')}`;
      return `${key} ${String(value)}`;
    });
  return `${named(EVIDENCE_KINDS, String(kind), lang)}${lang === 'zh' ? '：' : ': '}${parts.join('，')}`;
}

/** The screening's score and findings (`GET /contracts/:id/risk`). */
function Risk({ contractId }: { contractId: string }) {
  const { t, lang } = useT();
  const risk = useQuery({
    queryKey: ['contract-risk', contractId],
    retry: false,
    queryFn: () => call(api.GET('/api/v1/contracts/{id}/risk', { params: { path: { id: contractId } } })),
  });
  const notScreened = risk.error instanceof ApiProblem && risk.error.status === 404;
  return (
    <Card style={{ marginBottom: 16 }} title={<h2 className="card-title">{t('registry.risk')}</h2>} data-testid="risk">
      {risk.data ? (
        <>
          <p>
            <strong data-testid="risk-score">
              {t('registry.scoreOf', { score: risk.data.score, flagScore: risk.data.flagScore })}
            </strong>{' '}
            {risk.data.flagged && <Tag className="tag-bad">{t('registry.flagged')}</Tag>} · {t('registry.screenedAt')}{' '}
            {time(risk.data.screenedAt, lang)}
          </p>
          <List
            size="small"
            data-testid="findings"
            locale={{ emptyText: t('registry.noFindings') }}
            dataSource={risk.data.findings}
            renderItem={(finding) => (
              <List.Item>
                <div>
                  <Space wrap size={[8, 4]}>
                    <Tag className="status">{named(RISK_RULES, finding.rule, lang)}</Tag>
                    <span>
                      {t('registry.weight')} {finding.weight}
                    </span>
                  </Space>
                  <p style={{ margin: '4px 0' }}>{finding.sentence[lang]}</p>
                  <ul style={{ margin: 0, paddingInlineStart: 20 }} aria-label={t('registry.evidence')}>
                    {finding.evidence.map((row, index) => (
                      <li key={index}>{evidenceText(row, lang)}</li>
                    ))}
                  </ul>
                </div>
              </List.Item>
            )}
          />
        </>
      ) : notScreened ? (
        <p>{problemText(risk.error, lang)}</p>
      ) : (
        <Loading error={risk.error} />
      )}
    </Card>
  );
}

interface DecisionValues {
  decision: Decision;
  grounds?: Ground[];
  reason: string;
}

/** Register, refuse with grounds, request documents or confirm false: each with its reason. */
function DecisionForm({ item }: { item: Contract }) {
  const { t, lang } = useT();
  const [form] = Form.useForm<DecisionValues>();
  const problem = useProblem(form, ['decision', 'grounds', 'reason']);
  const client = useQueryClient();
  const decision = Form.useWatch('decision', form);
  const decide = useMutation({
    mutationFn: (values: DecisionValues) =>
      call(
        api.POST('/api/v1/registrations/{contractId}/decision', {
          params: { path: { contractId: item.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: {
            decision: values.decision,
            reason: values.reason,
            ...(values.decision === 'refuse' ? { grounds: values.grounds } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['contract', item.id] }),
        client.invalidateQueries({ queryKey: ['registry-queue'] }),
        client.invalidateQueries({ queryKey: ['contract-risk', item.id] }),
      ]);
    },
    onError: (error) => problem.report(error),
  });
  return (
    <Card title={<h2 className="card-title">{t('registry.decision')}</h2>} style={{ marginBottom: 16 }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ decision: 'register', grounds: [] }}
        onFinish={(values) => {
          problem.clear();
          decide.mutate(values);
        }}
      >
        <ProblemAlert messages={problem.messages} />
        <Form.Item name="decision" label={t('registry.decisionKind')} rules={[{ required: true }]}>
          <Radio.Group
            options={Object.keys(DECISIONS).map((value) => ({ value, label: named(DECISIONS, value, lang) }))}
          />
        </Form.Item>
        {decision === 'refuse' && (
          <Form.Item
            name="grounds"
            label={t('registry.grounds')}
            // A validator, not `required`: antd would put aria-required on the group, which a group may not carry.
            rules={[
              {
                validator: (_, value?: string[]) =>
                  value && value.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('common.required'))),
              },
            ]}
          >
            <Checkbox.Group
              role="group"
              aria-label={t('registry.grounds')}
              className="grounds"
              options={Object.keys(REFUSAL_GROUNDS).map((value) => ({
                value,
                label: REFUSAL_GROUNDS[value].zh + (lang === 'zh' ? '' : ` (${REFUSAL_GROUNDS[value].en})`),
              }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('registry.reason')}
          extra={t('registry.reasonHint')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={decide.isPending}>
          {t('registry.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** Another auditor of the office rules on the applicant's objection (异议): upheld or dismissed, with a reason. */
function RulingForm({ item, objection }: { item: Contract; objection: string }) {
  const { t, lang } = useT();
  const [form] = Form.useForm<{ outcome: 'upheld' | 'dismissed'; reason: string }>();
  const problem = useProblem(form, ['outcome', 'reason']);
  const client = useQueryClient();
  const rule = useMutation({
    mutationFn: (values: { outcome: 'upheld' | 'dismissed'; reason: string }) =>
      call(
        api.POST('/api/v1/registrations/{contractId}/objection-ruling', {
          params: { path: { contractId: item.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: values,
        }),
      ),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['contract', item.id] }),
        client.invalidateQueries({ queryKey: ['registry-queue'] }),
      ]),
    onError: (error) => problem.report(error),
  });
  return (
    <Card title={<h2 className="card-title">{t('registry.ruling')}</h2>} style={{ marginBottom: 16 }}>
      <p>
        {t('registry.objectionBy')}
        {t('colon')}
        <span data-testid="objection">{objection}</span>
      </p>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'dismissed' }}
        onFinish={(values) => {
          problem.clear();
          rule.mutate(values);
        }}
      >
        <ProblemAlert messages={problem.messages} />
        <Form.Item name="outcome" label={t('registry.outcome')} rules={[{ required: true }]}>
          <Radio.Group
            options={Object.keys(OBJECTION_OUTCOMES).map((value) => ({
              value,
              label: named(OBJECTION_OUTCOMES, value, lang),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('registry.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={rule.isPending}>
          {t('registry.sendRuling')}
        </Button>
      </Form>
    </Card>
  );
}

/** Marks the case disputed (有争议): the extended period applies, from the same acceptance day. */
function DisputeForm({ contractId }: { contractId: string }) {
  const { t } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const problem = useProblem(form, ['reason']);
  const client = useQueryClient();
  const mark = useMutation({
    mutationFn: (reason: string) =>
      call(
        api.POST('/api/v1/registrations/{contractId}/dispute', {
          params: { path: { contractId }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { reason },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['contract', contractId] }),
        client.invalidateQueries({ queryKey: ['registry-queue'] }),
      ]),
    onError: (error) => problem.report(error),
  });
  return (
    <Card title={<h2 className="card-title">{t('registry.markDisputed')}</h2>} style={{ marginBottom: 16 }}>
      <Form form={form} name="mark-disputed" layout="vertical" onFinish={(values) => mark.mutate(values.reason)}>
        <ProblemAlert messages={problem.messages} />
        <p>{t('registry.disputedHint')}</p>
        <Form.Item
          name="reason"
          label={t('registry.disputedReason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button htmlType="submit" loading={mark.isPending}>
          {t('registry.markDisputed')}
        </Button>
      </Form>
    </Card>
  );
}
