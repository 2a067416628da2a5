// The upload page: hands the picked files to the worker (upload-worker.js), which runs the
// connector in this browser, and shows what it reports. Nothing here sends a file to the hub.
const form = document.getElementById("upload-form");
const status = document.getElementById("status");
const bar = document.getElementById("progress");
const sendButton = document.getElementById("send");
const checkButton = document.getElementById("check");
const worker = new Worker(form.dataset.worker, { type: "module" });
const connectorIntegrity = form.dataset.connectorIntegrity;
const manifestIntegrity = form.dataset.manifestIntegrity;
let sendable = false;  // the last check would be accepted: it may be sent (again, after a refusal)

function el(id) { return document.getElementById(id); }
function list(target, lines) {
  target.replaceChildren(...lines.map((line) => { const item = document.createElement("li"); item.textContent = line; return item; }));
}
function rows(count) { return `${count.toLocaleString("en")} row${count === 1 ? "" : "s"}`; }
function busy(on) { checkButton.disabled = on; el("propose-mapping").disabled = on; if (on) sendButton.disabled = true; }
function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}
async function picked(input) {
  const file = input.files[0];
  return file ? { name: file.name, bytes: await file.arrayBuffer() } : null;
}
async function secret() {
  const file = el("secret-file").files[0];
  return file ? await file.text() : el("secret-text").value;
}
function mappingFile() {
  const text = el("mapping-text").value;
  return text.trim() ? { name: "mapping.yaml", bytes: new TextEncoder().encode(text).buffer } : null;
}

el("mapping-file").addEventListener("change", async () => {
  const file = el("mapping-file").files[0];
  if (file) el("mapping-text").value = await file.text();
});

el("propose-mapping").addEventListener("click", async () => {
  const file = await picked(el("data-file"));
  if (!file) { status.textContent = "Pick the month's export first."; return; }
  busy(true);
  worker.postMessage({ type: "propose", file, connectorIntegrity, manifestIntegrity }, [file.bytes]);
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = await picked(el("data-file"));
  if (!file) { status.textContent = "Pick the month's export first."; return; }
  const mapping = mappingFile();
  busy(true);
  el("check-result").hidden = true;
  el("receipt").hidden = true;
  worker.postMessage({
    type: "check", file, mapping, secret: await secret(), secretVersion: el("secret-version").value, period: el("period").value,
    onInvalid: form.querySelector("input[name=on-invalid]:checked").value, today: today(), connectorIntegrity, manifestIntegrity,
  }, [file.bytes].concat(mapping ? [mapping.bytes] : []));
});

sendButton.addEventListener("click", () => {
  busy(true);
  worker.postMessage({ type: "send", csrf: form.dataset.csrfToken, replace: el("replace").checked, connectorIntegrity, manifestIntegrity });
});

function showCheck(summary) {
  el("check-result").hidden = false;
  el("check-summary").textContent =
    `${summary.where}: header on line ${summary.header_line}. ${rows(summary.accepted)} valid, ` +
    `${rows(summary.rejected)} rejected: the submission for ${summary.period} would be ${summary.would_be}. Nothing was sent.`;
  list(el("warnings"), summary.warnings.map((warning) => `warning: ${warning}`));
  el("problems-title").hidden = !summary.problems.length;
  list(el("problems"), summary.problems);
  sendable = summary.would_be === "accepted";
  sendButton.disabled = !sendable;
  status.textContent = summary.would_be === "accepted"
    ? "Checked. Send it to the hub when the check above is right."
    : "Nothing can be sent: correct these rows, or choose to send the valid rows and list the others.";
}

function showReceipt(sent) {
  const receipt = sent.receipt;
  el("receipt").hidden = false;
  el("receipt-summary").textContent =
    `Submission ${receipt.submission_id} for ${receipt.period} (version ${receipt.version}): ${receipt.status}. ` +
    `${rows(receipt.accepted)} accepted, ${rows(receipt.rejected)} rejected.` +
    (receipt.supersedes ? ` It replaces submission ${receipt.supersedes}, which is kept as history.` : "");
  list(el("receipt-problems"), sent.problems);
  sendable = false;
  el("receipt-link").href = `/partner/submissions/${receipt.submission_id}`;
  status.textContent = "Sent. The receipt is signed by the hub and kept on your organisation's submissions page.";
}

worker.onmessage = (event) => {
  const message = event.data;
  if (message.type === "progress") {
    status.textContent = message.text;
    bar.hidden = false;
    if (message.total) { bar.max = message.total; bar.value = message.done; } else { bar.removeAttribute("value"); }
    return;
  }
  bar.hidden = true;
  busy(false);
  if (message.type === "proposed") {
    if (message.answer.failure) { status.textContent = message.answer.detail; return; }
    el("mapping-text").value = message.answer.yaml;
    status.textContent = `Mapping proposed (${message.answer.note}): check every entry marked 'check' or 'proposed', then check the file.`;
  } else if (message.type === "checked") {
    if (message.summary.failure) { status.textContent = message.summary.detail; return; }
    showCheck(message.summary);
  } else if (message.type === "sent") {
    showReceipt(message);
  } else if (message.type === "failure") {
    const name = message.hub && message.hub.error ? ` (${message.hub.error})` : "";
    status.textContent = `The hub refused${name}: ${message.detail}`;
    if (!message.hub) status.textContent = `error: ${message.detail}`;
    sendButton.disabled = !sendable;
  }
};
worker.onerror = (event) => {
  bar.hidden = true;
  status.textContent = `The browser connector could not start (${event.message || "its files did not load"}).`;
};
