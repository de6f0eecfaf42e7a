import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Select, Space, Typography } from 'antd';
import { type KeyboardEvent, useEffect, useState } from 'react';
import { api, ApiProblem, call, idempotencyKey, type Schemas } from '../api/client';
import { ProblemAlert, useProblem } from '../components/problems';
import { useT } from '../i18n';
import { Link } from '../router';
import { hasRole, useMe } from '../session';
import { named, options, TECHNICAL_FIELDS } from '../vocabulary';

type Listing = Schemas['ListingView'];

interface Values {
  title: string;
  technicalField: Schemas['PackageInput']['technicalField'];
  description?: string;
  issuedOn?: string;
  listingIds: Listing[];
}

const FIELDS = ['title', 'technicalField', 'description', 'issuedOn', 'listingIds'];
const NOT_PUBLIC = 'LISTING.PACKAGE_LISTINGS_NOT_PUBLIC';

/**
 * Focuses the first of these elements that is drawn and enabled. React may draw an update made
 * outside an event handler (a request's answer) a few frames later on a busy machine, so this looks
 * again on each frame, for about a second, until one is there.
 */
const focusLater = (...ids: string[]) => {
  let frames = 60;
  const attempt = () => {
    for (const id of ids) {
      const element = document.getElementById(id) as HTMLButtonElement | HTMLInputElement | null;
      if (element && !(element as HTMLButtonElement).disabled) return element.focus();
    }
    if (--frames > 0) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
};

/**
 * An admin publishes an achievement package (科技成果包, `POST /packages`): its title, field, issue
 * day and description, and public listings found by keyword (`GET /listings?q=`), added, removed
 * and put in order; the API's refusals go next to the fields they name.
 */
export default function AdminPackages() {
  const { t, lang } = useT();
  const { me, loading } = useMe();
  const [form] = Form.useForm<Values>();
  const problem = useProblem(form, FIELDS);
  const [published, setPublished] = useState<Schemas['PackageView'] | null>(null);
  const chosen: Listing[] = Form.useWatch('listingIds', form) ?? [];
  const publish = useMutation({
    mutationFn: (values: Values) =>
      call(
        api.POST('/api/v1/packages', {
          params: { header: { 'Idempotency-Key': idempotencyKey() } },
          body: {
            title: values.title.trim(),
            technicalField: values.technicalField,
            description: values.description?.trim() || undefined,
            issuedOn: values.issuedOn?.trim() || undefined,
            listingIds: values.listingIds.map((listing) => listing.id),
          },
        }),
      ),
    onMutate: () => {
      problem.clear();
      setPublished(null);
    },
    onSuccess: (pkg) => {
      setPublished(pkg);
      form.resetFields();
      focusLater('package-published');
    },
    onError: problem.report,
  });

  // The refusal names the listings that are not public (`listingIds`): said at the chosen listings.
  const refused =
    problem.error instanceof ApiProblem &&
    problem.error.code === NOT_PUBLIC &&
    Array.isArray(problem.error.extra.listingIds)
      ? (problem.error.extra.listingIds as string[])
      : [];
  const refusedKey = refused.join(',');
  useEffect(() => {
    if (!refusedKey) return;
    const ids = refusedKey.split(',');
    const titles = (form.getFieldValue('listingIds') as Listing[] | undefined)
      ?.filter((listing) => ids.includes(listing.id))
      .map((listing) => listing.title);
    form.setFields([
      {
        name: 'listingIds',
        errors: [t('packages.notPublic', { titles: (titles ?? ids).join(lang === 'zh' ? '、' : ', ') })],
      },
    ]);
  }, [refusedKey, lang, form, t]);

  if (!me && !loading)
    return <Alert type="info" title={<Link href="/signin?next=/admin/packages">{t('common.signInRequired')}</Link>} />;
  if (me && !hasRole(me, 'admin')) return <Alert type="warning" title={t('common.notAllowed')} />;

  const setChosen = (next: Listing[]) => form.setFieldsValue({ listingIds: next });
  const add = (listing: Listing) => {
    setChosen([...chosen, listing]);
    form.setFields([{ name: 'listingIds', errors: [] }]);
  };
  const remove = (index: number) => {
    const next = chosen.filter((_, i) => i !== index);
    setChosen(next);
    form.setFields([{ name: 'listingIds', errors: [] }]);
    const neighbour = next[index] ?? next[index - 1];
    focusLater(...(neighbour ? [`remove-${neighbour.id}`] : []), 'package-find');
  };
  const move = (index: number, by: -1 | 1) => {
    const next = [...chosen];
    const [listing] = next.splice(index, 1);
    next.splice(index + by, 0, listing);
    setChosen(next);
    focusLater(`${by < 0 ? 'up' : 'down'}-${listing.id}`, `${by < 0 ? 'down' : 'up'}-${listing.id}`);
  };

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 26 }}>
        {t('packages.publishTitle')}
      </Typography.Title>
      <nav aria-label={t('orgs.lists')} className="admin-tabs">
        <Link href="/admin">{t('admin.queue')}</Link>
        <Link href="/admin/organizations?verified=false">{t('admin.organizations')}</Link>
        <Link href="/admin/packages" aria-current="page">
          {t('admin.packages')}
        </Link>
        <Link href="/packages">{t('packages.title')}</Link>
      </nav>
      <div aria-live="polite">
        {published && (
          <Alert
            type="success"
            showIcon
            className="package-done"
            style={{ marginBottom: 16 }}
            title={t('packages.published', { title: published.title })}
            description={
              <Link id="package-published" href={`/packages/${published.id}`}>
                {t('packages.openPublished')}
              </Link>
            }
          />
        )}
      </div>
      <ProblemAlert messages={problem.messages} />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ listingIds: [] }}
        onFinish={(values) => publish.mutate(values)}
        scrollToFirstError
        style={{ maxWidth: 760 }}
      >
        <Form.Item
          name="title"
          label={t('packages.titleField')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="technicalField"
          label={t('listing.field')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={options(TECHNICAL_FIELDS, lang)}
            aria-label={t('listing.field')}
          />
        </Form.Item>
        <Form.Item
          name="issuedOn"
          label={t('packages.issuedOnField')}
          extra={t('packages.issuedOnHint')}
          rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('packages.issuedOnInvalid') }]}
        >
          <Input inputMode="numeric" placeholder="2026-11-22" style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="description" label={t('packages.description')}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        <Form.Item
          name="listingIds"
          label={t('packages.chosen')}
          rules={[{ type: 'array', min: 1, message: t('packages.chosenRequired') }]}
        >
          <Chosen onRemove={remove} onMove={move} refused={refused} />
        </Form.Item>
        <Finder chosen={chosen} onAdd={add} />
        <Button type="primary" htmlType="submit" loading={publish.isPending}>
          {t('packages.publish')}
        </Button>
      </Form>
    </>
  );
}

