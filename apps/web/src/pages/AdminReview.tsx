import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, call, idempotencyKey, type Schemas } from '../api/client';
import { Loading } from '../components/Loading';
import { ProblemAlert, problemText, useProblem } from '../components/problems';
import { money, time } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import { hasRole, useMe } from '../session';
import { IP_KINDS, MATURITIES, named, PRICING_MODES, TECHNICAL_FIELDS } from '../vocabulary';

/** The admins' desk: listings awaiting review (approve, or send back with a reason) and the queue dashboard. */
export default function AdminReview() {
  const { t, lang } = useT();
  const { me, loading } = useMe();
  const queue = useQuery({
    queryKey: ['review-queue', me?.id],
    enabled: hasRole(me, 'admin'),
    queryFn: () => call(api.GET('/api/v1/listings/review-queue')),
  });
  const [dashboardProblem, setDashboardProblem] = useState<string[]>([]);
  const openDashboard = useMutation({
    mutationFn: () => call(api.POST('/api/v1/admin/queue-dashboard/session')),
    onSuccess: () => window.location.assign('/admin/queues'),
    onError: (error) => setDashboardProblem([problemText(error, lang)]),
  });
  if (!me && !loading)
    return <Alert type="info" title={<Link href="/signin?next=/admin">{t('common.signInRequired')}</Link>} />;
  if (me && !hasRole(me, 'admin')) return <Alert type="warning" title={t('common.notAllowed')} />;
  if (!queue.data) return <Loading error={queue.error} />;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('admin.title')}
      </Typography.Title>
      <ProblemAlert messages={dashboardProblem} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Button onClick={() => openDashboard.mutate()} loading={openDashboard.isPending}>
          {t('admin.queues')}
        </Button>
        <Link href="/admin/organizations?verified=false">{t('admin.organizations')}</Link>
        <Link href="/admin/packages">{t('admin.packages')}</Link>
      </Space>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {t('admin.queue')}
      </Typography.Title>
      {queue.data.length === 0 ? (
        <Empty description={t('admin.none')} />
      ) : (
        <List
          dataSource={queue.data}
          renderItem={(listing) => (
            <List.Item>
              <Review listing={listing} />
            </List.Item>
          )}
        />
      )}
    </>
  );
}

function Review({ listing }: { listing: Schemas['OwnListingView'] }) {
  const { t, lang } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const [rejecting, setRejecting] = useState(false);
  const problem = useProblem(form, ['reason']);
  const client = useQueryClient();
  const done = () => client.invalidateQueries({ queryKey: ['review-queue'] });
  const approve = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/listings/{id}/approve', {
          params: { path: { id: listing.id }, header: { 'Idempotency-Key': idempotencyKey() } },
        }),
      ),
    onSuccess: done,
    onError: (error) => problem.report(error),
  });
  const reject = useMutation({
    mutationFn: (reason: string) =>
      call(
        api.POST('/api/v1/listings/{id}/reject', {
          params: { path: { id: listing.id }, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { reason },
        }),
      ),
    onSuccess: done,
    onError: (error) => problem.report(error),
  });
  return (
    <Card className="review" style={{ width: '100%' }} title={<h3 className="card-title">{listing.title}</h3>}>
      <ProblemAlert messages={problem.messages} />
      <Space size={[4, 4]} wrap style={{ marginBottom: 8 }}>
        <Tag className="field">{named(TECHNICAL_FIELDS, listing.technicalField, lang)}</Tag>
        <Tag>{named(MATURITIES, listing.maturity, lang)}</Tag>
        <Tag>{named(PRICING_MODES, listing.pricingMode, lang)}</Tag>
      </Space>
      <Typography.Paragraph>{listing.summary}</Typography.Paragraph>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('listing.seller')}>{listing.seller.name}</Descriptions.Item>
        <Descriptions.Item label={t('listing.price')}>{money(listing.askingPriceFen, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('admin.submittedAt')}>{time(listing.updatedAt, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('listing.ipItems')}>
          {listing.ipItems.map((item) => `${named(IP_KINDS, item.kind, lang)} ${item.number ?? ''}`).join('；')}
        </Descriptions.Item>
      </Descriptions>
      {rejecting ? (
        <Form form={form} layout="vertical" onFinish={(values) => reject.mutate(values.reason)}>
          <Form.Item
            name="reason"
            label={t('admin.rejectReason')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Space>
            <Button danger htmlType="submit" loading={reject.isPending}>
              {t('admin.reject')}
            </Button>
            <Button onClick={() => setRejecting(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      ) : (
        <Space wrap>
          <Button type="primary" onClick={() => approve.mutate()} loading={approve.isPending}>
            {t('admin.approve')}
          </Button>
          <Button onClick={() => setRejecting(true)}>{t('admin.reject')}</Button>
        </Space>
      )}
    </Card>
  );
}
