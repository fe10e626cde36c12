import { ArcElement, BarController, BarElement, CategoryScale, Chart, Colors, Legend, LinearScale, LineController, LineElement, PieController, PointElement, Tooltip } from 'chart.js';

// Only the pieces the page draws (tree-shaken bundle): line, bar and pie charts with legends.
Chart.register(LineController, LineElement, PointElement, BarController, BarElement, PieController, ArcElement, CategoryScale, LinearScale, Colors, Legend, Tooltip);

export { Chart };
