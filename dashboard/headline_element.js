// The Overview's headline cards as one element (see headline_element.py): label, value and
// origin of each card, redrawn in place when new data arrives for the element's key.
//
// Streamlit calls this function again with the same parentElement on every update, so
// it keeps one root there and only rewrites its contents. Every text is set with
// textContent: nothing from the data is ever read as HTML.

function part(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

function card(figure) {
  const node = part("div", "market-card");
  node.setAttribute("role", "group");
  node.setAttribute("aria-label", figure.label);
  node.dataset.testid = "marketCard";
  const head = part("div", "market-card-head");
  head.appendChild(part("span", "market-card-label", figure.label));
  if (figure.help) {
    const help = part("span", "market-card-help", "?");
    help.title = figure.help;
    help.tabIndex = 0;
    help.setAttribute("role", "img");
    help.setAttribute("aria-label", figure.help);
    head.appendChild(help);
  }
  node.appendChild(head);
  node.appendChild(part("div", "market-card-value", figure.value));
  const origin = part("div", "market-card-origin");
  const delta = part("span", `market-card-delta market-card-${figure.tone}`, "");
  const arrow = { up: "↑ ", down: "↓ " }[figure.tone] || "";
  if (arrow) delta.appendChild(part("span", "market-card-arrow", arrow)).setAttribute("aria-hidden", "true");
  delta.appendChild(document.createTextNode(figure.delta));
  origin.appendChild(delta);
  origin.appendChild(part("span", "market-card-description", figure.description));
  node.appendChild(origin);
  return node;
}

export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".market-cards");
  if (!root) {
    root = part("div", "market-cards");
    parentElement.appendChild(root);
  }
  const cards = (data && data.cards) || [];
  const pairs = [];
  // in pairs: four across on a wide screen, two by two on a narrower one, one a row on
  // a phone, never three and a lone one
  for (let i = 0; i < cards.length; i += 2) {
    const pair = part("div", "market-card-pair");
    cards.slice(i, i + 2).forEach((figure) => pair.appendChild(card(figure)));
    pairs.push(pair);
  }
  root.replaceChildren(...pairs);
  return undefined;
}
