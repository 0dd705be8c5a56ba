// The dashboard's chart element (see chart_element.py): draws a Plotly figure, then redraws
// the same chart in place with Plotly.react whenever new data arrives for its key.
// A chart out of sight (scrolled away, in a closed tab) keeps its new data until it comes
// near the screen, and is redrawn then: a slider move redraws only the charts one can see.
//
// Streamlit calls this function again with the same parentElement on every update (new
// data or a new theme), so it keeps its chart on that element and must stay idempotent.
// plotly.js is loaded once per page from the app's static folder, never sent with data.

const PLOTLY_URL = "app/static/plotly.min.js";
const DEFAULT_HEIGHT = 450;
const EMPTY = "rgba(0, 0, 0, 0)";

function loadPlotly() {
  if (!window.__marketPlotly) {
    window.__marketPlotly = new Promise((resolve, reject) => {
      if (window.Plotly) return resolve(window.Plotly);
      window.PlotlyConfig = { MathJaxConfig: "local" };
      const script = document.createElement("script");
      // Relative to the page, like Streamlit's own assets: works under a base URL path.
      script.src = new URL(PLOTLY_URL, document.baseURI).href;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.__marketPlotly = null;
        reject(new Error(`could not load ${script.src}`));
      };
      document.head.appendChild(script);
    });
  }
  return window.__marketPlotly;
}

const THEME_VARIABLES = [
  "text-color",
  "background-color",
  "border-color",
  "font",
  "heading-font",
  "heading-color",
  "chart-categorical-colors",
];
let lastTheme = { key: null, template: null };

// What st.plotly_chart's "streamlit" theme gives a figure, from the theme's CSS variables.
// The same theme gives the same template object, so Plotly.react sees no layout change
// from it.
function themeTemplate(el) {
  const css = getComputedStyle(el);
  const key = THEME_VARIABLES.map((name) => css.getPropertyValue(`--st-${name}`)).join("|");
  if (key !== lastTheme.key) lastTheme = { key, template: buildTemplate(css) };
  return lastTheme.template;
}

function buildTemplate(css) {
  const v = (name, fallback) => css.getPropertyValue(`--st-${name}`).trim() || fallback;
  const text = v("text-color", "#31333F");
  const background = v("background-color", "#FFFFFF");
  const grid = v("border-color", "rgba(49, 51, 63, 0.2)");
  const font = v("font", "sans-serif");
  const colorway = v("chart-categorical-colors", "").split(",").map((c) => c.trim());
  const axis = {
    gridcolor: grid,
    zerolinecolor: grid,
    tickcolor: grid,
    linecolor: grid,
    automargin: true,
    // Plotly's default ("hide past div") measures every tick label against every other on
    // each redraw; automargin already keeps them inside the chart.
    ticklabeloverflow: "allow",
    minor: { gridcolor: grid },
    tickfont: { color: text, size: 12 },
  };
  const layout = {
    font: { family: font, color: text, size: 12 },
    title: {
      font: { family: v("heading-font", font), size: 16, color: v("heading-color", text) },
      x: 0,
      xanchor: "left",
    },
    paper_bgcolor: background,
    plot_bgcolor: background,
    xaxis: { ...axis, showgrid: false, zeroline: false, title: { standoff: 20, font: { size: 14 } } },
    yaxis: { ...axis, ticklabelposition: "outside", title: { standoff: 24, font: { size: 14 } } },
    legend: { font: { color: text, size: 12 }, bordercolor: EMPTY, borderwidth: 0 },
    hoverlabel: {
      bgcolor: background,
      bordercolor: grid,
      font: { family: font, color: text, size: 12 },
    },
    geo: { bgcolor: background },
    margin: { l: 0, r: 0, pad: 8 },
  };
  if (colorway.filter(Boolean).length) layout.colorway = colorway.filter(Boolean);
  return { layout };
}

function titleText(layout) {
  const title = layout.title;
  const text = typeof title === "string" ? title : (title && title.text) || "";
  return text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
}

function fileName(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart";
}

// A page's charts are drawn one at a time, each followed by a chance to paint, in the
// order their data arrived (page order): the first chart shows its new data as soon as it
// is drawn, rather than after every chart on the page has been recomputed.
let lastTurn = Promise.resolve();
const PAINT_WAIT_MS = 100; // a hidden tab paints no frames: go on without one

function afterPaint() {
  return new Promise((resolve) => {
    const done = () => resolve();
    requestAnimationFrame(() => setTimeout(done, 0));
    setTimeout(done, PAINT_WAIT_MS);
  });
}

function inTurn(work) {
  const turn = lastTurn.then(work);
  lastTurn = turn.catch(() => {}).then(afterPaint);
  return turn;
}

// How near the screen a chart must be for new data to be drawn at once: far enough that
// scrolling to it finds it drawn.
const IN_SIGHT_MARGIN = "300px 0px";

// A phone's screen: no toolbar (on a touch screen it sat over the chart's title), and a
// figure's own narrow variant (layout.meta.narrow) where it has one. The window decides,
// not the chart's column: a desktop's half-width column keeps both.
const PHONE = "(max-width: 640px)";

function isNarrow() {
  return window.matchMedia(PHONE).matches;
}

function merged(base, extra) {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra || {})) {
    const both = value && typeof value === "object" && !Array.isArray(value);
    out[key] = both && out[key] && typeof out[key] === "object" ? merged(out[key], value) : value;
  }
  return out;
}

