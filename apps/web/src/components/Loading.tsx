import { Result, Skeleton } from 'antd';
import { ApiProblem } from '../api/client';
import { useT } from '../i18n';
import { problemText } from './problems';

/** What a page shows while its data comes, or when it cannot. */
export function Loading({ error }: { error?: unknown }) {
  const { t, lang } = useT();
  if (error) {
    const notFound = error instanceof ApiProblem && error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '404' : t('common.error')}
        subTitle={problemText(error, lang)}
      />
    );
  }
  return <Skeleton active />;
}
