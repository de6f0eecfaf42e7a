import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Form, Input, List, Space, Tag } from 'antd';
import { useState } from 'react';
import { api, call, idempotencyKey, type Schemas } from '../api/client';
import { ProblemAlert, useProblem } from '../components/problems';
import { time } from '../format';
import { useT } from '../i18n';
import { named, SIDES } from '../vocabulary';
import { paren } from './format';
import { REGISTRATION_STATUSES, TERMINATION_STATUSES } from './vocabulary';

type Termination = Schemas['TerminationView'];
type Side = 'seller' | 'buyer';

const headers = () => ({ 'Idempotency-Key': idempotencyKey() });

/**
 * Ending a contract in force by agreement (协商解除): the proposals, newest first; a party proposes
 * with a reason, the other confirms or declines with a reason, the proposer may withdraw. An agreed
 * one is the cancellation registration (注销登记) the office decides.
 */
export function TerminationCard({ contractId, side }: { contractId: string; side: Side | null }) {
  const { t, lang } = useT();
  const client = useQueryClient();
  const terminations = useQuery({
    queryKey: ['contract-terminations', contractId],
    queryFn: () => call(api.GET('/api/v1/contracts/{id}/terminations', { params: { path: { id: contractId } } })),
  });
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['contract-terminations', contractId] }),
      client.invalidateQueries({ queryKey: ['contract', contractId] }),
    ]);
  const items = terminations.data ?? [];
  const waiting = items.find((item) => item.status === 'proposed');
  const agreed = items.some((item) => item.status === 'agreed');
  return (
    <Card
      style={{ marginBottom: 16 }}
      title={<h2 className="card-title">{t('contract.termination')}</h2>}
      data-testid="termination"
    >
      <List
        size="small"
        locale={{ emptyText: t('contract.noTermination') }}
        dataSource={items}
        renderItem={(item: Termination) => (
          <List.Item>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('contract.terminationStatus')}>
                <Tag className={`status status-${item.status}`}>{named(TERMINATION_STATUSES, item.status, lang)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('contract.proposedBy')}>
                {named(SIDES, item.proposedBySide, lang)} · {time(item.proposedAt, lang)}
              </Descriptions.Item>
              <Descriptions.Item label={t('contract.terminationReason')}>{item.reason}</Descriptions.Item>
              {item.answerReason && (
                <Descriptions.Item label={t('contract.answerReason')}>{item.answerReason}</Descriptions.Item>
              )}
              {item.cancellation && (
                <Descriptions.Item label={t('contract.cancellation')}>
                  {named(REGISTRATION_STATUSES, item.cancellation.status, lang)}
                  {item.cancellation.decisionReason ? paren(item.cancellation.decisionReason, lang) : ''}
                </Descriptions.Item>
              )}
            </Descriptions>
          </List.Item>
        )}
      />
      {side && waiting && (
        <Answer contractId={contractId} termination={waiting} own={waiting.proposedBySide === side} onDone={refresh} />
      )}
      {side && !waiting && !agreed && <Propose contractId={contractId} onDone={refresh} />}
    </Card>
  );
}

function ReasonField({ label }: { label: string }) {
  const { t } = useT();
  return (
    <Form.Item
      name="reason"
      label={label}
      rules={[{ required: true, whitespace: true, message: t('common.required') }]}
    >
      <Input.TextArea rows={2} />
    </Form.Item>
  );
}

function Propose({ contractId, onDone }: { contractId: string; onDone: () => Promise<unknown> }) {
  const { t } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const problem = useProblem(form, ['reason']);
  const propose = useMutation({
    mutationFn: (reason: string) =>
      call(
        api.POST('/api/v1/contracts/{id}/terminations', {
          params: { path: { id: contractId }, header: headers() },
          body: { reason },
        }),
      ),
    onSuccess: () => {
      form.resetFields();
      return onDone();
    },
    onError: (error) => problem.report(error),
  });
  return (
    <Form form={form} name="propose-termination" layout="vertical" onFinish={(v) => propose.mutate(v.reason)}>
      <ProblemAlert messages={problem.messages} />
      <ReasonField label={t('contract.terminationReason')} />
      <Button danger htmlType="submit" loading={propose.isPending}>
        {t('contract.proposeTermination')}
      </Button>
    </Form>
  );
}

function Answer({
  contractId,
  termination,
  own,
  onDone,
}: {
  contractId: string;
  termination: Termination;
  own: boolean;
  onDone: () => Promise<unknown>;
}) {
  const { t } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const problem = useProblem(form, ['reason']);
  const [declining, setDeclining] = useState(false);
  const path = { id: contractId, terminationId: termination.id };
  const confirm = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/contracts/{id}/terminations/{terminationId}/confirm', {
          params: { path, header: headers() },
        }),
      ),
    onSuccess: onDone,
    onError: (error) => problem.report(error),
  });
  const withdraw = useMutation({
    mutationFn: (reason: string) =>
      call(
        api.POST('/api/v1/contracts/{id}/terminations/{terminationId}/withdraw', {
          params: { path, header: headers() },
          body: { reason },
        }),
      ),
    onSuccess: onDone,
    onError: (error) => problem.report(error),
  });
  const decline = useMutation({
    mutationFn: (reason: string) =>
      call(
        api.POST('/api/v1/contracts/{id}/terminations/{terminationId}/decline', {
          params: { path, header: headers() },
          body: { reason },
        }),
      ),
    onSuccess: onDone,
    onError: (error) => problem.report(error),
  });
  return (
    <div style={{ marginTop: 12 }}>
      <ProblemAlert messages={problem.messages} />
      {own ? (
        <Form form={form} name="withdraw-termination" layout="vertical" onFinish={(v) => withdraw.mutate(v.reason)}>
          <ReasonField label={t('contract.withdrawReason')} />
          <Button htmlType="submit" loading={withdraw.isPending}>
            {t('contract.withdrawTermination')}
          </Button>
        </Form>
      ) : (
        <Space wrap>
          <Button type="primary" danger loading={confirm.isPending} onClick={() => confirm.mutate()}>
            {t('contract.confirmTermination')}
          </Button>
          <Button onClick={() => setDeclining(true)}>{t('contract.declineTermination')}</Button>
        </Space>
      )}
      {declining && !own && (
        <Form
          form={form}
          name="decline-termination"
          layout="vertical"
          style={{ marginTop: 12 }}
          onFinish={(v) => decline.mutate(v.reason)}
        >
          <ReasonField label={t('contract.declineReason')} />
          <Button htmlType="submit" loading={decline.isPending}>
            {t('contract.sendDecline')}
          </Button>
        </Form>
      )}
    </div>
  );
}
