/**
 * ECharts, only the parts the home page draws (bar charts on a grid, the SVG renderer):
 * its own chunk, loaded when a chart is about to be seen.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { init, use as register } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

register([BarChart, GridComponent, SVGRenderer]);

export interface BarData {
  labels: string[];
  values: number[];
  horizontal?: boolean;
  format: (value: number) => string;
}

export function drawBars(element: HTMLElement, data: BarData): () => void {
  const chart = init(element, undefined, { renderer: 'svg' });
  const category = { type: 'category' as const, data: data.labels, axisLabel: { color: '#434343' } };
  const value = {
    type: 'value' as const,
    axisLabel: { color: '#434343', formatter: (v: number) => data.format(v) },
  };
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: data.horizontal ? value : category,
    yAxis: data.horizontal ? { ...category, inverse: true } : value,
    // Each bar carries its value: no tooltip is needed to read it.
    series: [
      {
        type: 'bar',
        data: data.values,
        itemStyle: { color: '#0b5cad' },
        barMaxWidth: 36,
        label: {
          show: true,
          position: data.horizontal ? 'right' : 'top',
          formatter: (p: { value: unknown }) => (Number(p.value) > 0 ? data.format(Number(p.value)) : ''),
        },
      },
    ],
  });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    chart.dispose();
  };
}
