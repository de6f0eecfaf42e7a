import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useT } from './i18n';
import 'antd/dist/antd.css';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 10_000 } },
});

/** Animations off for those who ask their system for less motion. */
const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

function Root() {
  const { lang } = useT();
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      button={{ autoInsertSpace: false }}
      theme={{
        // Contrast of at least 4.5:1 on white for every text, placeholders included (WCAG AA).
        // antd's styles from its pre-built stylesheet, not generated at render; the tokens below
        // still reach it as CSS variables.
        zeroRuntime: true,
        token: {
          colorPrimary: '#0b5cad',
          colorLink: '#0b5cad',
          colorTextDescription: '#595959',
          colorTextTertiary: '#595959',
          colorTextPlaceholder: '#6b6b6b',
          colorTextQuaternary: '#6b6b6b',
          colorError: '#c41d1d',
          motion: !reducedMotion,
        },
      }}
    >
      <App />
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Root />
    </QueryClientProvider>
  </StrictMode>,
);
