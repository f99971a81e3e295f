import ELK from "elkjs/lib/elk.bundled.js";

const elk = new ELK();
const n = 200,
  children = [],
  edges = [];
for (let i = 0; i < n; i++) children.push({ id: `n${i}`, width: 60, height: 40 });
for (let l = 0; l < 300; l++) edges.push({ id: `e${l}`, sources: [`n${l % n}`], targets: [`n${(l * 7 + 3) % n}`] });
for (const algo of ["layered", "stress", "force"]) {
  const t0 = performance.now();
  const r = await elk.layout({ id: "root", layoutOptions: { "elk.algorithm": algo }, children, edges });
  console.log(algo, (performance.now() - t0).toFixed(0), "ms", r.children[0].x, r.children[0].y);
}
