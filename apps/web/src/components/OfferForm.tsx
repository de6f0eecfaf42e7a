import { Button, DatePicker, Form, Input, InputNumber, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { type Schemas } from '../api/client';
import { yuanToFen } from '../format';
import { useT } from '../i18n';
import { named, SCHEDULE_KINDS, TRANSFER_MODES } from '../vocabulary';
import { ProblemAlert, useProblem } from './problems';

export type OfferBody = Omit<Schemas['OpenNegotiationInput'], 'listingId'>;

/**
 * The form's values. Fields carry the API's names where the API may name them in a refusal
 * (`paymentSchedule.instalments.0.amountFen`, `license.territory`), so its errors land there,
 * though they hold yuan, a percentage or the codes as typed.
 */
interface OfferValues {
  price: number;
  transferMode: string;
  license?: { fieldOfUse: string; termMonths: number; scope: 'nationwide' | 'regions'; territory?: string };
  paymentSchedule: {
    kind: 'lump_sum' | 'instalments' | 'royalty';
    dueOn?: Dayjs;
    instalments?: { amountFen: number; dueOn: Dayjs }[];
    royaltyBasisPoints?: number;
    royaltyTermMonths?: number;
  };
}

/** `430100、430200` or `430100, 430200` → the codes. */
const codes = (text = '') => text.split(/[\s,，、;；]+/).filter(Boolean);

const EXCLUSIVITY_OF: Record<string, 'exclusive' | 'sole' | 'non_exclusive'> = {
  exclusive_license: 'exclusive',
  sole_license: 'sole',
  non_exclusive_license: 'non_exclusive',
};

/**
 * An offer's terms: price in yuan, transfer mode, a license's scope (field of use, term, nationwide
 * or named regions), and how it is paid: at once (a date), in instalments (each an amount and a
 * date, summing to the price) or as 入门费 + 提成 (the price down, then a share of sales for months).
 */
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
  const kind = Form.useWatch(['paymentSchedule', 'kind'], form);
  const scope = Form.useWatch(['license', 'scope'], form);
  const licensed = Boolean(mode && EXCLUSIVITY_OF[mode]);
  const submit = (values: OfferValues) => {
    fieldProblem.clear();
    const schedule = values.paymentSchedule;
    const paymentSchedule: OfferBody['paymentSchedule'] =
      schedule.kind === 'instalments'
        ? {
            kind: 'instalments',
            instalments: (schedule.instalments ?? []).map((part) => ({
              amountFen: yuanToFen(part.amountFen),
              dueOn: part.dueOn.format('YYYY-MM-DD'),
            })),
          }
        : schedule.kind === 'royalty'
          ? {
              kind: 'royalty',
              // 入门费 + 提成: the price is the down payment, then a share of sales.
              downPaymentFen: yuanToFen(values.price),
              royaltyBasisPoints: Math.round((schedule.royaltyBasisPoints ?? 0) * 100),
              royaltyTermMonths: schedule.royaltyTermMonths,
            }
          : { kind: 'lump_sum', ...(schedule.dueOn ? { dueOn: schedule.dueOn.format('YYYY-MM-DD') } : {}) };
    const body: OfferBody = {
      priceFen: yuanToFen(values.price),
      transferMode: values.transferMode as OfferBody['transferMode'],
      paymentSchedule,
    };
    if (values.license && EXCLUSIVITY_OF[values.transferMode])
      body.license = {
        fieldOfUse: values.license.fieldOfUse,
        territory: values.license.scope === 'regions' ? codes(values.license.territory) : 'nationwide',
        termMonths: values.license.termMonths,
        exclusivity: EXCLUSIVITY_OF[values.transferMode],
      };
    onSubmit(body).catch((error: unknown) => fieldProblem.report(error));
  };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ transferMode: modes[0], paymentSchedule: { kind: 'lump_sum' } }}
    >
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
          <Form.Item name={['license', 'scope']} label={t('offer.territory')} initialValue="nationwide">
            <Select
              aria-label={t('offer.territory')}
              showSearch={{ optionFilterProp: 'label' }}
              options={[
                { value: 'nationwide', label: t('negotiation.nationwide') },
                { value: 'regions', label: t('offer.regions') },
              ]}
            />
          </Form.Item>
          {scope === 'regions' && (
            <Form.Item
              name={['license', 'territory']}
              label={t('offer.regionCodes')}
              extra={t('offer.regionCodesHint')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Input inputMode="numeric" />
            </Form.Item>
          )}
        </>
      )}
      <Form.Item name={['paymentSchedule', 'kind']} label={t('offer.schedule')}>
        <Select
          aria-label={t('offer.schedule')}
          showSearch={{ optionFilterProp: 'label' }}
          options={Object.keys(SCHEDULE_KINDS).map((value) => ({ value, label: named(SCHEDULE_KINDS, value, lang) }))}
        />
      </Form.Item>
      {(kind ?? 'lump_sum') === 'lump_sum' && (
        <Form.Item name={['paymentSchedule', 'dueOn']} label={t('negotiation.dueOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      )}
      {kind === 'instalments' && (
        <Form.List
          name={['paymentSchedule', 'instalments']}
          initialValue={[{}, {}]}
          rules={[
            {
              validator: async (_, parts?: unknown[]) => {
                if (!parts || parts.length === 0) throw new Error(t('offer.instalmentsRequired'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <fieldset className="instalments">
              <legend>{t('offer.instalments')}</legend>
              {fields.map((field, index) => (
                <Space key={field.key} align="start" wrap className="instalment">
                  <Form.Item
                    name={[field.name, 'amountFen']}
                    label={t('offer.instalmentAmount', { n: index + 1 })}
                    rules={[{ required: true, message: t('common.required') }]}
                  >
                    <InputNumber min={0.01} style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'dueOn']}
                    label={t('offer.instalmentDue', { n: index + 1 })}
                    rules={[{ required: true, message: t('common.required') }]}
                  >
                    <DatePicker style={{ width: 180 }} />
                  </Form.Item>
                  {fields.length > 1 && (
                    <Button onClick={() => remove(field.name)} className="instalment-remove">
                      {t('offer.removeInstalment', { n: index + 1 })}
                    </Button>
                  )}
                </Space>
              ))}
              <Form.ErrorList errors={errors} />
              <Button onClick={() => add()} disabled={fields.length >= 60}>
                {t('offer.addInstalment')}
              </Button>
              <p className="hint">{t('offer.instalmentsHint')}</p>
            </fieldset>
          )}
        </Form.List>
      )}
      {kind === 'royalty' && (
        <>
          <p className="hint">{t('offer.royaltyHint')}</p>
          <Form.Item
            name={['paymentSchedule', 'royaltyBasisPoints']}
            label={t('offer.royaltyPercent')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <InputNumber min={0.01} max={100} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name={['paymentSchedule', 'royaltyTermMonths']}
            label={t('offer.royaltyTerm')}
            initialValue={60}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <InputNumber min={1} max={1200} style={{ width: '100%' }} />
          </Form.Item>
        </>
      )}
      <Button type="primary" htmlType="submit" loading={pending}>
        {submitLabel}
      </Button>
    </Form>
  );
}
