import React, { useEffect, useState } from 'react';
import { render, Box, Text } from 'ink';
const W = Number(process.env.W || process.stdout.columns);
function App() {
  const [n, setN] = useState(0);
  useEffect(() => { const t = setInterval(() => setN((x) => x + 1), 300); return () => clearInterval(t); }, []);
  const lines = [];
  for (let i = 0; i < process.stdout.rows - 1; i++) {
    const text = (i === 0 ? `header ${n}` : i === 20 ? `mid ${n}` : `line ${i}`);
    lines.push(React.createElement(Text, { key: i, wrap: 'truncate-end' }, text.padEnd(W, i % 2 ? '─' : '=')));
  }
  return React.createElement(Box, { flexDirection: 'column', height: process.stdout.rows - 1, overflow: 'hidden' }, ...lines);
}
process.stdout.write('\x1b[?1049h');
render(React.createElement(App), { incrementalRendering: true });
