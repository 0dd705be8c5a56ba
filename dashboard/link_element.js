// The share link's control (see link_element.py): a "Copy link" button with a line saying
// what the link carries, read from the address itself; the browser history rule that a
// change of the address's query alone replaces the current entry instead of adding one;
// and, on a phone, the sidebar closing after a tap on a page link.
//
// Streamlit calls this function again with the same parentElement on every update, so it
// keeps one root there and rewrites only its text. Every text is set with textContent:
// nothing from the data (segment names come from files) is ever read as HTML.

const ADDRESS_CHANGED = "market:address";

// Streamlit 1.67 pushes a history entry whenever the query string changes, so every slider
// move added one and Back stepped through them one by one. A push that keeps the page
// (same path) becomes a replace: Back goes to the previous page, and the entry of the page
// left keeps its last address. Installed once per tab.
function keepHistoryToPages() {
  if (window.__marketHistory) return;
  window.__marketHistory = true;
  const history = window.history;
  const push = history.pushState.bind(history);
  const replace = history.replaceState.bind(history);
  const changed = () => window.dispatchEvent(new Event(ADDRESS_CHANGED));
  history.pushState = function (state, title, url) {
    const next = url == null ? null : new URL(url, window.location.href);
    if (next !== null && next.pathname === window.location.pathname) replace(state, title, url);
    else push(state, title, url);
    changed();
  };
  history.replaceState = function (state, title, url) {
    replace(state, title, url);
    changed();
  };
  window.addEventListener("popstate", changed);
}

// On a phone the sidebar lies over the page: after a tap on one of its page links it
// closes, so the page chosen is what shows (Streamlit 1.67 closes it only for its own
// navigation, not for st.page_link). Installed once per tab.
const PHONE = "(max-width: 768px)";

function closeSidebarAfterPageLinks() {
  if (window.__marketSidebarLinks) return;
  window.__marketSidebarLinks = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('[data-testid="stSidebar"] a');
    if (!link || !window.matchMedia(PHONE).matches) return;
    setTimeout(() => {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 0);
  });
}

function part(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// What the address carries, in words: its parts as the query codec writes them.
function carried(data) {
  const params = new URLSearchParams(window.location.search);
  const changed = [];
  const view = [];
  let file = null;
  let opportunity = false;
  let actuals = null;
  for (const [key, value] of params) {
    if (key === data.fileKey) file = value;
    else if (key === data.actualsKey) actuals = value.split(",").join(", ");
    else if (Object.prototype.hasOwnProperty.call(data.parameters, key)) {
      const [label, suffix] = data.parameters[key];
      changed.push(`${label} ${value}${suffix}`);
    } else if (key.startsWith(data.opportunityPrefix)) opportunity = true;
    else if (Object.prototype.hasOwnProperty.call(data.views, key)) view.push(`${data.views[key]} ${value}`);
  }
  const parts = [file === null ? "the default file" : `the file ${file}`];
  parts.push(
    changed.length
      ? `${plural(changed.length, "changed assumption")} (${changed.join(", ")})`
      : "its own assumptions",
  );
  if (actuals !== null) parts.push(`actual figures (${actuals})`);
  if (opportunity) parts.push("your Opportunity choices");
  if (view.length) parts.push(`${plural(view.length, "page setting")} (${view.join(", ")})`);
  const last = parts.pop();
  return `The link opens ${data.page} with ${parts.join(", ")} and ${last}.`;
}

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (error) {
    // fall through to the older way, which plain-http internal hosts still allow
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch (error) {
    copied = false;
  }
  area.remove();
  return copied;
}

function setUp(parentElement) {
  const root = part("div", "market-link");
  const button = part("button", "market-link-button", "Copy link");
  button.type = "button";
  button.dataset.testid = "marketCopyLink";
  const status = part("span", "market-link-status");
  status.setAttribute("role", "status");
  const what = part("div", "market-link-carries");
  what.dataset.testid = "marketLinkCarries";
  const manual = part("input", "market-link-manual");
  manual.readOnly = true;
  manual.hidden = true;
  manual.setAttribute("aria-label", "The link, to copy by hand");
  const row = part("div", "market-link-row");
  row.append(button, status);
  root.append(row, what, manual);
  parentElement.appendChild(root);
  const state = { data: null, what, status, manual };
  const describe = () => {
    if (state.data) what.textContent = carried(state.data);
  };
  window.addEventListener(ADDRESS_CHANGED, describe);
  button.addEventListener("click", async () => {
    const link = window.location.href;
    manual.hidden = true;
    if (await copyText(link)) {
      status.textContent = "Copied";
    } else {
      status.textContent = "Copy it from the box below";
      manual.value = link;
      manual.hidden = false;
      manual.select();
    }
    clearTimeout(state.timer);
    state.timer = setTimeout(() => (status.textContent = ""), 4000);
  });
  state.describe = describe;
  return state;
}

export default function (component) {
  const { data, parentElement } = component;
  keepHistoryToPages();
  closeSidebarAfterPageLinks();
  const state = parentElement.__marketLink || (parentElement.__marketLink = setUp(parentElement));
  state.data = data;
  state.describe();
  return undefined;
}
