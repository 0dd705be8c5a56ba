// Installed in every benchmark page before the app's own scripts (Playwright init script).
// It timestamps, on the page's own clock (performance.now(), ms since navigation):
// - key presses (capture phase, before the slider sees them);
// - every websocket frame sent and received (Streamlit) and every Dash callback request
//   and response, with its size in bytes;
// - the first moment a Plotly chart has drawn a trace;
// - the moment the first chart's data changes (read from the Plotly element, gd.data),
//   and the end of the next animation frame after it, when the new line is painted.
(() => {
  const bench = {
    keys: [],
    net: [],
    firstChart: null,
    longTasks: [],
    inflight: 0,
  };
  window.__bench = bench;

  const now = () => performance.now();
  const size = (data) =>
    data == null ? 0 : data.byteLength ?? data.size ?? (typeof data === "string" ? data.length : 0);

  document.addEventListener("keydown", () => bench.keys.push(now()), true);

  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      // Registered before the app's own handler, so it stamps the arrival, not the handling.
      this.addEventListener("message", (event) =>
        bench.net.push({ t: now(), dir: "in", bytes: size(event.data) }),
      );
    }
    send(data) {
      bench.net.push({ t: now(), dir: "out", bytes: size(data) });
      return super.send(data);
    }
  };

  const nativeFetch = window.fetch;
  window.fetch = async function (input, init) {
    const url = String((input && input.url) || input);
    if (!url.includes("_dash-update-component")) return nativeFetch.apply(this, arguments);
    bench.inflight += 1;
    bench.net.push({ t: now(), dir: "out", bytes: size(init && init.body) });
    try {
      const response = await nativeFetch.apply(this, arguments);
      const body = await response.clone().arrayBuffer();
      bench.net.push({ t: now(), dir: "in", bytes: body.byteLength });
      return response;
    } finally {
      bench.inflight -= 1;
    }
  };

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    // longtask entries are a Chromium feature; without them the breakdown is shorter.
  }

  const firstPlot = () => document.querySelector(".js-plotly-plot");

  bench.signature = () => {
    const gd = firstPlot();
    if (!gd || !Array.isArray(gd.data)) return null;
    // Plotly 7 figures from Python carry arrays as {dtype, bdata} (base64): compare those.
    const values = (y) => (y && y.bdata !== undefined ? y.bdata : Array.from(y || []));
    return JSON.stringify(gd.data.map((trace) => values(trace.y)));
  };

  bench.scriptState = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app ? app.getAttribute("data-test-script-state") : null;
  };

  // Resolve with now() once check() returns true: checked on every DOM mutation and
  // every 20 ms (in case a change touches no DOM node), or null after timeoutMs.
  const until = (check, timeoutMs) =>
    new Promise((resolve) => {
      let done = false;
      const finish = (value) => {
        if (done) return;
        done = true;
        observer.disconnect();
        clearInterval(timer);
        clearTimeout(limit);
        resolve(value);
      };
      const test = () => check() && finish(now());
      const observer = new MutationObserver(test);
      const timer = setInterval(test, 20);
      const limit = setTimeout(() => finish(null), timeoutMs);
      observer.observe(document, { subtree: true, childList: true, attributes: true });
      test();
    });

  const nextPaint = () =>
    new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(now()), 0)));

  const drawn = () => !!document.querySelector(".js-plotly-plot .trace");
  until(drawn, 600000).then((t) => {
    bench.firstChart = t;
  });

  bench.waitChange = async (before, timeoutMs) => {
    const changed = await until(() => {
      const signature = bench.signature();
      return signature !== null && signature !== before;
    }, timeoutMs);
    if (changed === null) return null;
    return { changed, painted: await nextPaint() };
  };

  // Idle: Streamlit's script has finished (the app root says so); Dash has no callback
  // request in flight.
  bench.waitIdle = (timeoutMs) =>
    until(() => {
      const state = bench.scriptState();
      return state === null ? bench.inflight === 0 : state === "notRunning";
    }, timeoutMs);

  // One slider move, from the last key press to the chart painted and the app idle:
  // where the time went, and how many bytes crossed the network.
  bench.breakdown = (changed, painted, idle) => {
    const key = bench.keys[bench.keys.length - 1];
    const after = bench.net.filter((e) => e.t >= key && e.t <= idle);
    const sent = after.find((e) => e.dir === "out");
    const received = after.filter((e) => e.dir === "in" && e.t <= changed);
    const lastIn = received.length ? received[received.length - 1].t : null;
    const sum = (dir) => after.filter((e) => e.dir === dir).reduce((s, e) => s + e.bytes, 0);
    return {
      total_ms: painted - key,
      key_to_send_ms: sent ? sent.t - key : null,
      send_to_chart_message_ms: sent && lastIn !== null ? lastIn - sent.t : null,
      chart_message_to_data_ms: lastIn !== null ? changed - lastIn : null,
      data_to_paint_ms: painted - changed,
      key_to_idle_ms: idle - key,
      bytes_in: sum("in"),
      bytes_out: sum("out"),
      messages_in: after.filter((e) => e.dir === "in").length,
    };
  };
})();
