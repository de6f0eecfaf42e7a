import { Button, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { type Schemas } from '../api/client';
import { yuanToFen } from '../format';
import { useT } from '../i18n';
import { named, TRANSFER_MODES } from '../vocabulary';
import { ProblemAlert, useProblem } from './problems';

export type OfferBody = Omit<Schemas['OpenNegotiationInput'], 'listingId'>;

interface OfferValues {
  price: number;
  transferMode: string;
  license?: { fieldOfUse: string; termMonths: number };
  paymentSchedule: { dueOn?: Dayjs };
}

const EXCLUSIVITY_OF: Record<string, 'exclusive' | 'sole' | 'non_exclusive'> = {
  exclusive_license: 'exclusive',
  sole_license: 'sole',
  non_exclusive_license: 'non_exclusive',
};

/** An offer's terms: price in yuan, transfer mode, a license's scope, a lump-sum payment date. */
export function OfferForm({
  modes,
  submitLabel,
  pending,
  onSubmit,
}: {
  modes: string[];
  submitLabel: string;
  pending: boolean;
  /** Sends the offer; a refusal it throws is shown at the fields it names. */
  onSubmit: (body: OfferBody) => Promise<unknown>;
}) {
  const { t, lang } = useT();
  const [form] = Form.useForm<OfferValues>();
  const fieldProblem = useProblem(form, ['price', 'transferMode', 'license', 'paymentSchedule', 'validityDays'], {
    priceFen: 'price',
  });
  const mode = Form.useWatch('transferMode', form);
  const licensed = Boolean(mode && EXCLUSIVITY_OF[mode]);
  const submit = (values: OfferValues) => {
    fieldProblem.clear();
    const body: OfferBody = {
      priceFen: yuanToFen(values.price),
      transferMode: values.transferMode as OfferBody['transferMode'],
      paymentSchedule: {
        kind: 'lump_sum',
        ...(values.paymentSchedule.dueOn ? { dueOn: values.paymentSchedule.dueOn.format('YYYY-MM-DD') } : {}),
      },
    };
    if (values.license && EXCLUSIVITY_OF[values.transferMode])
      body.license = {
        fieldOfUse: values.license.fieldOfUse,
        territory: 'nationwide',
        termMonths: values.license.termMonths,
        exclusivity: EXCLUSIVITY_OF[values.transferMode],
      };
    onSubmit(body).catch((error: unknown) => fieldProblem.report(error));
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} initialValues={{ transferMode: modes[0] }}>
      <ProblemAlert messages={fieldProblem.messages} />
      <Form.Item
        name="price"
        label={t('negotiation.priceYuan')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <InputNumber min={0.01} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="transferMode"
        label={t('negotiation.transferMode')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Select
          aria-label={t('negotiation.transferMode')}
          showSearch={{ optionFilterProp: 'label' }}
          options={modes.map((m) => ({ value: m, label: named(TRANSFER_MODES, m, lang) }))}
        />
      </Form.Item>
      {licensed && (
        <>
          <Form.Item
            name={['license', 'fieldOfUse']}
            label={t('negotiation.fieldOfUse')}
            initialValue={lang === 'zh' ? '全部领域' : 'all fields'}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name={['license', 'termMonths']}
            label={t('negotiation.termMonths')}
            initialValue={60}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
        </>
      )}
      <Form.Item name={['paymentSchedule', 'dueOn']} label={t('negotiation.dueOn')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={pending}>
        {submitLabel}
      </Button>
    </Form>
  );
}
