// Renders /openapi.json as a list of operations with a small "try it" form. Text is always set as text, never HTML.
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function operationView(path, method, op) {
  const params = (op.parameters || []).map((p) => {
    const input = el("input", { name: p.name, placeholder: p.in, id: `${op.operationId}-${p.name}` });
    input.dataset.in = p.in;
    return el("p", {}, el("label", { htmlFor: input.id, textContent: `${p.name} (${p.in}) ` }), input);
  });
  const body = op.requestBody?.content?.["application/json"]
    ? el("textarea", { ariaLabel: "JSON body", value: "{}" }) : null;
  const out = el("pre", { textContent: "" });
  const send = el("button", { type: "button", textContent: "Send" });
  send.addEventListener("click", async () => {
    let url = path;
    const query = new URLSearchParams();
    for (const input of params.map((p) => p.querySelector("input"))) {
      if (!input.value) continue;
      if (input.dataset.in === "path") url = url.replace(`{${input.name}}`, encodeURIComponent(input.value));
      else query.set(input.name, input.value);
    }
    const headers = { "Content-Type": "application/json" };
    const token = document.getElementById("token").value.trim();
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(url + (query.size ? `?${query}` : ""), {
      method: method.toUpperCase(), headers, body: body ? body.value : undefined,
    });
    const text = await response.text();
    out.textContent = `${response.status} ${response.statusText}\n\n${text}`;
  });
  return el("details", {},
    el("summary", {}, el("span", { className: `method ${method.toUpperCase()}`, textContent: method.toUpperCase() }),
      el("code", { textContent: path }), ` ${op.summary || ""}`),
    el("p", { textContent: op.description || "Public." }), ...params, ...(body ? [body] : []), send, out);
}

const doc = await (await fetch("/openapi.json")).json();
const main = document.getElementById("operations");
main.replaceChildren(...Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => operationView(path, method, op))));
