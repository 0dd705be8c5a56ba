// Prose that follows the assumptions, as one element (see text_element.py): paragraphs,
// captions and bulleted lists, rewritten in place when new data arrives for its key.
//
// Every text is set with textContent: nothing from the data is ever read as HTML.

function part(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function passage(shown) {
  const text = part("p", `market-text-${shown.kind}`, shown.text);
  if (!shown.items.length) return [text];
  const list = part("ul", "market-text-list");
  shown.items.forEach((item) => list.appendChild(part("li", "", item)));
  return [text, list];
}

export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".market-text");
  if (!root) {
    root = part("div", "market-text");
    parentElement.appendChild(root);
  }
  root.replaceChildren(...((data && data.passages) || []).flatMap(passage));
  return undefined;
}