/** A listing as the package page lists it: its title (numbered among the chosen), field and seller. */
function ListingLine({ listing, number }: { listing: Listing; number?: number }) {
  const { lang } = useT();
  return (
    <div className="package-item">
      {number !== undefined && `${number}. `}
      {listing.title}
      <span className="meta">
        {named(TECHNICAL_FIELDS, listing.technicalField, lang)} · {listing.seller.name}
      </span>
    </div>
  );
}

/** The chosen listings in order, each with its buttons to move it and to take it out. */
function Chosen({
  value = [],
  onRemove,
  onMove,
  refused,
}: {
  value?: Listing[];
  onRemove: (index: number) => void;
  onMove: (index: number, by: -1 | 1) => void;
  refused: string[];
}) {
  const { t } = useT();
  if (value.length === 0) return <p className="meta">{t('packages.chosenNone')}</p>;
  return (
    <ol className="package-chosen">
      {value.map((listing, index) => (
        <li key={listing.id} className={refused.includes(listing.id) ? 'refused' : undefined}>
          <ListingLine listing={listing} number={index + 1} />
          <Space wrap size={4}>
            <Button
              size="small"
              id={`up-${listing.id}`}
              disabled={index === 0}
              aria-label={t('packages.upLabel', { title: listing.title })}
              onClick={() => onMove(index, -1)}
            >
              {t('packages.up')}
            </Button>
            <Button
              size="small"
              id={`down-${listing.id}`}
              disabled={index === value.length - 1}
              aria-label={t('packages.downLabel', { title: listing.title })}
              onClick={() => onMove(index, 1)}
            >
              {t('packages.down')}
            </Button>
            <Button
              size="small"
              danger
              id={`remove-${listing.id}`}
              aria-label={t('packages.removeLabel', { title: listing.title })}
              onClick={() => onRemove(index)}
            >
              {t('packages.remove')}
            </Button>
          </Space>
        </li>
      ))}
    </ol>
  );
}

/** Public listings found by keyword, each to add to the package. */
function Finder({ chosen, onAdd }: { chosen: Listing[]; onAdd: (listing: Listing) => void }) {
  const { t } = useT();
  const [text, setText] = useState('');
  const [q, setQ] = useState<string | null>(null);
  const found = useQuery({
    queryKey: ['package-find', q],
    enabled: q !== null,
    queryFn: () =>
      call(api.GET('/api/v1/listings', { params: { query: { q: q || undefined, limit: 10, offset: 0 } } })),
  });
  const search = () => setQ(text.trim());
  return (
    <section aria-labelledby="package-find-title" style={{ marginBottom: 24 }}>
      <Typography.Title level={2} id="package-find-title" style={{ fontSize: 18 }}>
        {t('packages.find')}
      </Typography.Title>
      <div className="package-find" role="search">
        <Input
          id="package-find"
          aria-label={t('packages.findKeyword')}
          placeholder={t('packages.findKeyword')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
            if (event.key === 'Enter') {
              // Enter searches; it does not publish the package.
              event.preventDefault();
              search();
            }
          }}
        />
        <Button onClick={search}>{t('packages.findSubmit')}</Button>
      </div>
      <div aria-live="polite">
        {found.data &&
          (found.data.items.length === 0 ? (
            <p className="meta">{t('packages.foundNone')}</p>
          ) : (
            <ul className="package-found" aria-label={t('packages.found')}>
              {found.data.items.map((listing) => {
                const added = chosen.some((c) => c.id === listing.id);
                return (
                  <li key={listing.id}>
                    <ListingLine listing={listing} />
                    <Button
                      size="small"
                      disabled={added}
                      aria-label={t(added ? 'packages.addedLabel' : 'packages.addLabel', { title: listing.title })}
                      onClick={() => onAdd(listing)}
                    >
                      {added ? t('packages.added') : t('packages.add')}
                    </Button>
                  </li>
                );
              })}
            </ul>
          ))}
      </div>
    </section>
  );
}
