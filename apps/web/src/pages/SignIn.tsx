import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, List, Typography } from 'antd';
import { useState } from 'react';
import { api, call, session } from '../api/client';
import { ProblemAlert, useProblem } from '../components/problems';
import { useT } from '../i18n';
import { navigate, useLocation } from '../router';
import { named, ROLES } from '../vocabulary';

interface DemoLogins {
  password: string;
  logins: { email: string; displayName: string; roles: string[]; organization: string }[];
}

/** Written by `npm start` next to the pages when it loads the demo data; absent otherwise. */
async function demoLogins(): Promise<DemoLogins | null> {
  const response = await fetch('/demo-logins.json', { cache: 'no-store' });
  return response.ok ? ((await response.json()) as DemoLogins) : null;
}

export default function SignIn() {
  const { t, lang } = useT();
  const [form] = Form.useForm<{ email: string; password: string }>();
  const problem = useProblem(form, ['email', 'password']);
  const [busy, setBusy] = useState(false);
  const { query } = useLocation();
  const client = useQueryClient();
  const demo = useQuery({ queryKey: ['demo-logins'], queryFn: demoLogins, staleTime: Infinity });

  const submit = async (values: { email: string; password: string }) => {
    setBusy(true);
    problem.clear();
    try {
      const token = await call(api.POST('/api/v1/auth/login', { body: values }));
      session.set(token.accessToken);
      await client.invalidateQueries();
      const next = query.get('next');
      navigate(next && next.startsWith('/') ? next : '/');
    } catch (error) {
      problem.report(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }}>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('signIn.title')}
      </Typography.Title>
      <ProblemAlert messages={problem.messages} />
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="email" label={t('signIn.email')} rules={[{ required: true, message: t('common.required') }]}>
          <Input type="email" autoComplete="username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('signIn.password')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          {t('signIn.submit')}
        </Button>
      </Form>
      {demo.data && (
        <Card
          style={{ marginTop: 24 }}
          title={<h2 className="card-title">{t('signIn.demo', { password: demo.data.password })}</h2>}
        >
          <List
            dataSource={demo.data.logins}
            renderItem={(login) => (
              <List.Item
                actions={[
                  <Button
                    key="use"
                    size="small"
                    aria-label={`${t('signIn.use')}: ${login.email}`}
                    onClick={() => form.setFieldsValue({ email: login.email, password: demo.data!.password })}
                  >
                    {t('signIn.use')}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={login.email}
                  description={`${login.roles.map((role) => named(ROLES, role, lang)).join('、')} · ${login.displayName} · ${login.organization}`}
                />
              </List.Item>
            )}
          />
        </Card>
      )}
    </div>
  );
}