// layout.meta.narrow = {data: [per-trace parts or null], layout: {...}}: what changes when
// the chart is drawn on a phone (the map's labels become a legend).
function fitted(figure, narrow) {
  const variant = narrow && figure.layout.meta && figure.layout.meta.narrow;
  if (!variant) return figure;
  const parts = variant.data || [];
  return {
    data: figure.data.map((trace, i) => merged(trace, parts[i])),
    layout: merged(figure.layout, variant.layout),
  };
}

// Draws the latest data now (Plotly.react draws an SVG chart before it returns).
function render(Plotly, state) {
  state.last = state.next;
  const { config } = state.next;
  state.next = null;
  const gd = state.gd;
  delete gd.dataset.waiting;
  state.narrow = isNarrow();
  const figure = fitted(state.last.figure, state.narrow);
  const layout = { ...figure.layout, template: themeTemplate(gd), autosize: true };
  delete layout.width;
  const name = titleText(layout);
  reserveHeight(gd, figure);
  if (name) gd.setAttribute("aria-label", name);
  else gd.removeAttribute("aria-label");
  return Plotly.react(gd, figure.data, layout, {
    displaylogo: false,
    showSendToCloud: false, // no "Share chart" button: nothing leaves an internal host
    toImageButtonOptions: { filename: fileName(name) },
    ...config,
    ...(state.narrow ? { displayModeBar: false } : {}),
  });
}

async function drawLatest(state) {
  const Plotly = await loadPlotly();
  while (state.next) {
    await inTurn(() => (state.next ? render(Plotly, state) : undefined));
    const gd = state.gd;
    state.width = gd.clientWidth;
    // Plotly keeps handlers across reacts: the click reporter is attached once, on the
    // first draw, and reports only while the latest data asks for clicks (state.report).
    if (!state.clicking) {
      state.clicking = true;
      gd.on("plotly_click", (event) => {
        const point = event && event.points && event.points[0];
        if (!point || point.curveNumber !== 0 || !state.report) return;
        state.report("clicked", { x: point.x, y: point.y });
      });
    }
  }
}

// One drawing at a time per chart; updates that arrive meanwhile are coalesced to the latest.
// A drawn chart out of sight waits (see setUp); its first drawing never does.
function schedule(state) {
  if (state.drawing || !state.next) return;
  if (state.gd._fullLayout && !state.inSight) {
    state.gd.dataset.waiting = "out of sight"; // what a page test waits on before a screenshot
    return;
  }
  state.drawing = drawLatest(state)
    .catch((error) => {
      state.next = null; // the next update tries again
      state.gd.textContent = `The chart could not be drawn: ${error.message}`;
    })
    .finally(() => {
      state.drawing = null;
      if (state.next) schedule(state);
    });
}

function reserveHeight(gd, figure) {
  gd.style.height = `${figure.layout.height || DEFAULT_HEIGHT}px`;
}

// Every chart on the page: printing draws those that wait out of sight, before the page is
// laid out for paper.
const everyChart = new Set();
window.addEventListener("beforeprint", () => {
  for (const state of everyChart) {
    if (state.next && !state.drawing && window.Plotly) render(window.Plotly, state);
  }
});

function setUp(parentElement) {
  const gd = document.createElement("div");
  gd.className = "market-chart";
  gd.setAttribute("role", "figure");
  parentElement.appendChild(gd);
  const state = {
    gd, next: null, last: null, narrow: false, drawing: null, width: 0, frame: 0, report: null,
    inSight: true, sight: null,
  };
  // Redraw on any width change of the column (the window, the sidebar, a column resize).
  state.observer = new ResizeObserver(() => {
    if (state.frame || gd.clientWidth === state.width || !gd._fullLayout) return;
    state.frame = requestAnimationFrame(() => {
      state.frame = 0;
      state.width = gd.clientWidth;
      if (isNarrow() !== state.narrow && state.last) {
        // across the phone width: drawn again, with or without its narrow variant
        state.next = state.next || state.last;
        schedule(state);
      } else window.Plotly.Plots.resize(gd);
    });
  });
  state.observer.observe(gd);
  // inSight starts true: a chart is drawn at once until the observer has looked.
  state.sight = new IntersectionObserver(
    (entries) => {
      state.inSight = entries[entries.length - 1].isIntersecting;
      schedule(state);
    },
    { rootMargin: IN_SIGHT_MARGIN },
  );
  state.sight.observe(gd);
  everyChart.add(state);
  return state;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  // The page's first element: fetch and compile plotly.js while the rest arrives.
  if (data && data.preload) {
    loadPlotly().catch(() => {}); // a chart that needs it says so
    return undefined;
  }
  const state = parentElement.__marketChart || (parentElement.__marketChart = setUp(parentElement));
  state.next = data;
  state.report = data.clicks ? setTriggerValue : null;
  // Keep the chart's place while plotly.js loads, so what follows does not jump down later.
  if (!state.gd._fullLayout) reserveHeight(state.gd, data.figure);
  schedule(state);
  // Called when the element goes away, and sometimes by a superseded update: only a chart
  // whose element has left the page is taken down.
  return () => {
    setTimeout(() => {
      if (parentElement.isConnected || parentElement.__marketChart !== state) return;
      state.observer.disconnect();
      state.sight.disconnect();
      everyChart.delete(state);
      if (window.Plotly) window.Plotly.purge(state.gd);
      delete parentElement.__marketChart;
    }, 0);
  };
}
